"""ACLED's deletions list (``/api/deleted/read``): the ids of events ACLED removed and when (``event_id_cnty``,
``deleted_timestamp`` in Unix seconds), as the API's CSV gives it or as ``prevdip fetch acled`` writes it.

ACLED deletes events that new information puts outside its remit, and merges duplicates. Each deletion becomes a new
version of the event (version = the deletion's timestamp, newer than any export's ``timestamp``) with ``deleted``
set: queries of the latest version no longer see the event, ``--as-of`` a day before the deletion still does, and
an older export read again later cannot bring it back. The version's date is the day of the deletion (UTC): the
list says nothing else about the event.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from prevdip.events.connectors.base import Connector, RawBatch
from prevdip.events.connectors.columns import Reasons, canonical, checked_number, one_day, text
from prevdip.events.connectors.tabular import read_quoted
from prevdip.events.terms import ACLED

COLUMNS = ("event_id_cnty", "deleted_timestamp")


class AcledDeleted(Connector):
    name: ClassVar[str] = "acled-deleted"
    licence = ACLED
    places: ClassVar[bool] = False

    @property
    def source(self) -> str:
        return "acled"

    def detect(self, path: Path, head: str) -> bool:
        return set(next(csv.reader(head.splitlines()[:1]), [])) == set(COLUMNS)

    def read(self, path: Path) -> Iterator[RawBatch]:
        yield from read_quoted(path, required=COLUMNS, what="ACLED deletions list (event_id_cnty, deleted_timestamp)")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        stamp = checked_number(r, "deleted_timestamp", pa.int64(), reasons, minimum=0, maximum=253402300799)
        reasons.add(pc.is_null(stamp), "bad date: no deleted_timestamp")
        day = pc.cast(pc.cast(pc.multiply(stamp, 1_000_000), pa.timestamp("us", tz="UTC")), pa.date32())
        columns = {
            "source": self.source,
            "source_event_id": text(r["event_id_cnty"]),
            "source_version": pc.fill_null(pc.cast(stamp, pa.string()), ""),
            **one_day(day),
            "category": "other",
            "deleted": pa.scalar(True),
        }
        return canonical(r.num_rows, columns), reasons
