"""``prevdip brief``: the monthly situation brief as HTML or PDF."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from prevdip.cli.output import JSON_OPTION, report


class BriefFormat(StrEnum):
    html = "html"
    pdf = "pdf"


def brief(
    month: str = typer.Option(..., "--month", help="The month to brief, YYYY-MM."),
    fmt: BriefFormat = typer.Option(BriefFormat.html, "--format", help="html or pdf."),
    out: Path | None = typer.Option(None, "--out", help="File to write; default <workspace>/briefs/brief-YYYY-MM.*"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the monthly regional brief: stages and trends, what changed and why, forecasts, priority groups,
    the water season outlook and agenda blocks for the deputy foreign ministers."""
    from prevdip.briefs import monthly_brief, parse_month, render_html, render_pdf, write_atomically
    from prevdip.settings import get_settings

    settings = get_settings()
    first = parse_month(month)
    content = monthly_brief(first, workspace=settings.workspace)
    html = render_html(content, bundle=settings.bundle)
    data = html.encode("utf-8") if fmt is BriefFormat.html else render_pdf(html)
    target = out or settings.workspace / "briefs" / f"brief-{first:%Y-%m}.{fmt.value}"
    write_atomically(target, data)
    sections = ("stages", "forecast", "priority_groups", "water_outlook", "warnings")
    summary = {
        "month": f"{first:%Y-%m}",
        "format": fmt.value,
        "path": str(target),
        "bytes": len(data),
        "sections": {name: bool(content[name]["available"]) for name in sections},
    }

    def render(console: Console, d: Mapping[str, Any]) -> None:
        console.print(f"brief for {d['month']} written to {d['path']} ({d['bytes']:,} bytes)")
        missing = [name for name, there in d["sections"].items() if not there]
        if missing:
            console.print(f"not available yet (the brief says so): {', '.join(missing)}")

    report(summary, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
