"""``/events``: the event lake as an analyst works with it — the centre's region first, filters of many values,
three orders, and pages found by keyset cursor (:mod:`prevdip.events.browse`)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import numpy as np
import pyarrow as pa
from starlette.concurrency import run_in_threadpool

from prevdip.briefs.charts import events_map
from prevdip.briefs.locale import strings
from prevdip.errors import RefusedInput
from prevdip.events import EventFilter
from prevdip.events.browse import Browsed, Place, browse, clusters, export_events
from prevdip.events.licences import attributions
from prevdip.events.listing import ORDERS, Listing, Mask, current_listing, on_listing_threads
from prevdip.events.schema import Category
from prevdip.events.sharing import audience
from prevdip.geo import HOME_REGION, REGIONS, dyad, region, world_iso3, world_name
from prevdip.signals import PRIORITY_GROUPS
from prevdip.situation import require_lake, section
from prevdip.web._schemas import Choice, EventFilters, Events, EventsSection, Links

PAGE_SIZE = 50
#: ``?region=world``: no region, every country of the lake.
WORLD = "world"
T = TypeVar("T")


@dataclass(frozen=True)
class EventQuery:
    """What ``/events`` was asked: the lake's filter, the region it came from, priority groups, order and place."""

    filters: EventFilter
    region: str | None = None
    groups: tuple[str, ...] = ()
    order: str = "date"
    place: Place = field(default_factory=Place)


def parse_query(
    *,
    region_name: str | None = None,
    countries: list[str] | None = None,
    categories: list[str] | None = None,
    groups: list[str] | None = None,
    sort: str | None = None,
    after: str | None = None,
    before: str | None = None,
    page: int | None = None,
    **raw: str | None,
) -> EventQuery:
    """The events page's query strings, checked at the boundary (a bad one is refused, never ignored). With no
    country and no region, the page opens on the centre's home region (:data:`prevdip.geo.HOME_REGION`)."""
    values = {k: v.strip() for k, v in raw.items() if v and v.strip()}
    named = [c.strip() for c in countries or [] if c.strip()]
    chosen_region = (region_name or "").strip().lower() or (None if named or values.get("dyad") else HOME_REGION)
    codes = [world_iso3(c) for c in named]
    if chosen_region and chosen_region != WORLD:
        codes = [*region(chosen_region).iso3s, *codes]
    wanted = [c.strip() for c in categories or [] if c.strip()]
    for category in wanted:
        if category not in {c.value for c in Category}:
            hint = f"use one of: {', '.join(c.value for c in Category)}"
            raise RefusedInput(f"unknown category {category!r}", hint=hint)
    asked_groups = tuple(g.strip() for g in groups or [] if g.strip())
    for group in asked_groups:
        if group not in PRIORITY_GROUPS:
            raise RefusedInput(f"unknown priority group {group!r}", hint=f"use one of: {', '.join(PRIORITY_GROUPS)}")
    if sort and sort not in ORDERS:
        raise RefusedInput(f"unknown sort order {sort!r}", hint=f"sort by one of: {', '.join(ORDERS)}")
    found_dyad, reader = values.get("dyad"), values.get("audience")
    filters = EventFilter(
        audience=audience(reader) if reader else None,
        countries=tuple(dict.fromkeys(codes)),
        categories=tuple(dict.fromkeys(wanted)),
        dyad=dyad(found_dyad).code if found_dyad else None,
        source=values.get("source"),
        since=_day(values.get("since"), "since"),
        until=_day(values.get("until"), "until"),
    )
    place = Place(after=after or None, before=before or None, page=page)
    return EventQuery(filters, chosen_region, asked_groups, sort or "date", place)


