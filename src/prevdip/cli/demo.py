"""``prevdip demo``: the main job — the monthly cycle on the reference bundle, then the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, errors, report


def _render(console: Console, data: Mapping[str, Any]) -> None:
    summary = data["summary"]
    table = Table("country", "stage", "trend", "instrument", title=f"Situation in {summary.get('month', '?')}")
    for iso3, row in summary.get("countries", {}).items():
        table.add_row(iso3, row["stage"], row["trend"], row["instrument"])
    console.print(table)
    warnings = summary.get("open_warnings", [])
    console.print(f"open warnings: {len(warnings)}")
    for w in warnings:
        line = f"  [{w['level']}] {w['unit']}: {w['stage']}, {w['trend']} — {'; '.join(w['reasons'])}"
        console.print(escape(line))
    for title in summary.get("agenda_blocks", []):
        console.print(f"  agenda block: {title}")


def demo(as_json: bool = JSON_OPTION) -> None:
    """Run the centre's monthly cycle on the reference bundle and print a short situation summary."""
    from prevdip.cycle import run_cycle

    def announce(title: str) -> Any:
        return errors.status(title + " …")

    result = run_cycle(announce=announce)
    report(result.as_dict(), as_json=as_json, render=_render)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
