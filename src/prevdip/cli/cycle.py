"""``prevdip cycle``: the centre's monthly cycle without the dashboard, for a timer (systemd or cron)."""

from __future__ import annotations

from typing import Any

import typer

from prevdip.cli.demo import render_cycle
from prevdip.cli.output import JSON_OPTION, errors, report
from prevdip.months import Month


def cycle(
    fetch: bool = typer.Option(False, "--fetch", help="Fetch fresh UCDP Candidate, ACLED and GDELT events first."),
    month: str = typer.Option(None, "--month", help="The cycle's month YYYY-MM (default: the latest with data)."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="Wait for a cycle already running, or refuse."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run the monthly cycle — ingest, signals, backtest when its inputs changed, forecasts, warnings, briefs in
    English and Russian — idempotently, under a lock so that two runs at once are safe."""
    from prevdip.cycle import run_cycle

    def announce(title: str) -> Any:
        errors.print(f"• {title}")
        return errors.status(title + " …")

    result = run_cycle(
        announce=announce,
        fetch=fetch,
        month=None if month is None else Month.parse(month),
        wait=wait,
        waiting=lambda: errors.print("another cycle is running: waiting for it to finish"),
    )
    report(result.as_dict(), as_json=as_json, render=render_cycle)


def register(app: typer.Typer) -> None:
    app.command("cycle")(cycle)
