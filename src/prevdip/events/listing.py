"""The events page's listing: the latest version of every event, in page order, in a few compact columns.

Every page of ``/events`` and every ``prevdip events`` asks two things of the whole lake: how many events match the
filters, and which ones come at this place in date order. Answered from the lake itself, each request chooses the
latest version of every event again (seconds for millions of events). The listing answers them from about 25 bytes
an event held in memory:

* **built at publish time** by the writer, for exactly the committed state it belongs to (the manifest names it):
  the previous listing merged with the run's own events, so an ingest pays for its events plus one pass over these
  compact columns; a lake without one (an older prevdip, a run staged without it) is read the slow way until the
  next ingest rebuilds it;
* **in page order** — date newest first, then source, then the source's id, as ``query_events`` orders — so a date
  range is a slice of it and a page is a run of a filter's hits;
* **pointing into the lake**: each entry names its event's file and row, and an ingest writes its files in the same
  date order with small row groups, so the events of a page sit together in one or two row groups of each file.

Filters mean exactly what :meth:`~prevdip.events.query.EventFilter.where` means (the tests compare both on the real
lake), and audiences what :mod:`prevdip.events.sharing` decides: the tiers an audience may see, and the licence's
row rule (ACLED's rows are listed to the centre only; the others count them as withheld). An event whose latest
version is a deletion keeps its entry (a later run's older version must not bring it back) but is never loaded.
A dyad is not asked of the listing: its border area needs the events' coordinates and the boundaries, and
``query_events`` answers it from the lake. Sorting by deaths or source and keyset pagination
(issue 16) are a permutation or a search over the same arrays: ``deaths`` and the position in page order are kept.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from prevdip.events.latest import Matching, latest_sql, stored_columns
from prevdip.events.manifest import LakeState, lake_state
from prevdip.events.schema import EVENT_COLUMNS
from prevdip.events.sharing import Audience, may_list, may_see

#: Rows per row group of an event file: a page reads one or two of them from each file it draws on.
ROWS_PER_GROUP = 2048
#: What the listing keeps: the page order, every filter's column, and where the event is.
COLUMNS = (
    "date_start",
    "source",
    "source_event_id",
    "source_version",
    "ingested_at",
    "country_iso3",
    "actor1_country",
    "actor2_country",
    "category",
    "sharing",
    "row_sharing",
    "fatalities_best",
    "deleted",
)
PAGE_ORDER = "date_start desc, source, source_event_id"
#: Memory the writer's DuckDB may use before it spills to the staging folder.
MEMORY_LIMIT = "512MB"
#: Event files sorted for the pages at once when a run is sealed.
SORTERS = 2
T = TypeVar("T")

#: The threads that answer pages. Two (the work is CPU-bound), and only these: allocators keep freed memory per
#: thread, so a server answering pages on its forty threads would keep forty threads' worth of masks and row groups.
_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="prevdip-listing")


def on_listing_threads(task: Callable[[], T]) -> Future[T]:
    """Run ``task`` on the listing's two threads (inside it, :meth:`Listing.work` runs in place). The dashboard
    answers a whole events page there, not only its listing part: twenty pages at once on twenty threads fought
    for the interpreter and answered a third fewer pages a second than two threads taking them in turn."""
    if _on_listing_thread():
        done: Future[T] = Future()
        try:
            done.set_result(task())
        except Exception as failure:  # handed to whoever waits, as the pool would
            done.set_exception(failure)
        return done
    return _WORKERS.submit(task)


def _on_listing_thread() -> bool:
    return threading.current_thread().name.startswith("prevdip-listing")


# --- writing (the ingest, under the lake's writer lock) -------------------------------------------------------------


def prepare_run(workspace: Path, folder: Path, run_id: str, files: list[str]) -> str | None:
    """Sort the run's staged event files in page order and write the listing of the lake as it will be once the run
    is published; returns the listing's path relative to the lake (None for a lake without events)."""
    state = lake_state(workspace)
    staged = [folder / name for name in files if name.startswith("events/")]
    old = state.listing_file()
    if old is not None and not _usable(old):
        old = None  # written before the listing carried every column it needs now: rebuilt from the lake
    if not staged and old is not None:
        return state.listing  # a series run: the events are unchanged
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = '{MEMORY_LIMIT}'")
        con.execute("set enable_progress_bar = false")  # `prevdip ingest --json` prints one JSON object, nothing else
        con.execute("set temp_directory = ?", [str(folder / ".spill")])
        _sort_all_for_pages(con, staged)
        parts = [_compact(con, staged, folder)] if staged else []
        if old is not None:
            parts.append(con.read_parquet(str(old)).select(", ".join([*COLUMNS, "file", "row"])))
        elif state.event_files():  # no listing of the current state yet: rebuilt from the lake once
            parts.append(_compact(con, state.event_files(), state.lake))
        if not parts:
            return None
        union = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
        name = f"listing/{run_id}.parquet"
        (folder / "listing").mkdir(exist_ok=True)
        listing = union.query("entries", _latest_entries())
        assert listing is not None
        listing.write_parquet(str(folder / name), compression="zstd")
    finally:
        con.close()
    return name