def _day(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RefusedInput(f"{name}: {text!r} is not a date", hint="write dates as YYYY-MM-DD") from None


async def answered(query: EventQuery, task: Callable[[], T]) -> T:
    """``task`` — a whole answer to ``query``, from the lake to the bytes sent — run on the listing's two threads,
    where pages take their turn instead of fighting over the interpreter on forty (:func:`on_listing_threads`).
    A dyad's page reads the lake itself for seconds, so it runs among the server's other threads and keeps the
    listing's two free for the pages behind it."""
    if query.filters.dyad:
        return await run_in_threadpool(task)
    return await asyncio.wrap_future(on_listing_threads(task))


def events_page(query: EventQuery, *, workspace: Path, bundle: Path | None) -> Events:
    """One page of the events ``query`` finds, with the total count, the cursors either side and the choices."""
    shown = echoed(query)
    found: list[Browsed] = []

    def gather() -> dict[str, Any]:
        require_lake(workspace)
        among = group_flags(query.groups, workspace=workspace, bundle=bundle)
        answer = browse(query.filters, order=query.order, place=query.place, size=PAGE_SIZE, among=among,
                        workspace=workspace)  # fmt: skip
        found.append(answer)
        return {
            "count": answer.count,
            "events": answer.events,
            "withheld": answer.withheld,
            "attributions": answer.attributions,
        }

    results = section(EventsSection, gather)
    answer = found[0] if found else None
    return Events(
        filters=EventFilters(**shown),
        page=query.place.page,
        page_size=PAGE_SIZE,
        first=answer.first + 1 if answer and answer.events else None,
        restarted=bool(answer and answer.restarted),
        categories=[c.value for c in Category],
        choices=_choices(workspace),
        links=Links(
            previous=_link(shown, before=answer.previous) if answer and answer.previous else None,
            next=_link(shown, after=answer.next) if answer and answer.next else None,
            csv=_link(shown, path="/events.csv"),
            parquet=_link(shown, path="/events.parquet"),
        ),
        results=results,
    )


def echoed(query: EventQuery) -> dict[str, Any]:
    """The query as the page echoes it: a region's countries are the region's, not listed again."""
    filters = query.filters
    preset = region(query.region).iso3s if query.region and query.region != WORLD else ()
    return {
        "region": query.region,
        "countries": [c for c in filters.countries if c not in preset],
        "categories": list(filters.categories),
        "groups": list(query.groups),
        "source": filters.source,
        "dyad": filters.dyad,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "audience": filters.audience.value if filters.audience else None,
        "sort": query.order,
    }


def _link(shown: dict[str, Any], *, path: str = "/events", **cursor: str | None) -> str:
    """The address of the same filters (and a cursor): lists as repeated parameters, empty ones left out."""
    pairs: list[tuple[str, str]] = []
    names = {"countries": "country", "categories": "category", "groups": "group"}
    for key, value in {**shown, **cursor}.items():
        for one in value if isinstance(value, list) else [value]:
            if one:
                pairs.append((names.get(key, key), str(one)))
    return f"{path}?{urlencode(pairs)}"


def _choices(workspace: Path) -> dict[str, list[Choice]]:
    """What the filters offer: the region presets, every country the lake holds events of (not only the region's),
    the categories, the priority groups and the orders (names in English; the page words them in its language)."""
    listing = current_listing(workspace)
    lake_countries = sorted(listing.countries) if listing is not None else []
    return {
        "regions": [Choice(value=r.name, name=r.description) for r in REGIONS.values()],
        "countries": sorted(
            (Choice(value=c, name=world_name(c)) for c in lake_countries if len(c) == 3), key=lambda c: c.name
        ),
        "categories": [Choice(value=c.value, name=c.value.replace("_", " ")) for c in Category],
        "groups": [Choice(value=g, name=g.replace("_", " ")) for g in PRIORITY_GROUPS],
        "sorts": [Choice(value=o, name=o) for o in ORDERS],
    }


# --- priority groups: the signals' classification as flags over the listing --------------------------------------

_flags: dict[Path, tuple[str, dict[str, Mask]]] = {}
_classifying = threading.Lock()


def group_flags(groups: tuple[str, ...], *, workspace: Path, bundle: Path | None) -> Mask | None:
    """Flags over the lake's listing for the events the centre's classification files under any of ``groups``
    (None when no group is asked). The classification (:func:`prevdip.signals.classify_events`, the region and its
    neighbours) runs once per committed state of the lake and process."""
    if not groups:
        return None
    listing = current_listing(workspace)
    if listing is None:
        raise RefusedInput(
            "priority groups need the lake's listing, which this lake does not have yet",
            hint="ingest once more with this version of prevdip (the listing is written at publish time)",
        )
    by_group = _by_group(listing, workspace, bundle)
    flags = np.zeros(len(listing), dtype=np.bool_)
    for group in groups:
        flags |= by_group.get(group, np.zeros(len(listing), dtype=np.bool_))
    return flags


def _by_group(listing: Listing, workspace: Path, bundle: Path | None) -> dict[str, Mask]:
    with _classifying:
        known = _flags.get(workspace)
        if known is not None and known[0] == listing.state.stamp:
            return known[1]
        from prevdip.signals import classify_events

        classified = classify_events(workspace=workspace, bundle=bundle)
        masks: dict[str, Mask] = {}
        for group, rows in classified.groupby("priority_group"):
            positions = listing.positions_of(pa.Table.from_pandas(rows[["source", "source_event_id"]]))
            mask = np.zeros(len(listing), dtype=np.bool_)
            mask[positions] = True
            masks[str(group)] = mask
        _flags[workspace] = (listing.state.stamp, masks)
        return masks


def export(query: EventQuery, *, form: str, workspace: Path, bundle: Path | None) -> bytes:
    """Every event ``query`` finds, in its order, as a CSV or Parquet file (:func:`prevdip.events.browse.export`);
    the Parquet file names the filter that chose them and the sources to cite."""
    among = group_flags(query.groups, workspace=workspace, bundle=bundle)
    listing = current_listing(workspace)
    sources = listing.sources if listing is not None else []
    note = {"filter": _link(echoed(query)), "attributions": " ".join(attributions(sources))}
    return export_events(query.filters, order=query.order, among=among, form=form, note=note, workspace=workspace)


def events_charts(query: EventQuery, *, workspace: Path, bundle: Path | None, lang: str) -> dict[str, Any]:
    """The map of every event the query finds (not only the page's fifty), clustered where dense, over the outlines
    of the region's countries it names; none when the events carry no place (the page says why)."""
    among = group_flags(query.groups, workspace=workspace, bundle=bundle)
    placed = clusters(query.filters, among=among, workspace=workspace)
    if not placed.marks:
        return {}
    words = strings(lang)["events"]
    title = words["map_title"]
    if placed.unplaced:
        title += " " + words["map_unplaced"].format(count=f"{placed.unplaced:,}")
    marks = [asdict(m) for m in placed.marks]
    spec = events_map(marks, query.filters.countries, title=title, bundle=bundle, lang=lang)
    return {"events-map": spec}
