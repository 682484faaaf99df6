"""The one interface every connector has: detect, read as a stream, normalise, validate.

A connector reads a file as a stream of :class:`RawBatch` (the source's own columns, all text, with the row number
of every record and the rows that could not even be split into fields), then *normalises* each batch into canonical
columns with a reason for every row it could not take. The shared :func:`validate` adds the checks every event must
pass (a date, coordinates on the globe, an ISO3 country) so no connector can forget them. Everything is columnar
(pyarrow compute), so a 2-million-row file costs a few seconds, not a Python loop per row.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from prevdip.events.connectors.columns import Reasons, joined_text
from prevdip.events.terms import Licence


def printable(text: str) -> str:
    """Text safe to store and print: bytes that were not UTF-8 (kept as surrogates) are written as ``\\xff``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class Quarantined:
    """A row set aside: where it is, what it said and why it was not taken.

    ``reason`` reads ``"<kind>: <detail>"``; the kind (``bad date``, ``coordinates out of range``, ``unknown
    country``, ``wrong field count``, ``undecodable bytes``, ``truncated``, ...) is what ingest reports count.
    Raw text and reason are made printable on the way in, so no reader can trip over the bytes that got the row
    quarantined.
    """

    file: str
    row_number: int
    raw: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", printable(self.raw))
        object.__setattr__(self, "reason", printable(self.reason))

    @property
    def kind(self) -> str:
        return self.reason.split(":", 1)[0]


@dataclass
class RawBatch:
    """Records as the source wrote them (string columns), their row numbers, and rows that were not records."""

    file: str
    records: pa.Table
    row_numbers: pa.Array
    problems: list[Quarantined] = field(default_factory=list)
    delimiter: str = ","
    warnings: list[str] = field(default_factory=list)  # about the file as a whole ("looks truncated")
    raw: pa.Array | None = None  # each record's text as in the file, when the reader kept it


@dataclass
class Chunk:
    """One normalised batch: canonical rows taken and rows quarantined (``rows`` counts both)."""

    table: pa.Table
    quarantined: list[Quarantined]
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.table.num_rows + len(self.quarantined)


class Connector(ABC):
    """A source format. Subclasses set ``name`` (the ``prevdip ingest SOURCE``), ``licence`` and ``target``.

    ``target`` is ``"events"`` for the event lake, or the name of a series beside it (``conflict_years``,
    ``country_month_deaths``), whose rows are keyed by ``series_key``. ``licence`` says what the source's terms
    allow; its row tier is stored with every event the connector reads.
    """

    name: ClassVar[str]
    licence: ClassVar[Licence]
    target: ClassVar[str] = "events"
    series_key: ClassVar[tuple[str, ...]] = ()
    places: ClassVar[bool] = True  # its rows say where events happened (a deletions list does not)

    @property
    def source(self) -> str:
        """The lake source its rows belong to: the name, except for a list revising another source's events."""
        return self.name

    @abstractmethod
    def detect(self, path: Path, head: str) -> bool:
        """Whether ``head`` (the first few kilobytes, decoded leniently) looks like this source's files."""

    @abstractmethod
    def read(self, path: Path) -> Iterator[RawBatch]:
        """The file as raw batches; a file of the wrong kind raises :class:`RefusedInput` before any batch."""

    @abstractmethod
    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        """Canonical columns for every record of ``raw`` and the reasons to set some of them aside."""

    def chunks(self, path: Path) -> Iterator[Chunk]:
        """Read, normalise and validate: the stream ingest consumes."""
        for raw in self.read(path):
            if raw.records.num_rows == 0:
                yield Chunk(table=self.empty(), quarantined=list(raw.problems), warnings=list(raw.warnings))
                continue
            table, reasons = self.normalise(raw)
            self.validate(table, reasons)
            yield self.licensed(split(raw, table, reasons))

    def licensed(self, chunk: Chunk) -> Chunk:
        """Events carry their source's row tier (a connector that sets its own, like field reports, keeps it)."""
        if self.target != "events" or not chunk.table.num_rows:
            return chunk
        index = chunk.table.schema.get_field_index("row_sharing")
        tier = pc.fill_null(chunk.table["row_sharing"], self.licence.rows)
        chunk.table = chunk.table.set_column(index, "row_sharing", tier)
        return chunk

    def validate(self, table: pa.Table, reasons: Reasons) -> None:
        """Checks every event must pass, whatever its source (series connectors override)."""
        validate_events(table, reasons)

    def empty(self) -> pa.Table:
        from prevdip.events.schema import EVENT_SCHEMA

        return EVENT_SCHEMA.empty_table()


def validate_events(table: pa.Table, reasons: Reasons) -> None:
    """A date, coordinates on the globe, an ISO3-shaped country and a non-empty id."""
    reasons.add(pc.equal(pc.utf8_length(pc.fill_null(table["source_event_id"], "")), 0), "missing id: no event id")
    reasons.add(pc.is_null(table["date_start"]), "bad date: no usable start date")
    end_before = pc.less(table["date_end"], table["date_start"])
    reasons.add(end_before, "bad date: date_end before date_start")
    lat, lon = table["latitude"], table["longitude"]
    off = pc.or_(pc.greater(pc.abs(lat), 90), pc.greater(pc.abs(lon), 180))
    reasons.add(
        off,
        "coordinates out of range: ",
        pc.binary_join_element_wise(pc.cast(lat, pa.string()), pc.cast(lon, pa.string()), ","),
    )


def split(raw: RawBatch, table: pa.Table, reasons: Reasons) -> Chunk:
    """Rows with no reason are taken; the rest become :class:`Quarantined` with their raw text."""
    quarantined = list(raw.problems)
    if reasons.any():
        bad = reasons.mask()
        kept = raw.raw.filter(bad) if raw.raw is not None else joined_text(raw.records.filter(bad), raw.delimiter)
        texts = kept.to_pylist()
        numbers = raw.row_numbers.filter(bad).to_pylist()
        why = reasons.array().filter(bad).to_pylist()
        quarantined.extend(Quarantined(raw.file, n, t, w) for n, t, w in zip(numbers, texts, why, strict=True))
        table = table.filter(pc.invert(bad))
    return Chunk(table=table, quarantined=quarantined, warnings=list(raw.warnings))
