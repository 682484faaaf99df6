"""A property of every connector: a real file broken the way files break — cut off anywhere, a quote lost, a number
made unreadable, saved in another encoding — is read with every row accounted for and nothing silently changed.

For each connector a small real slice (the first records of a bundle file, kept byte for byte as the file writes
them; ACLED in ACLED's export layout, see ``conftest.py``; field reports in their CSV form) is read once as the
reference. Each mutation is read with the connector's own reader (no lake: rows taken are accepted or duplicates
there, so ``rows = accepted + duplicates + quarantined`` is ``rows = taken + quarantined`` here), and

* it is refused whole (one :class:`RefusedInput`), or read without error;
* every row taken is identical, in every canonical column, to the reference row of the same key: a value that
  cannot be read never becomes another value or a null;
* a reference row that is not taken is accounted for by a quarantined row (for a cut: unless it came after it);
* a number made unreadable quarantines exactly the row (or country-month cell) that held it.

One limit is stated rather than hidden: a CSV cut inside the last, unquoted field of its last line still has all
its fields, and nothing in the file tells it from a complete file without a final line end (the bundle's TFDD file
ends that way), so that one row may differ. GDELT writes every line with a line end, so its cut last line is caught.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from prevdip.errors import RefusedInput
from prevdip.events.connectors import Quarantined, connector_for

UNREADABLE = ("x7", "nan", "inf", "1e400", "--1")
IGNORED = ("event_uid", "ingested_at", "ingest_run_id")


@dataclass(frozen=True)
class Slice:
    """A connector's real slice: the file's name, its bytes, its delimiter (None: not CSV-like) and the columns
    holding numbers (names, or field positions for GDELT), and whether a header line comes first."""

    name: str
    data: bytes
    delimiter: str
    numbers: tuple[str | int, ...]
    header: bool = True


def _first_records(path: Path, n: int, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """The header and first ``n`` records of a CSV, as the file writes them (multi-line records kept whole)."""
    text = path.read_text(encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _ in range(n + 1):
        next(reader)
    end = sum(len(line) for line in text.splitlines(keepends=True)[: reader.line_num])
    return text[:end].encode("utf-8")


REPORTS = (
    "report_id,revision,date,place,country,what_happened,category,actors,fatalities,reporter,confidence,sharing\n"
    'FR-1,1,2024-03-02,Vorukh,TJK,"Villagers blocked the road, then talks began",border_incident,residents,0,'
    "monitor 7,medium,public\n"
    "FR-2,2,2024-03-04,Kok-Tash,KGZ,Shots fired at the canal intake,border_incident,border guards,2,monitor 3,high,"
    "governments\n"
    'FR-3,1,2024-03-05,Isfara,TJK,"Water released ""as agreed""",water_cooperation,,0,monitor 7,low,centre-internal\n'
)


def _slices(bundle: Path, acled: bytes) -> dict[str, Slice]:
    ucdp, gdelt = bundle / "ucdp", bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv"
    return {
        "ucdp-ged": Slice("ged231_slice.csv", _first_records(ucdp / "ged231_sample1000_official_schema.csv", 12), ",",
                          ("best", "low", "latitude", "where_prec", "deaths_a")),
        "ucdp-acd": Slice("acd.csv", _first_records(ucdp / "ucdp-prio-acd-221.csv", 15), ",",
                          ("year", "intensity_level", "type_of_conflict", "conflict_id")),
        "ucdp-brd": Slice("brd.csv", _first_records(ucdp / "ucdp-brd-dyadic-251.csv", 15), ",",
                          ("bd_best", "bd_low", "year", "type_of_conflict")),
        "ucdp-cm": Slice("cm.csv", _first_records(ucdp / "country_month_best_deaths_nenames.csv", 6), ",",
                         ("Afghanistan", "Tajikistan", "Kyrgyzstan")),
        "acled": Slice("acled.csv", acled, ",", ("fatalities", "latitude", "timestamp", "geo_precision", "iso")),
        "acled-deleted": Slice("deleted.csv", b"event_id_cnty,deleted_timestamp\nKGZ1,1675000000\nKGZ2,1676000000\n"
                               b"TJK7,1677000000\n", ",", ("deleted_timestamp",)),
        "gdelt": Slice("events.export.CSV", b"\n".join(gdelt.read_bytes().split(b"\n")[:12]) + b"\n", "\t",
                       (29, 30, 31, 34, 56), header=False),
        "tfdd-bar": Slice("bar.csv", _first_records(bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv", 12,
                                                    encoding="utf-8-sig"), ",", ("BAR_Scale",)),
        "field": Slice("reports.csv", REPORTS.encode(), ",", ("fatalities", "revision")),
    }  # fmt: skip


@dataclass
class Reading:
    rows: dict[tuple[Any, ...], dict[str, Any]]
    quarantined: list[Quarantined]


def _key(source: str, row: dict[str, Any]) -> tuple[Any, ...]:
    connector = connector_for(source)
    names = connector.series_key or ("source_event_id", "source_version")
    return tuple(row[name] for name in names)


