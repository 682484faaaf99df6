"""``/events``: the event lake, filtered and paginated."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from prevdip.errors import RefusedInput
from prevdip.events import EventFilter, query_events
from prevdip.events.schema import Category
from prevdip.events.sharing import audience
from prevdip.geo import country, dyad
from prevdip.situation import require_lake, section
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import EventFilters, Events, EventsSection, Links
from prevdip.web.services.country import shown_filters

PAGE_SIZE = 50
MAX_PAGE = 200  # 10,000 events: narrow the filters, or use the CLI, beyond that


def parse_filters(**raw: str | None) -> EventFilter:
    """The events page's query strings, checked at the boundary (a bad one is refused, never ignored)."""
    values = {k: v.strip() for k, v in raw.items() if v and v.strip()}
    known = [c.value for c in Category]
    category = values.get("category")
    if category is not None and category not in known:
        raise RefusedInput(f"unknown category {category!r}", hint=f"use one of: {', '.join(known)}")
    found_country, found_dyad, reader = values.get("country"), values.get("dyad"), values.get("audience")
    return EventFilter(
        audience=audience(reader) if reader else None,
        country=country(found_country).iso3 if found_country else None,
        dyad=dyad(found_dyad).code if found_dyad else None,
        source=values.get("source"),
        category=category,
        since=_day(values.get("since"), "since"),
        until=_day(values.get("until"), "until"),
    )


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RefusedInput(f"{field}: {text!r} is not a date", hint="write dates as YYYY-MM-DD") from None


def _page(filters: EventFilter, page: int, workspace: Path) -> dict[str, Any]:
    require_lake(workspace)
    answer = query_events(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, workspace=workspace)
    count = int(answer["count"])
    return {"count": count, "pages": max(1, -(-count // PAGE_SIZE)), "events": list(answer["events"])}


@while_workspace_unchanged()
def events_page(filters: EventFilter, page: int, *, workspace: Path) -> Events:
    """One page of events matching the filters, with the total count."""
    if not 1 <= page <= MAX_PAGE:
        raise RefusedInput(f"page {page} is out of range", hint=f"pages run from 1 to {MAX_PAGE}; narrow the filters")
    shown = shown_filters(filters)
    results = section(EventsSection, lambda: _page(filters, page, workspace))
    pages = results.pages or 1
    return Events(
        filters=EventFilters(**shown),
        page=page,
        page_size=PAGE_SIZE,
        categories=[c.value for c in Category],
        links=Links(
            previous=_link(shown, page - 1) if page > 1 else None,
            next=_link(shown, page + 1) if page < pages else None,
        ),
        results=results,
    )


def _link(filters: dict[str, Any], page: int) -> str:
    return "/events?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": page})
