"""Browsing the lake as an analyst does on ``/events``: a filter, an order, and a page found by its cursor.

A page is found by *keyset*, not by counting pages: every listed event has a key that grows down the list in the
chosen order (:meth:`~prevdip.events.listing.Listing.keys`), a cursor is the key of the event a page ends (or
begins) at, and the next page is the events whose keys come after it — one binary search, however deep the
reader goes, and no page cap. Keys are positions in the listing of one committed state of the lake, so a cursor
carries that state's stamp: a cursor from an earlier state (the lake took an ingest since) starts the list again
and says so, rather than land somewhere else. ``page=N`` is still answered (the ``N``-th run of ``size`` events).

A dyad, or a lake without a listing, is read from the lake itself (:func:`~prevdip.events.query.query_events`):
newest first only, and the cursor is then the number of events before the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from prevdip.errors import RefusedInput
from prevdip.events.listing import ORDERS, Listing, Mask, listing_of
from prevdip.events.manifest import lake_state
from prevdip.events.query import EventFilter, _without_reporter, jsonable_events, query_events
from prevdip.events.schema import EVENT_SCHEMA
from prevdip.events.sharing import Audience


@dataclass(frozen=True)
class Browsed:
    """One page of a filtered, sorted list: ``count`` events in all, ``events`` from the ``first``-th (0-based)
    on, the cursors of the pages either side (None at an end), ``withheld`` and ``attributions`` as
    :func:`~prevdip.events.query.query_events` gives them, and whether an outdated cursor ``restarted`` the list."""

    count: int
    events: list[dict[str, Any]]
    first: int
    next: str | None
    previous: str | None
    withheld: dict[str, int] = field(default_factory=dict)
    attributions: list[str] = field(default_factory=list)
    restarted: bool = False


@dataclass(frozen=True)
class Place:
    """Where a page starts: after or before a cursor, or at the ``page``-th run of events (1-based)."""

    after: str | None = None
    before: str | None = None
    page: int | None = None

    def __post_init__(self) -> None:
        """A cursor is a lake state's stamp and a key (``<12 hex>~<key>``) or a count of events (``o<n>``); anything
        else is refused at the boundary, and so is a page below 1."""
        for cursor in (self.after, self.before):
            if cursor is not None and not _CURSOR.fullmatch(cursor):
                raise RefusedInput(f"bad cursor {cursor!r}", hint="follow the page's next and previous links")
        if self.page is not None and self.page < 1:
            raise RefusedInput(f"page {self.page} is out of range", hint="pages count from 1")


_CURSOR = re.compile(r"[0-9a-f]{12}~-?[0-9]{1,19}|o[0-9]{1,12}")


def browse(
    filters: EventFilter,
    *,
    order: str = "date",
    place: Place | None = None,
    size: int = 50,
    among: Mask | None = None,
    workspace: Path,
) -> Browsed:
    """The page of ``filters``' events (narrowed to ``among``, flags over the listing) at ``place``, by ``order``."""
    if order not in ORDERS:
        raise RefusedInput(f"unknown sort order {order!r}", hint=f"sort by one of: {', '.join(ORDERS)}")
    place = place or Place()
    state = lake_state(workspace)
    listing = None if filters.dyad else listing_of(state)
    if listing is None:
        if among is not None:
            raise RefusedInput(
                "a priority group cannot be combined with a border dyad",
                hint="choose the dyad's countries instead, or leave the priority group out",
            )
        return _scanned(filters, place, size, workspace)
    chosen = listing
    return chosen.work(lambda: _listed(chosen, filters, order, place, size, among))