def _sort_all_for_pages(con: duckdb.DuckDBPyConnection, staged: list[Path]) -> None:
    """Sort the run's files two at a time: writing a file's zstd row groups is most of the seal, and Arrow and DuckDB
    do it without the interpreter, so a second file is written on the second core meanwhile (each on a cursor of
    its own: one DuckDB connection answers one query at a time; the memory limit is the database's, shared)."""

    def sort(path: Path) -> None:
        cursor = con.cursor()
        try:
            _sort_for_pages(cursor, path)
        finally:
            cursor.close()

    sorters = ThreadPoolExecutor(max_workers=SORTERS, thread_name_prefix="prevdip-seal")
    try:
        for sorted_file in [sorters.submit(sort, path) for path in staged]:
            sorted_file.result()  # the first failure is raised here...
    finally:  # ...after the files not yet begun are dropped and the one being written is finished
        sorters.shutdown(wait=True, cancel_futures=True)


def _sort_for_pages(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Rewrite a staged event file in page order with small row groups: same rows, same schema (DuckDB sorts,
    spilling to the staging folder when the file is large; Arrow writes the canonical schema as it was)."""
    sorted_path = path.with_name(path.name + ".sorted")
    schema = pq.read_schema(path)
    ordered = con.read_parquet(str(path)).order("date_start desc, source_event_id")
    # Plain encoding, zstd on top: a page decodes a row group's thirty columns to show fifty of its rows, and
    # dictionaries made that a third slower (and the files no smaller).
    with pq.ParquetWriter(sorted_path, schema, compression="zstd", use_dictionary=False) as writer:
        for batch in ordered.to_arrow_reader(32 * ROWS_PER_GROUP):
            writer.write_batch(batch.cast(schema), row_group_size=ROWS_PER_GROUP)
    os.replace(sorted_path, path)


def _compact(con: duckdb.DuckDBPyConnection, files: list[Path], root: Path) -> duckdb.DuckDBPyRelation:
    """The listing's columns of every stored row of ``files``, each with its file (relative to ``root``, which
    is where it will lie in the lake) and row."""
    stored = con.read_parquet(
        [str(f) for f in files], union_by_name=True, hive_partitioning=False, filename=True, file_row_number=True
    )
    prefix = str(root) + os.sep
    select = f"{stored_columns(stored, COLUMNS)}, replace(filename, '{_quoted(prefix)}', '') as file, "
    relation = stored.query("stored", f"select {select} file_row_number as row from stored")
    assert relation is not None
    return relation


def _latest_entries() -> str:
    """Each event once, in its latest version, in page order. Most events have one version: only those with more
    (in the run, or in the run and the listing before it) go through the ranking of versions."""
    columns = ", ".join([*COLUMNS, "file", "row"])
    return f"""
        with contested as (select source, source_event_id from entries group by all having count(*) > 1),
        versions as (select * from entries semi join contested using (source, source_event_id))
        select {columns} from entries anti join contested using (source, source_event_id)
        union all ({latest_sql("versions", columns)})
        order by {PAGE_ORDER}
        """


def _usable(listing: Path) -> bool:
    """Whether a listing file is there and carries every column a listing holds now."""
    return listing.is_file() and {*COLUMNS, "file", "row"} <= set(pq.read_schema(listing).names)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


# --- reading ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A filter's answer for its audience: how many events match and may be listed, the positions (in page order)
    of the ones asked for; by source, how many more it may count but not list (``withheld``); and the sources of
    all it may see."""

    count: int
    positions: np.ndarray[Any, np.dtype[np.int64]]
    withheld: dict[str, int]
    sources: list[str]


Mask = np.ndarray[Any, np.dtype[np.bool_]]
#: The orders a page may be sorted in; each is a key per event that grows down the page (see :meth:`Listing.keys`).
ORDERS = ("date", "deaths", "source")