def _read(source: str, path: Path) -> Reading:
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    quarantined: list[Quarantined] = []
    for chunk in connector_for(source).chunks(path):
        quarantined += chunk.quarantined
        for row in chunk.table.to_pylist():
            kept = {k: v for k, v in row.items() if k not in IGNORED}
            rows.setdefault(_key(source, kept), kept)
    return Reading(rows, quarantined)


def _corrupt(piece: Slice, record: int, column: str | int, token: str) -> bytes | None:
    """The slice with one number of one record made unreadable (only that record is re-written), or None."""
    text = piece.data.decode("utf-8")
    if not piece.header:
        lines = text.split("\n")
        fields = lines[record].split("\t")
        if record >= len(lines) - 1 or not fields[int(column)]:
            return None
        fields[int(column)] = token
        lines[record] = "\t".join(fields)
        return "\n".join(lines).encode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=piece.delimiter)
    header = next(reader)
    starts, spans, rows = [], [], []
    done = reader.line_num
    for row in reader:
        starts.append(done)
        spans.append(reader.line_num - done)
        rows.append(row)
        done = reader.line_num
    if record >= len(rows) or str(column) not in header or not rows[record][header.index(str(column))]:
        return None
    rows[record][header.index(str(column))] = token
    out = io.StringIO()
    csv.writer(out, delimiter=piece.delimiter, lineterminator="\n").writerow(rows[record])
    lines = text.splitlines(keepends=True)
    lines[starts[record] : starts[record] + spans[record]] = [out.getvalue()]
    return "".join(lines).encode("utf-8")


Mutation = tuple[str, int, int, str]  # kind, a position, another, a token
MUTATIONS = st.tuples(
    st.sampled_from(["cut", "quote", "number", "encoding"]),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.sampled_from(UNREADABLE + ("utf-16", "latin-1")),
)
SOURCES = ["ucdp-ged", "ucdp-acd", "ucdp-brd", "ucdp-cm", "acled", "acled-deleted", "gdelt", "tfdd-bar", "field"]


@pytest.fixture
def slices(workspace: Path, bundle: Path, acled_file: Callable[..., Path]) -> dict[str, Slice]:
    notes = {"notes": 'Border guards said "no comment", then fired;\nthe road closed.'}
    acled = acled_file({}, {"event_id_cnty": "KGZ3002", **notes}, {"event_id_cnty": "TJK900", "fatalities": "0"})
    return _slices(bundle, acled.read_bytes())


def _mutate(piece: Slice, mutation: Mutation) -> tuple[bytes, int | None]:
    """The mutated bytes, and the length kept when the file was cut."""
    kind, a, b, token = mutation
    data = piece.data
    if kind == "cut":
        keep = 1 + a % (len(data) - 1)
        return data[:keep], keep
    if kind == "quote":
        quotes = [i for i, byte in enumerate(data) if byte == ord('"')]
        assume(quotes)
        i = quotes[a % len(quotes)]
        return data[:i] + data[i + 1 :], None
    if kind == "number":
        records = max(1, data.count(b"\n") - (1 if piece.header else 0))
        corrupted = _corrupt(
            piece, a % records, piece.numbers[b % len(piece.numbers)], token if token in UNREADABLE else "x7"
        )
        assume(corrupted is not None)
        assert corrupted is not None
        return corrupted, None
    encoding = token if token in ("utf-16", "latin-1") else "utf-16"
    text = data.decode("utf-8")
    assume(encoding != "latin-1" or all(ord(c) < 256 for c in text))
    return text.encode(encoding), None


@pytest.mark.parametrize("source", SOURCES)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(mutation=MUTATIONS)
def test_a_broken_real_file_is_read_with_nothing_silently_changed(
    slices: dict[str, Slice], tmp_path: Path, source: str, mutation: Mutation
) -> None:
    piece = slices[source]
    original = tmp_path / f"original-{piece.name}"
    original.write_bytes(piece.data)
    reference = _read(source, original)
    assert reference.rows, "the reference slice has rows"
    data, kept = _mutate(piece, mutation)
    path = tmp_path / piece.name
    path.write_bytes(data)
    try:
        found = _read(source, path)
    except RefusedInput as refusal:
        assert "\n" not in str(refusal)  # refused in one line
        return
    changed = [key for key, row in found.rows.items() if reference.rows.get(key) != row]
    cut_last_field = kept is not None and not data.endswith(b"\n") and source != "gdelt"
    assert len(changed) <= (1 if cut_last_field else 0), (mutation, changed)
    missing = [key for key in reference.rows if key not in found.rows]
    if source == "ucdp-cm" and any(q.row_number == 1 for q in found.quarantined):
        present = {key[0] for key in found.rows}  # a column set aside at its header (a name no longer readable)
        missing = [key for key in missing if key[0] in present]  # covers that country's cells, with its reason
    if kept is None:
        assert len(missing) <= len(found.quarantined) + len(reference.quarantined), (mutation, missing)
    if mutation[0] == "number":  # exactly the row holding it is set aside (unless it already was)
        more = len(found.quarantined) - len(reference.quarantined)
        assert more in (0, 1) and len(found.rows) == len(reference.rows) - more, mutation
