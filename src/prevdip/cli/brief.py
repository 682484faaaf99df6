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
    out: Path | None = typer.Option(
        None, "--out", help="File to write; default <workspace>/briefs/brief-YYYY-MM[-AUDIENCE][-LANG].*"
    ),
    audience: str = typer.Option(
        "governments",
        "--audience",
        help="Who it is for: governments (default), partners, centre (every field report) or public.",
    ),
    lang: str = typer.Option("en", "--lang", help="The language of the brief: en (default) or ru."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the monthly regional brief (HTML or PDF) for one audience, in English or Russian.

    Stages and trends, what changed and why, forecasts, priority groups, field reports, the water season outlook
    and agenda blocks for the deputy foreign ministers. Field reports the audience may not see are left out of
    everything, counts and stages included.
    """
    from prevdip.briefs import write_brief
    from prevdip.briefs.locale import language
    from prevdip.events.sharing import audience as parse_audience
    from prevdip.months import Month
    from prevdip.settings import get_settings

    reader = parse_audience(audience)
    wording = language(lang)
    settings = get_settings()
    summary = write_brief(
        Month.parse(month).reported(),
        fmt=fmt.value,
        out=out,
        workspace=settings.workspace,
        bundle=settings.bundle,
        audience=reader,
        lang=wording,
    )

    def render(console: Console, d: Mapping[str, Any]) -> None:
        who = f"{d['audience']}, {d['lang']}"
        console.print(f"brief for {d['month']} ({who}) written to {d['path']} ({d['bytes']:,} bytes)")
        missing = [name for name, there in d["sections"].items() if not there]
        if missing:
            console.print(f"not available yet (the brief says so): {', '.join(missing)}")

    report(summary, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