class Listing:
    """The listing of one committed lake state, held as numpy arrays: codes for filtering, locators for fetching."""

    def __init__(self, state: LakeState) -> None:
        path = state.listing_file()
        assert path is not None
        self.state = state
        columns = _Columns(path)
        kept, words = columns.arrays, columns.words
        # Days since 1970, negated: page order is newest first, and searchsorted wants them ascending.
        self._ascending = np.negative(kept["date_start"], out=kept["date_start"])
        self.sources, self._source = list(words["source"]), kept["source"]
        self.categories, self._category = list(words["category"]), kept["category"]
        self.tiers, self._tier, self._row_tier = list(words["sharing"]), kept["sharing"], kept["row_sharing"]
        self.files, self._file = list(words["file"]), kept["file"]
        self.countries = list(words["country"])
        self._country, self._actor1, self._actor2 = kept["country_iso3"], kept["actor1_country"], kept["actor2_country"]
        self.deaths, self._row = kept["fatalities_best"], kept["row"]
        self._metadata: dict[int, tuple[pq.FileMetaData, np.ndarray[Any, np.dtype[np.int64]]]] = {}
        self._audiences: dict[tuple[str, Audience], Mask] = {}
        self._guard = threading.Lock()

    def __len__(self) -> int:
        return len(self._ascending)

    def keys(self, positions: np.ndarray[Any, np.dtype[np.int64]], order: str) -> np.ndarray[Any, np.dtype[np.int64]]:
        """A key for each event at ``positions`` that grows down a page sorted by ``order``: newest first
        (``date``: the position itself), most deaths first (unknown last), or by source name — each then in page
        order, so keys are unique and a page boundary is one number (the keyset cursor of ``/events``)."""
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}")
        if order == "date":
            return positions
        if order == "deaths":
            primary = -self.deaths[positions].astype(np.int64)
            primary[primary > 0] = 1  # unknown deaths (-1) come after every count, zero included
        else:
            ranks = np.argsort(np.argsort(np.array(self.sources, dtype=object)))
            primary = ranks[self._source[positions]].astype(np.int64)
        return primary * len(self) + positions

    def positions_of(self, events: pa.Table) -> np.ndarray[Any, np.dtype[np.int64]]:
        """The positions (in page order) of ``events`` (columns ``source``, ``source_event_id``) that are listed:
        how another domain's choice of events (a priority group) becomes a mask over the listing."""
        path = self.state.listing_file()
        assert path is not None
        con = duckdb.connect()
        try:
            con.register("chosen", events.select(["source", "source_event_id"]))
            listed = con.read_parquet(str(path), file_row_number=True)
            ranked = listed.query(
                "listed",
                "select source, source_event_id, row_number() over (order by file_row_number) - 1 as position "
                "from listed where not coalesce(deleted, false)",
            )
            assert ranked is not None
            found = ranked.join(con.table("chosen"), "source, source_event_id").select("position")
            return np.sort(found.fetchnumpy()["position"].astype(np.int64))
        finally:
            con.close()

    def work(self, task: Callable[[], T]) -> T:
        """Run ``task`` (which reads this listing) on the listing's two threads: see :meth:`page`."""
        return on_listing_threads(task).result()

    def page(self, filters: Any, *, offset: int = 0, limit: int | None = None) -> Matching:
        """What ``filters`` find, with the ``limit`` events from ``offset`` on — worked out on one of the listing's
        two threads (the masks and row groups of many pages at once stay two threads' worth)."""

        def work() -> Matching:
            chosen = self.select(filters, offset=offset, limit=limit)
            return Matching(chosen.count, self.events(chosen.positions), chosen.withheld, chosen.sources)

        return self.work(work)

    def select(
        self, filters: Any, *, offset: int = 0, limit: int | None = None, among: Mask | None = None
    ) -> Selection:
        """The events matching ``filters`` (an :class:`~prevdip.events.query.EventFilter`), and the positions of
        ``limit`` of them from ``offset`` on, in page order. A dyad is answered from the lake (see the module).
        ``among`` (one flag per listed event, e.g. those of a priority group) narrows the choice further."""
        if filters.dyad:
            raise ValueError("a dyad's events are chosen from the lake, not the listing")
        low, high = self._dates(filters.since, filters.until)
        high = max(low, high)
        reader = filters.audience or Audience.centre
        seen = self._mask(filters, reader, low, high, among)
        listed = seen if reader is Audience.centre else self._listable(reader, low, high, seen)
        stop = None if limit is None else offset + limit
        if listed is None:
            count = high - low
            positions = np.arange(low + offset, high if stop is None else min(high, low + stop), dtype=np.int64)
        else:
            hits = np.flatnonzero(listed)
            count = len(hits)
            positions = low + hits[offset:stop].astype(np.int64)
        return Selection(count, positions, *self._by_source(low, high, seen, listed))

    def _listable(
        self, reader: Audience, low: int, high: int, seen: np.ndarray[Any, np.dtype[np.bool_]] | None
    ) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Of the events ``seen`` in ``low:high``, the ones the licence of their source lets ``reader`` see listed."""
        listable = self._for_audience("listed", reader)[low:high]
        return listable if seen is None else listable & seen

    def _for_audience(self, kind: str, reader: Audience) -> Mask:
        """One flag per listed event: whether ``reader`` may see it (``seen``: its sharing tier) or see it listed
        (``listed``: its source's licence). Worked out once per audience and listing — a few tiers and sources
        decide them, so a request slices them instead of indexing the whole listing again. Read-only: a slice of
        them is never combined in place."""
        with self._guard:
            known = self._audiences.get((kind, reader))
        if known is not None:
            return known
        tiers = [*self.tiers, None]  # code -1 (no tier stored: a published source) takes the last entry
        if kind == "seen":
            flags = np.array([may_see(reader, tier) for tier in tiers])[self._tier]
        else:
            allowed = np.array([[may_list(reader, tier, source) for tier in tiers] for source in self.sources])
            flags = allowed.astype(np.bool_)[self._source, self._row_tier]
        flags.setflags(write=False)
        with self._guard:
            self._audiences[(kind, reader)] = flags
        return flags

    def _by_source(
        self,
        low: int,
        high: int,
        seen: np.ndarray[Any, np.dtype[np.bool_]] | None,
        listed: np.ndarray[Any, np.dtype[np.bool_]] | None,
    ) -> tuple[dict[str, int], list[str]]:
        """How many seen events each source has withheld from the list, and the sources of the seen events."""
        codes = self._source[low:high]
        found = np.bincount(codes if seen is None else codes[seen], minlength=len(self.sources))
        shown = found if listed is seen else np.bincount(codes[listed], minlength=len(self.sources))
        withheld = {self.sources[c]: int(found[c] - shown[c]) for c in np.flatnonzero(found - shown)}
        return dict(sorted(withheld.items())), sorted(self.sources[c] for c in np.flatnonzero(found))

    def _dates(self, since: date | None, until: date | None) -> tuple[int, int]:
        # An int32 needle: a Python int would make numpy copy the whole array to int64 first.
        ascending = self._ascending
        low = 0 if until is None else int(np.searchsorted(ascending, np.int32(-_day(until)), side="left"))
        high = len(self) if since is None else int(np.searchsorted(ascending, np.int32(-_day(since)), side="right"))
        return low, high

    def _mask(
        self, filters: Any, reader: Audience, low: int, high: int, among: Mask | None = None
    ) -> np.ndarray[Any, np.dtype[np.bool_]] | None:
        """The events of ``low:high`` that match ``filters`` and ``reader`` may see (None: all of them)."""
        span = slice(low, high)
        masks = [] if among is None else [among[span]]
        countries = _wanted(filters.country, getattr(filters, "countries", ()))
        if countries:
            codes = [_code(self.countries, c) for c in countries]
            masks.append(_any_of([self._country[span], self._actor1[span], self._actor2[span]], codes))
        if filters.source:
            masks.append(self._source[span] == _code(self.sources, filters.source))
        categories = _wanted(filters.category, getattr(filters, "categories", ()))
        if categories:
            masks.append(_any_of([self._category[span]], [_code(self.categories, c) for c in categories]))
        if reader is not Audience.centre:
            masks.append(self._for_audience("seen", reader)[span])
        if not masks:
            return None
        return masks[0] if len(masks) == 1 else np.logical_and.reduce(masks)

    def events(self, positions: np.ndarray[Any, np.dtype[np.int64]]) -> list[dict[str, Any]]:
        """The canonical events at ``positions``, in that order, read from their files' row groups."""
        found: dict[int, dict[str, Any]] = {}
        files = self._file[positions]
        for code in np.unique(files):
            chosen = positions[files == code]
            for position, event in zip(chosen, self._read(int(code), self._row[chosen]), strict=True):
                found[int(position)] = event
        return [found[int(p)] for p in positions]

    def _read(self, code: int, rows: np.ndarray[Any, np.dtype[np.int32]]) -> list[dict[str, Any]]:
        """The events at ``rows`` of one file, from its row groups (decoded once: see :data:`GROUPS`)."""
        path = self.state.lake / self.files[code]
        metadata, starts = self._layout(code, path)
        groups = np.searchsorted(starts, rows, side="right") - 1
        taken: list[dict[str, Any]] = [{} for _ in range(len(rows))]
        for group in np.unique(groups):
            where = np.flatnonzero(groups == group)
            table = GROUPS.get(path, int(group), metadata)
            local = pa.array(rows[where].astype(np.int64) - starts[group], type=pa.int64())
            maps = [f.name for f in table.schema if pa.types.is_map(f.type)]  # Arrow gives pairs, DuckDB a dict
            for at, event in zip(where, table.take(local).to_pylist(), strict=True):
                taken[at] = {c: event.get(c) for c in EVENT_COLUMNS} | {m: _as_dict(event[m]) for m in maps}
        return taken

    def coordinates(
        self, positions: np.ndarray[Any, np.dtype[np.int64]]
    ) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
        """Latitude and longitude of the events at ``positions`` (NaN where unknown): two columns of the row groups
        they sit in, not the events' thirty (what a map of many thousand events needs)."""
        latitude = np.full(len(positions), np.nan)
        longitude = np.full(len(positions), np.nan)
        files = self._file[positions]
        for code in np.unique(files):
            where = np.flatnonzero(files == code)
            rows = self._row[positions[where]]
            path = self.state.lake / self.files[int(code)]
            metadata, starts = self._layout(int(code), path)
            groups = np.searchsorted(starts, rows, side="right") - 1
            wanted = np.unique(groups)
            table = pq.ParquetFile(path, metadata=metadata).read_row_groups(
                [int(g) for g in wanted], columns=["latitude", "longitude"], use_threads=False
            )
            sizes = np.array([metadata.row_group(int(g)).num_rows for g in wanted])
            offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
            local = offsets[np.searchsorted(wanted, groups)] + rows - starts[groups]
            latitude[where] = table["latitude"].to_numpy(zero_copy_only=False)[local]
            longitude[where] = table["longitude"].to_numpy(zero_copy_only=False)[local]
        return latitude, longitude

    def _layout(self, code: int, path: Path) -> tuple[pq.FileMetaData, np.ndarray[Any, np.dtype[np.int64]]]:
        """A file's footer (read once) and the first row of each of its row groups."""
        with self._guard:
            known = self._metadata.get(code)
        if known is None:
            metadata = pq.read_metadata(path)
            sizes = [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)]
            known = (metadata, np.cumsum([0, *sizes[:-1]]).astype(np.int64))
            with self._guard:
                self._metadata[code] = known
        return known


