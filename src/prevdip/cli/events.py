"""``prevdip events``: list events of the lake, filtered; ``--json`` gives ``{"count": N, "events": [...], "withheld":
{source: N}, "attributions": [...]}`` (rows a licence keeps from the audience are counted, not listed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report


def _render(console: Console, d: Mapping[str, Any]) -> None:
    table = Table("date", "source", "country", "category", "deaths", "actors", "place", title=f"{d['count']:,} events")
    table.add_column("sharing", no_wrap=True, min_width=len("centre-internal"))  # never cut: it says who may see it
    for e in d["events"]:
        actors = " / ".join(a for a in (e["actor1"], e["actor2"]) if a)
        deaths = "" if e["fatalities_best"] is None else str(e["fatalities_best"])
        sharing = e.get("sharing") or ""
        table.add_row(
            e["date_start"],
            e["source"],
            e["country_iso3"] or "",
            e["category"],
            deaths,
            actors,
            e["location"] or "",
            f"[bold red]{sharing}[/]" if sharing == "centre-internal" else sharing,
        )
    console.print(table)
    for source, count in d.get("withheld", {}).items():
        console.print(f"{count:,} {source} events not listed: the source's licence keeps its rows in the centre")
    if d.get("attributions"):
        console.print("Data: " + "; ".join(d["attributions"]))


def events_command(
    country: str = typer.Option(None, "--country", help="ISO3 code: events in or by that country."),
    dyad: str = typer.Option(None, "--dyad", help="Two ISO3 codes, e.g. KGZ-TJK: events between them."),
    source: str = typer.Option(None, "--source", help="ucdp-ged, acled, gdelt, tfdd-bar or field."),
    category: str = typer.Option(None, "--category", help="A prevdip category, e.g. battle, water_conflict."),
    since: datetime = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="First date (YYYY-MM-DD)."),
    until: datetime = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Last date (YYYY-MM-DD)."),
    as_of: datetime = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="The lake as it was that day."),
    limit: int = typer.Option(100, "--limit", min=0, help="How many events to list (count is of all matches)."),
    audience: str = typer.Option(
        "centre",
        "--audience",
        help="Only what this audience may see: centre (everything), governments, partners or public.",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """List events, newest first; the count is the number matching the filters."""
    from prevdip.events.query import EventFilter, query_events
    from prevdip.events.sharing import audience as parse_audience

    filters = EventFilter(
        country=country.upper() if country else None,
        dyad=dyad,
        source=source,
        category=category,
        since=since.date() if since else None,
        until=until.date() if until else None,
        audience=parse_audience(audience),
    )
    data = query_events(filters, as_of=as_of.date() if as_of else None, limit=limit)
    report(data, as_json=as_json, render=_render)


def register(app: typer.Typer) -> None:
    app.command("events")(events_command)
