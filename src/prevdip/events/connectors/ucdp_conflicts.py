"""UCDP/PRIO Armed Conflict Dataset (conflict-years) and Battle-Related Deaths (dyad-years) → ``conflict_years``.

Both official CSVs are comma-separated with ISO dates. The bundle also holds ACD 25.1 as re-saved by an uploader:
semicolons, CRLF, ``d-m-yyyy`` dates, and one record (conflict 11349, 2008) broken across lines 42-43. A record whose
year is empty followed by a line starting with an empty field is re-joined when the two halves make exactly one
record; otherwise both lines are quarantined together with the reason, and every other row is read. The same
conflict-year (or dyad-year) given twice with different values is a contradiction: both rows are quarantined rather
than one kept at random. Sides' states come from the governments' names, else the Gleditsch-Ward numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyarrow as pa
import pyarrow.compute as pc

from prevdip.errors import RefusedInput
from prevdip.events.connectors.base import Connector, Quarantined, RawBatch
from prevdip.events.connectors.columns import Reasons, checked_date, checked_number, text, translate
from prevdip.events.connectors.tabular import open_binary, records, require_text, set_aside
from prevdip.events.connectors.ucdp_ged import safe_iso3, side_country
from prevdip.events.series_lake import CONFLICT_YEARS_SCHEMA, SERIES_KEYS
from prevdip.events.terms import UCDP

ACD = ("conflict_id", "location", "side_a", "side_b", "year", "intensity_level", "type_of_conflict", "start_date")
BRD = ("conflict_id", "dyad_id", "location_inc", "side_a", "side_b", "year", "bd_best", "bd_low", "bd_high",
       "type_of_conflict")  # fmt: skip


def _records(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str, list[Quarantined]]:
    """Header, (first line, fields) of each one-line or well-formed record, the delimiter (``,`` or the re-saved
    ``;``), and the records set aside: broken quoting, or several lines run together by a lost quote."""
    with open_binary(path) as stream:
        content = stream.read().decode("utf-8-sig", errors="surrogateescape")
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    found = records(io.StringIO(content, newline=""), delimiter)
    head = next(found, None)
    header = head.fields or [] if head is not None else []
    rows: list[tuple[int, list[str]]] = []
    problems: list[Quarantined] = []
    for record in found:
        if record.fields is None or (record.last > record.line and len(record.fields) != len(header)):
            problems.extend(set_aside(record, len(header), str(path)))
        elif record.fields:
            rows.append((record.line, record.fields))
    return header, rows, delimiter, problems


_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape


def _trim(fields: list[str]) -> list[str]:
    while fields and fields[-1] == "":
        fields = fields[:-1]
    return fields


def _rejoin(
    header: list[str], rows: list[tuple[int, list[str]]], file: str, delimiter: str
) -> tuple[list[tuple[int, list[str]]], list[Quarantined]]:
    """Mend records broken across two lines; quarantine what cannot be mended or has the wrong field count."""
    width, year = len(header), header.index("year")
    kept: list[tuple[int, list[str]]] = []
    problems: list[Quarantined] = []
    i = 0
    while i < len(rows):
        line, fields = rows[i]
        following = rows[i + 1] if i + 1 < len(rows) else None
        broken = len(fields) > year and fields[0] and not fields[year] and following and not following[1][0]
        if broken and following:
            joined = _trim(fields) + _trim(following[1])[1:]
            raw = delimiter.join(fields) + "\n" + delimiter.join(following[1])
            if len(joined) == width:
                kept.append((line, joined))
            else:
                reason = (
                    f"broken record: lines {line}-{following[0]} rejoined give {len(joined)} fields, expected {width}"
                )
                problems.append(Quarantined(file, line, raw, reason))
            i += 2
            continue
        text = delimiter.join(fields)
        if len(fields) != width:
            reason = f"wrong field count: {len(fields)} fields, expected {width}"
            problems.append(Quarantined(file, line, text, reason))
        elif _UNDECODABLE.search(text):
            raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            problems.append(Quarantined(file, line, raw, "undecodable bytes: not UTF-8 text"))
        else:
            kept.append((line, fields))
        i += 1
    return kept, problems


# Historical states in ACD locations, recorded as the present state of their territory.
HISTORICAL = {"South Vietnam": "VNM", "South Yemen": "YEM", "Hyderabad": "IND"}


def _location_iso3s(location: str) -> list[str] | None:
    names = [part.strip() for part in location.split(",") if part.strip()]
    codes = [HISTORICAL.get(name) or safe_iso3(name) for name in names]
    return None if any(c is None for c in codes) else sorted({c for c in codes if c})


def contradictions(table: pa.Table, key: tuple[str, ...], lines: pa.Array, reasons: Reasons) -> None:
    """Rows sharing a key but differing in a value are all set aside: the file contradicts itself (an identical
    repeat is only a duplicate). A conflict table is a few thousand rows, so this is plain Python."""
    rows = table.to_pylist()
    numbers = lines.to_pylist()
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[tuple(row[k] for k in key)].append(i)
    detail: list[str | None] = [None] * len(rows)
    for found in groups.values():
        if len(found) > 1 and len({repr(rows[i]) for i in found}) > 1:
            where = ", ".join(str(numbers[i]) for i in found)
            for i in found:
                detail[i] = f"conflict {rows[i]['conflict_id']} year {rows[i]['year']} differs on lines {where}"
    mask = pa.array([d is not None for d in detail])
    reasons.add(mask, "duplicate key: ", pa.array(detail, pa.string()))


class _ConflictTable(Connector):
    """Shared reading of the two UCDP conflict tables."""

    target: ClassVar[str] = "conflict_years"
    licence = UCDP
    series_key: ClassVar[tuple[str, ...]] = SERIES_KEYS["conflict_years"]
    required: ClassVar[tuple[str, ...]]
    what: ClassVar[str]

    def detect(self, path: Path, head: str) -> bool:
        first = head.splitlines()[:1]
        delimiter = ";" if first and first[0].count(";") > first[0].count(",") else ","
        header = set(next(csv.reader(first, delimiter=delimiter), [])) if first else set()
        return set(self.required) <= header and (self.name == "ucdp-brd") == ("bd_best" in header)

    def read(self, path: Path) -> Iterator[RawBatch]:
        require_text(path, self.what)
        header, rows, delimiter, broken = _records(path)
        if not header:
            raise RefusedInput(f"{path}: the file is empty", hint=f"expected the {self.what}")
        missing = [c for c in self.required if c not in header]
        if missing:
            raise RefusedInput(f"{path}: not the {self.what}: missing column(s) {', '.join(missing)}")
        kept, problems = _rejoin(header, rows, str(path), delimiter)
        problems = broken + problems
        if rows and not kept:
            raise RefusedInput(f"{path}: no row of the {self.what} could be read", hint="check the delimiter")
        columns = list(zip(*(fields for _, fields in kept), strict=True)) if kept else [()] * len(header)
        table = pa.table({name: pa.array(list(col), pa.string()) for name, col in zip(header, columns, strict=True)})
        numbers_ = pa.array([line for line, _ in kept], pa.int64())
        yield RawBatch(str(path), table, numbers_, problems, delimiter)

    def validate(self, table: pa.Table, reasons: Reasons) -> None:
        reasons.add(pc.is_null(table["conflict_id"]), "missing id: no conflict_id")
        reasons.add(pc.is_null(table["year"]), "bad date: no year")

    def empty(self) -> pa.Table:
        return CONFLICT_YEARS_SCHEMA.empty_table()

    location: ClassVar[str]

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        r = raw.records
        reasons = Reasons(r.num_rows)
        out: dict[str, object] = {"source": pa.repeat(pa.scalar(self.name), r.num_rows)}
        out["version"] = text(r["version"]) if "version" in r.column_names else pa.nulls(r.num_rows, pa.string())
        out["conflict_id"] = checked_number(r, "conflict_id", pa.int64(), reasons)
        out["year"] = checked_number(r, "year", pa.int32(), reasons)
        side_a, side_b = text(r["side_a"]), text(r["side_b"])
        out |= {"side_a": side_a, "side_b": side_b}
        for side in ("a", "b"):  # the government's name, else its Gleditsch-Ward number
            out[f"iso3_{side}"] = side_country(r, f"side_{side}", f"gwno_{side}", reasons)
        place = text(r[self.location])
        out["location_iso3s"] = translate(place, _location_iso3s, pa.list_(pa.string()))
        unknown = pc.and_(pc.is_valid(place), pc.is_null(out["location_iso3s"]))
        reasons.add(unknown, "unknown country: location ", quote=place)
        out |= self.specific(r, reasons)
        arrays = [
            pc.cast(out[f.name], f.type) if f.name in out else pa.nulls(r.num_rows, f.type)
            for f in CONFLICT_YEARS_SCHEMA
        ]
        table = pa.Table.from_arrays(arrays, schema=CONFLICT_YEARS_SCHEMA)
        contradictions(table, self.series_key, raw.row_numbers, reasons)
        return table, reasons

    def specific(self, r: pa.Table, reasons: Reasons) -> dict[str, object]:
        """The columns only this table has."""
        raise NotImplementedError


class UcdpAcd(_ConflictTable):
    name: ClassVar[str] = "ucdp-acd"
    required = ACD
    what = "UCDP/PRIO Armed Conflict Dataset (ACD)"
    location = "location"

    def specific(self, r: pa.Table, reasons: Reasons) -> dict[str, object]:
        columns: dict[str, object] = {  # UCDP's codes: type 1-4, intensity 1 (minor) or 2 (war)
            name: checked_number(r, name, pa.int8(), reasons, minimum=1, maximum=high, kind="bad code")
            for name, high in (("type_of_conflict", 4), ("intensity_level", 2))
        }
        columns["start_date"] = checked_date(r, "start_date", ["%Y-%m-%d", "%d-%m-%Y"], reasons)
        return columns


class UcdpBrd(_ConflictTable):
    name: ClassVar[str] = "ucdp-brd"
    required = BRD
    what = "UCDP Battle-Related Deaths dyadic dataset (BRD)"
    location = "location_inc"
    targets = {"dyad_id": "dyad_id", "bd_best": "best_deaths", "bd_low": "low_deaths", "bd_high": "high_deaths"}

    def specific(self, r: pa.Table, reasons: Reasons) -> dict[str, object]:
        columns: dict[str, object] = {
            t: checked_number(r, n, pa.int64(), reasons, minimum=0) for n, t in self.targets.items()
        }
        columns["type_of_conflict"] = checked_number(
            r, "type_of_conflict", pa.int8(), reasons, minimum=1, maximum=4, kind="bad code"
        )
        return columns
