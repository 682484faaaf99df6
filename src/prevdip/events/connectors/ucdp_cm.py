"""The country-month deaths series (wide: a date column, one column per country) → ``country_month_deaths``.

Parsing is :func:`prevdip.events.series.read_country_month_series`; this connector turns what it reports into
quarantined rows with the same reason kinds as every other source.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa

from prevdip.errors import NotFound
from prevdip.events.connectors.base import Connector, Quarantined, RawBatch
from prevdip.events.connectors.columns import Reasons
from prevdip.events.connectors.tabular import require_text
from prevdip.events.series import read_country_month_series
from prevdip.events.series_lake import COUNTRY_MONTH_SCHEMA, SERIES_KEYS
from prevdip.events.terms import UCDP
from prevdip.geo import world_iso3

_KINDS = (
    ("bad date", "bad date"),
    ("undecodable bytes", "undecodable bytes"),
    ("bad count", "bad number"),
    ("negative count", "bad number"),
    ("unknown country", "unknown country"),
    ("column", "unknown country"),
    ("second column", "duplicate column"),
    ("duplicate key", "duplicate key"),
)


def _kind(reason: str) -> str:
    if "fields, expected" in reason:
        return "wrong field count"
    return next((kind for prefix, kind in _KINDS if reason.startswith(prefix)), "bad value")


def _known(name: str) -> bool:
    try:
        world_iso3(name)
    except NotFound:
        return False
    return True


class UcdpCountryMonth(Connector):
    name: ClassVar[str] = "ucdp-cm"
    target: ClassVar[str] = "country_month_deaths"
    licence = UCDP
    series_key: ClassVar[tuple[str, ...]] = SERIES_KEYS["country_month_deaths"]

    def detect(self, path: Path, head: str) -> bool:
        header = next(csv.reader(head.splitlines()[:1]), [])
        return len(header) > 10 and sum(_known(name) for name in header[1:11]) >= 8

    def read(self, path: Path) -> Iterator[RawBatch]:
        require_text(path, "country-month deaths series")
        series = read_country_month_series(path)
        frame = series.frame.assign(month=series.frame["month"].dt.date)
        table = pa.Table.from_pandas(frame, preserve_index=False).cast(COUNTRY_MONTH_SCHEMA)
        problems = [Quarantined(p.file, p.row_number, p.raw, f"{_kind(p.reason)}: {p.reason}") for p in series.problems]
        yield RawBatch(str(path), table, pa.repeat(pa.scalar(0, pa.int64()), table.num_rows), problems)

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        return raw.records, Reasons(raw.records.num_rows)

    def validate(self, table: pa.Table, reasons: Reasons) -> None:
        """The reader has already checked dates, names and counts."""

    def empty(self) -> pa.Table:
        return COUNTRY_MONTH_SCHEMA.empty_table()