class _DecodedGroups:
    """The row groups pages read lately, decoded, up to ``budget`` bytes (the one read longest ago goes first).

    A page's fifty events sit in one or two 2,048-row groups of each file it draws on, and decoding a group's thirty
    columns was most of what a page cost; the first pages of the usual filters are asked again and again. Keyed by
    the file's path: an event file is never rewritten under its name (a run's files carry its id), so an entry
    stays true whatever state of the lake reads it."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._groups: OrderedDict[tuple[Path, int], pa.Table] = OrderedDict()
        self._held = 0
        self._guard = threading.Lock()

    def get(self, path: Path, group: int, metadata: pq.FileMetaData) -> pa.Table:
        key = (path, group)
        with self._guard:
            table = self._groups.get(key)
            if table is not None:
                self._groups.move_to_end(key)
                return table
        stored = metadata.schema.to_arrow_schema().names  # the Parquet schema names a map by its leaves
        present = [c for c in EVENT_COLUMNS if c in stored]
        table = pq.ParquetFile(path, metadata=metadata).read_row_group(group, columns=present, use_threads=False)
        with self._guard:
            if key not in self._groups:
                self._groups[key] = table
                self._held += table.nbytes
            while self._held > self.budget and len(self._groups) > 1:
                _, dropped = self._groups.popitem(last=False)
                self._held -= dropped.nbytes
        return table


#: The decoded row groups this process keeps for pages: 64 MB, a few dozen groups of GDELT-sized events.
GROUPS = _DecodedGroups(64 * 1024 * 1024)


#: Each column the server keeps, in the integer it is kept as: text as a code in its vocabulary (the three country
#: columns share one, so they compare; so do the two tiers), dates as days since 1970, files' rows. 26 bytes an event.
KEPT: dict[str, tuple[type[np.signedinteger[Any]], str | None]] = {
    "date_start": (np.int32, None),
    "source": (np.int16, "source"),
    "country_iso3": (np.int16, "country"),
    "actor1_country": (np.int16, "country"),
    "actor2_country": (np.int16, "country"),
    "category": (np.int16, "category"),
    "sharing": (np.int16, "sharing"),
    "row_sharing": (np.int16, "sharing"),
    "fatalities_best": (np.int32, None),
    "file": (np.int32, "file"),
    "row": (np.int32, None),
}


class _Columns:
    """A listing file read batch by batch into arrays allocated once at their final size: loading it never holds
    more than one batch of Arrow data besides the arrays the server keeps. Deleted events are left out."""

    def __init__(self, path: Path) -> None:
        stored = pq.ParquetFile(path, read_dictionary=[c for c, (_, words) in KEPT.items() if words])
        rows = stored.metadata.num_rows
        self.arrays = {name: np.empty(rows, dtype=kind) for name, (kind, _) in KEPT.items()}
        self.words: dict[str, dict[str, int]] = {words: {} for _, words in KEPT.values() if words}
        start = 0
        for batch in stored.iter_batches(batch_size=65_536, columns=[*KEPT, "deleted"], use_threads=False):
            standing = pc.invert(batch.column("deleted").fill_null(False)).to_numpy(zero_copy_only=False)
            kept = int(standing.sum())
            for name in KEPT:
                self.arrays[name][start : start + kept] = self._values(name, batch.column(name))[standing]
            start += kept
        if start < rows:  # a few deletions: the arrays' tails stay unused
            self.arrays = {name: values[:start] for name, values in self.arrays.items()}

    def _values(self, name: str, column: pa.Array) -> np.ndarray[Any, Any]:
        kind, vocabulary = KEPT[name]
        if vocabulary is None:
            numbers = pc.cast(column, pa.int32()) if pa.types.is_date(column.type) else column.fill_null(-1)
            return numbers.to_numpy()
        words = self.words[vocabulary]
        recode = [words.setdefault(str(w), len(words)) for w in column.dictionary.to_pylist()]
        if len(words) >= np.iinfo(kind).max:
            raise ValueError(f"the listing's {name} has more distinct values than it can code")
        return np.array([*recode, -1], dtype=kind)[column.indices.fill_null(-1).to_numpy()]


def _wanted(one: str | None, many: tuple[str, ...]) -> tuple[str, ...]:
    """The values a filter field asks for: its one value and its several (either may be empty)."""
    return (*([one] if one else []), *many)


def _as_dict(pairs: list[tuple[str, str]] | None) -> dict[str, str] | None:
    return None if pairs is None else dict(pairs)


def _any_of(columns: list[np.ndarray[Any, Any]], codes: list[int]) -> Mask:
    """Where any of ``columns`` (codes) holds one of ``codes``: a filter names a few values, and one vectorised
    comparison per value and column is several times faster than ``np.isin`` (which sorts) or a lookup table."""
    mask = np.zeros(len(columns[0]), dtype=np.bool_)
    for code in {c for c in codes if c >= 0}:  # a value the listing does not hold matches nothing
        for column in columns:
            mask |= column == code
    return mask


def _code(values: list[str], value: str) -> int:
    """The code of ``value``, or one no row has."""
    try:
        return values.index(value)
    except ValueError:
        return -2


def _day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


#: The listings loaded in this process: the latest state of each lake only, and of the few lakes read last (a
#: server reads one; a test session opens hundreds, and each listing holds 24 bytes an event).
LAKES_KEPT = 4
_current: OrderedDict[Path, Listing] = OrderedDict()
_loading = threading.Lock()


def listing_of(state: LakeState) -> Listing | None:
    """The listing of ``state`` (loaded once per committed state and process), or None when the state has none."""
    if state.listing is None:
        return None
    with _loading:
        known = _current.get(state.lake)
        if known is None or known.state.stamp != state.stamp:
            known = Listing(state)  # loaded under the lock: two requests never load one state twice
            _current[state.lake] = known  # the previous state's listing is dropped: memory stays one listing
        _current.move_to_end(state.lake)  # the lake read longest ago is the one let go
        while len(_current) > LAKES_KEPT:
            _current.popitem(last=False)
    return known


def current_listing(workspace: Path) -> Listing | None:
    """The listing of the workspace's lake as readers see it now."""
    return listing_of(lake_state(workspace))
