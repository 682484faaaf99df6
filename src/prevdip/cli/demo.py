"""``prevdip demo``: the main job — the monthly cycle on the reference bundle, then the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, errors, report


def render_cycle(console: Console, data: Mapping[str, Any]) -> None:
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
    for step in data["steps"]:
        for brief in step.get("briefs", []):
            what = f"{brief['format']}, {brief.get('lang', 'en')}"
            console.print(f"brief ({what}): {brief['path']}" + (" (reused)" if brief["reused"] else ""))


def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the dashboard after the cycle."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address of the dashboard."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port of the dashboard."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The main job: the monthly cycle on the reference bundle, a situation summary, then the dashboard.

    ``--no-serve`` stops after the summary.
    """
    from prevdip.cycle import run_cycle

    def announce(title: str) -> Any:
        errors.print(f"• {title}")
        return errors.status(title + " …")

    result = run_cycle(announce=announce)
    report(result.as_dict(), as_json=as_json, render=render_cycle)
    if serve:
        from prevdip.cli.web import serve as serve_dashboard

        serve_dashboard(host=host, port=port)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