def sorted_positions(
    listing: Listing, filters: EventFilter, order: str, among: Mask | None = None
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Every listed event ``filters`` find (narrowed to ``among``), as positions and keys, in ``order``."""
    return _in_order(listing, listing.select(filters, among=among).positions, order)


def _in_order(
    listing: Listing, positions: np.ndarray[Any, np.dtype[np.int64]], order: str
) -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    keys = listing.keys(positions, order)
    if order != "date":  # page order is already the date order
        ranked = np.argsort(keys, kind="stable")
        positions, keys = positions[ranked], keys[ranked]
    return positions, keys


def _listed(listing: Listing, filters: EventFilter, order: str, place: Place, size: int, among: Mask | None) -> Browsed:
    chosen = listing.select(filters, among=among)
    positions, keys = _in_order(listing, chosen.positions, order)
    stamp = listing.state.stamp[:12]
    start, restarted = _start(place, keys, stamp, size)
    shown = positions[start : start + size]
    stop = start + len(shown)
    rows = listing.events(shown)
    return Browsed(
        count=len(positions),
        events=jsonable_events(rows, filters.audience or Audience.centre),
        first=start,
        next=f"{stamp}~{keys[stop - 1]}" if stop < len(keys) else None,
        previous=f"{stamp}~{keys[start]}" if 0 < start < len(keys) else None,  # past the end: nothing before it
        withheld=chosen.withheld,
        attributions=_attributions(chosen.sources),
        restarted=restarted,
    )


def _start(place: Place, keys: np.ndarray[Any, np.dtype[np.int64]], stamp: str, size: int) -> tuple[int, bool]:
    """The index in ``keys`` a page starts at, and whether its cursor was from another state of the lake."""
    cursor = place.after or place.before
    if cursor is None:
        return (0 if place.page is None else _page_start(place.page, size)), False
    made, _, key = cursor.partition("~")
    if made != stamp:  # an earlier state's cursor (or a count, from a list read from the lake)
        return 0, True
    if place.after:
        return int(np.searchsorted(keys, int(key), side="right")), False
    return max(0, int(np.searchsorted(keys, int(key), side="left")) - size), False


def _page_start(page: int, size: int) -> int:
    return (page - 1) * size


def _scanned(filters: EventFilter, place: Place, size: int, workspace: Path) -> Browsed:
    """A page read from the lake itself, newest first; its cursors count the events before it."""
    if place.after or place.before:
        cursor = str(place.after or place.before)
        counted = int(cursor[1:]) if cursor.startswith("o") else 0  # a keyset cursor here: from the top
        start = counted if place.after else max(0, counted - size)
    else:
        start = 0 if place.page is None else _page_start(place.page, size)
    answer = query_events(filters, limit=size, offset=start, workspace=workspace)
    count, rows = int(answer["count"]), list(answer["events"])
    stop = start + len(rows)
    return Browsed(
        count=count,
        events=rows,
        first=start,
        next=f"o{stop}" if stop < count else None,
        previous=f"o{start}" if start > 0 else None,
        withheld=dict(answer["withheld"]),
        attributions=list(answer["attributions"]),
    )


def _attributions(sources: list[str]) -> list[str]:
    from prevdip.events.licences import attributions

    return attributions(sources)


def export_events(
    filters: EventFilter, *, order: str = "date", among: Mask | None = None, form: str, note: dict[str, str],
    workspace: Path,
) -> bytes:  # fmt: skip
    """Every event ``filters`` find for their audience (the same rows the pages list: a licence that keeps rows in
    the centre keeps them out of an outsider's file), in ``order``, as CSV or Parquet. The Parquet file carries the
    canonical schema and ``note`` (the filter's address, the sources' attributions) in its metadata; the CSV
    writes dates as ISO text and each event's ``attributes`` as one JSON object."""
    reader = filters.audience or Audience.centre
    state = lake_state(workspace)
    listing = None if filters.dyad else listing_of(state)
    if not state.event_files():
        rows: list[dict[str, Any]] = []  # an empty lake: the columns and no row
    elif listing is None:
        if among is not None:
            raise RefusedInput("a priority group cannot be combined with a border dyad", hint="choose one")
        rows = list(query_events(filters, limit=None, workspace=workspace)["events"])
    else:
        chosen = listing
        rows = chosen.work(lambda: chosen.events(sorted_positions(chosen, filters, order, among)[0]))
        rows = [_without_reporter(row) for row in rows] if reader is not Audience.centre else rows
    table = pa.Table.from_pylist([_typed(row) for row in rows], schema=EVENT_SCHEMA)
    return _parquet(table, note) if form == "parquet" else _csv(table)


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the canonical schema takes it (the lake's scan gives dates as ISO text)."""
    typed = dict(row)
    for name in ("date_start", "date_end"):
        if isinstance(typed.get(name), str):
            typed[name] = date.fromisoformat(typed[name])
    if isinstance(typed.get("ingested_at"), str):
        typed["ingested_at"] = datetime.fromisoformat(typed["ingested_at"])
    if isinstance(typed.get("attributes"), dict):
        typed["attributes"] = list(typed["attributes"].items())
    return typed


def _parquet(table: pa.Table, note: dict[str, str]) -> bytes:
    buffer = pa.BufferOutputStream()
    metadata = {**(table.schema.metadata or {}), **{f"prevdip.{k}".encode(): v.encode() for k, v in note.items()}}
    pq.write_table(table.replace_schema_metadata(metadata), buffer, compression="zstd")
    return bytes(buffer.getvalue().to_pybytes())


def _csv(table: pa.Table) -> bytes:
    attributes = [
        None if m is None else json.dumps(dict(m), ensure_ascii=False) for m in table["attributes"].to_pylist()
    ]
    flat = table.set_column(table.schema.get_field_index("attributes"), "attributes", pa.array(attributes, pa.string()))
    buffer = pa.BufferOutputStream()
    pacsv.write_csv(flat, buffer)
    return bytes(buffer.getvalue().to_pybytes())


@dataclass(frozen=True)
class Cluster:
    """Events drawn as one mark: the mean place of ``events`` events in one cell of the map's grid, their deaths."""

    latitude: float
    longitude: float
    events: int
    deaths: int


#: Cells across the widest side of the events' extent: fewer and events merge into a few blobs, more and a dense
#: place is a smear of overlapping points.
CELLS_ACROSS = 60


@dataclass(frozen=True)
class Placed:
    """A map's marks, and how many of the events carry no place (a TFDD event names a basin, not a point)."""

    marks: list[Cluster]
    unplaced: int


def clusters(filters: EventFilter, *, among: Mask | None = None, workspace: Path) -> Placed:
    """The events ``filters`` find (those their audience may see listed) as marks for a map: one per cell of a
    grid laid over their extent, so a single event stays a point and a thousand in one town become one large mark.
    A dyad or a lake without a listing gives no marks (the page says the map follows the listing)."""
    listing = None if filters.dyad else listing_of(lake_state(workspace))
    if listing is None:
        return Placed([], 0)
    chosen = listing
    return chosen.work(lambda: _clusters(chosen, filters, among))


def _clusters(listing: Listing, filters: EventFilter, among: Mask | None) -> Placed:
    positions = listing.select(filters, among=among).positions
    latitude, longitude = listing.coordinates(positions)
    placed = ~(np.isnan(latitude) | np.isnan(longitude))
    unplaced = int(len(placed) - placed.sum())
    if not placed.any():
        return Placed([], unplaced)
    latitude, longitude = latitude[placed], longitude[placed]
    deaths = np.maximum(listing.deaths[positions[placed]], 0).astype(np.int64)
    # The extent of most events (a few far away — a region's soldiers abroad — would coarsen the grid for all).
    low, high = np.percentile(latitude, [2, 98]), np.percentile(longitude, [2, 98])
    span = max(float(low[1] - low[0]), float(high[1] - high[0]), 1.0)
    cell = span / CELLS_ACROSS
    keys = np.floor(latitude / cell).astype(np.int64) * 1_000_000 + np.floor(longitude / cell).astype(np.int64)
    cells, which, counts = np.unique(keys, return_inverse=True, return_counts=True)
    mean_lat = np.bincount(which, weights=latitude) / counts
    mean_lon = np.bincount(which, weights=longitude) / counts
    total = np.bincount(which, weights=deaths)
    marks = [
        Cluster(round(float(mean_lat[i]), 3), round(float(mean_lon[i]), 3), int(counts[i]), int(total[i]))
        for i in range(len(cells))
    ]
    return Placed(marks, unplaced)
