"""``prevdip signals``: a country's or border dyad's stage on the conflict curve in a month, with its evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report


def signals(
    country: str | None = typer.Option(None, "--country", help="ISO3 code (or any code/name), e.g. KGZ"),
    dyad: str | None = typer.Option(None, "--dyad", help="border dyad A-B, e.g. KGZ-TJK"),
    month: str = typer.Option(..., "--month", help="the month, YYYY-MM"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Stage, instrument, trend, priority groups, indicators and evidence for one unit-month."""
    from prevdip.errors import RefusedInput
    from prevdip.events.sharing import Audience
    from prevdip.months import Month
    from prevdip.settings import resolve_workspace
    from prevdip.situation import unit_signal

    if (country is None) == (dyad is None):
        raise RefusedInput("give exactly one of --country and --dyad", hint="e.g. --country KGZ or --dyad KGZ-TJK")
    reading = unit_signal(
        country or dyad or "", Month.parse(month), workspace=resolve_workspace(), audience=Audience.centre
    )
    data = reading.as_json()

    def render(console: Console, d: Mapping[str, Any]) -> None:
        console.print(f"[bold]{d['unit']}[/bold] {d['month']}: {d['stage']} ({d['trend']}) → {d['instrument']}")
        groups = Table("priority group", "events", title="priority groups")
        for name, count in d["priority_groups"].items():
            groups.add_row(name, str(count))
        console.print(groups)
        console.print(", ".join(f"{k}={v}" for k, v in d["indicators"].items() if v not in (None, 0)))
        for item in d["evidence"]:
            console.print(f"- {item['kind']}: " + ", ".join(f"{k}={v}" for k, v in item.items() if k != "kind"))

    report(data, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.command("signals")(signals)
