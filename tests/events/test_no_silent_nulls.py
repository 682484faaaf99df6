"""No value that cannot be read is stored as null, wrapped or picked at random (issue 18, defects 2, 7 and 9).

Files are real bundle rows with one value changed, or ACLED rows in ACLED's export layout (see ``conftest.py``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from prevdip.events import events_relation, ingest, query_events, series_relation
from prevdip.events.connectors.columns import numbers
from prevdip.geo import world_iso3


def _quarantined(run_id: str) -> list[tuple[int, str]]:
    from prevdip.store import open_store

    with open_store() as store:
        return sorted((q.row_number, q.reason) for q in store.quarantine.of_run(run_id))


# --- the one checked reader ---------------------------------------------------------------------------------------


def test_the_reader_refuses_what_it_cannot_read_and_never_wraps() -> None:
    texts = ["7", "800.0", "2.5", "abc", "nan", "inf", "1e400", "260", "-1", None, " ", "5000000000", "1642532076.0"]
    value, bad = numbers(pa.array(texts), pa.int8())
    assert value.to_pylist() == [7, None, None, None, None, None, None, None, -1, None, None, None, None]
    assert bad.to_pylist() == [False, True, True, True, True, True, True, True, False, False, False, True, True]
    wide, bad_wide = numbers(pa.array(texts), pa.int64(), minimum=0)
    assert wide.to_pylist()[1] == 800 and wide.to_pylist()[-1] == 1_642_532_076  # integral floats are integers
    assert bad_wide.to_pylist()[8] and not bad_wide.to_pylist()[-2]  # -1 is below the minimum; 5e9 fits int64
    floats, bad_floats = numbers(pa.array(["39.95", "nan", "-inf", "1e400", "1e5"]), pa.float64())
    assert floats.to_pylist() == [39.95, None, None, None, 100000.0]
    assert bad_floats.to_pylist() == [False, True, True, True, False]


@pytest.mark.parametrize("fatalities", ["abc", "2.5", "-1", "nan", "1e400", "5000000000"])
def test_acled_fatalities_that_cannot_be_read_quarantine_the_row(
    workspace: Path, acled_file: Callable[..., Path], fatalities: str
) -> None:
    report = ingest("acled", [acled_file({}, {"event_id_cnty": "KGZ3002", "fatalities": fatalities})])
    assert (report.rows, report.accepted, report.reasons) == (2, 1, {"bad number": 1})
    assert _quarantined(report.run_id) == [(3, f"bad number: fatalities '{fatalities}'")]


def test_ucdp_deaths_that_cannot_be_read_quarantine_the_row(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    lines = (bundle / "ucdp" / "ged211_reduced_central_asia_neighbours.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:4]]
    rows[1][header.index("best_death")] = "abc"
    rows[2][header.index("low_death")] = "2.5"
    path = tmp_path / "ged211_reduced.csv"
    path.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    report = ingest("ucdp-ged", [path])
    assert (report.accepted, report.reasons) == (1, {"bad number": 2})


# --- numbers written by spreadsheets and pandas -------------------------------------------------------------------


def test_integral_floats_read_as_integers_and_the_same_event_is_one_version(
    workspace: Path, acled_file: Callable[..., Path]
) -> None:
    plain = ingest("acled", [acled_file({}, name="plain.csv")])
    # pandas writes a column with a missing value as floats: iso 417.0, precision 1.0, timestamp 1663300000.0
    floats = {"iso": "417.0", "time_precision": "1.0", "geo_precision": "1.0", "timestamp": "1663300000.0",
              "fatalities": "2.0", "inter1": "1.0", "inter2": "1.0"}  # fmt: skip
    again = ingest("acled", [acled_file(floats, name="pandas.csv")])
    assert (plain.accepted, again.accepted, again.duplicates) == (1, 0, 1)
    (event,) = query_events()["events"]
    assert (event["source_version"], event["country_iso3"], event["geo_precision"]) == ("1663300000", "KGZ", 1)
    assert (event["actor1_type"], event["fatalities_best"], event["date_precision"]) == ("state forces", 2, "day")


def test_every_acled_country_name_resolves(bundle: Path) -> None:
    with (bundle / "acled" / "acled_countries.csv").open(encoding="utf-8") as f:
        names = [row["country"] for row in csv.DictReader(f)]
    assert len(names) == 243
    resolved = {name: world_iso3(name) for name in names}
    assert len(set(resolved.values())) == 243  # no two ACLED countries collapse into one code
    some = {"Democratic Republic of Congo": "COD", "Republic of Congo": "COG", "Reunion": "REU", "Curacao": "CUW",
            "Kosovo": "XKX", "Tajikistan": "TJK", "eSwatini": "SWZ", "Vatican City": "VAT"}  # fmt: skip
    assert {name: resolved[name] for name in some} == some


def test_an_acled_row_without_iso_falls_back_to_its_country_name(
    workspace: Path, acled_file: Callable[..., Path]
) -> None:
    ingest("acled", [acled_file({"iso": "", "country": "Democratic Republic of Congo", "actor2": ""})])
    assert query_events()["events"][0]["country_iso3"] == "COD"


# --- out-of-range codes never wrap --------------------------------------------------------------------------------


def _gdelt(bundle: Path, tmp_path: Path, column: int, value: str) -> Path:
    lines = (bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines[:3]]
    rows[1][column] = value
    path = tmp_path / "20150218230000.export.CSV"
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        (29, "260", "bad code: QuadClass '260'"),  # stored as 4 (material conflict) by an 8-bit wrap before
        (30, "12.5", "bad number: GoldsteinScale '12.5'"),
        (34, "nan", "bad number: AvgTone 'nan'"),
        (51, "300", "bad number: ActionGeo_Type '300'"),
        (56, "nan", "coordinates out of range: not numbers 'nan','67.1'"),
    ],
)
def test_gdelt_values_out_of_range_or_not_finite(
    workspace: Path, tmp_path: Path, bundle: Path, column: int, value: str, reason: str
) -> None:
    path = _gdelt(bundle, tmp_path, column, value)
    if column == 56:  # both coordinates of the row, for a message that shows them
        lines = path.read_text(encoding="utf-8").splitlines()
        fields = lines[1].split("\t")
        fields[57] = "67.1"
        path.write_text("\n".join([lines[0], "\t".join(fields), lines[2]]) + "\n", encoding="utf-8")
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted, report.quarantined) == (3, 2, 1)
    assert _quarantined(report.run_id) == [(2, reason)]


def test_bar_scale_260_is_not_cooperation(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    text = (bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    header, first = rows[0], rows[1]
    first[header.index("BAR_Scale")] = "260"  # an 8-bit cast stored it as +4: cooperation
    path = tmp_path / "bar.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, first, rows[2]])
    report = ingest("tfdd-bar", [path])
    assert report.reasons == {"bad number": 1} and report.accepted == 1


def test_ged_where_prec_and_acled_geo_precision_300(
    workspace: Path, tmp_path: Path, bundle: Path, acled_file: Callable[..., Path]
) -> None:
    lines = (bundle / "ucdp" / "ged231_sample1000_official_schema.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines[:3]))
    rows[1][rows[0].index("where_prec")] = "300"  # stored as 44 before
    path = tmp_path / "ged231_sample.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = ingest("ucdp-ged", [path])
    assert (report.accepted, report.reasons) == (1, {"bad code": 1})
    acled = ingest("acled", [acled_file({"geo_precision": "300"})])
    assert (acled.accepted, acled.reasons) == (0, {"bad number": 1})


@pytest.mark.parametrize(
    ("source", "file"), [("ucdp-acd", "ucdp-prio-acd-221.csv"), ("ucdp-brd", "ucdp-brd-dyadic-251.csv")]
)
def test_acd_and_brd_type_of_conflict_300(
    workspace: Path, tmp_path: Path, bundle: Path, source: str, file: str
) -> None:
    lines = (bundle / "ucdp" / file).read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines[:4]))
    rows[2][rows[0].index("type_of_conflict")] = "300"  # BRD crashed on it; ACD stored 44
    path = tmp_path / file
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = ingest(source, [path])
    assert (report.rows, report.accepted, report.reasons) == (3, 2, {"bad code": 1})


@pytest.mark.parametrize("value", ["nan", "inf", "abc"])
def test_coordinates_that_are_not_numbers(
    workspace: Path, tmp_path: Path, bundle: Path, acled_file: Callable[..., Path], value: str
) -> None:
    acled = ingest("acled", [acled_file({}, {"event_id_cnty": "KGZ3002", "latitude": value})])
    assert (acled.accepted, acled.reasons) == (1, {"coordinates out of range": 1})
    lines = (bundle / "ucdp" / "ged211_reduced_central_asia_neighbours.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[lines[0].split(",").index("longitude")] = value
    path = tmp_path / "ged211.csv"
    path.write_text("\n".join([lines[0], ",".join(fields), lines[2]]) + "\n", encoding="utf-8")
    ged = ingest("ucdp-ged", [path])
    assert (ged.accepted, ged.reasons) == (1, {"coordinates out of range": 1})


# --- one key, two values ------------------------------------------------------------------------------------------


def test_the_same_country_month_twice_with_different_counts(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "cm.csv"
    path.write_text(",Kyrgyzstan,Tajikistan\n2022-09-30,40,55\n2022-10-31,1,2\n2022-09-30,41,55\n", encoding="utf-8")
    report = ingest("ucdp-cm", [path])
    # KGZ September differs (both set aside); TJK September is repeated identically (one duplicate).
    assert (report.accepted, report.duplicates, report.quarantined) == (3, 1, 2)
    assert report.reasons == {"duplicate key": 2}
    reasons = _quarantined(report.run_id)
    assert [n for n, _ in reasons] == [2, 4] and "KGZ 2022-09 is given on lines 2, 4" in reasons[0][1]
    con = duckdb.connect()
    september = series_relation(con, "country_month_deaths").filter("month = DATE '2022-09-01'")
    assert september.project("iso3, best_deaths").fetchall() == [("TJK", 55)]


def test_the_same_conflict_year_twice_with_different_values(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    lines = (bundle / "ucdp" / "ucdp-brd-dyadic-251.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines[:3]))
    changed = list(rows[1])
    changed[rows[0].index("bd_best")] = "999"
    path = tmp_path / "brd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([*rows, changed, rows[2]])
    report = ingest("ucdp-brd", [path])
    assert (report.rows, report.accepted, report.duplicates, report.quarantined) == (4, 1, 1, 2)
    assert report.reasons == {"duplicate key": 2}
    con = duckdb.connect()
    kept = series_relation(con, "conflict_years").project("conflict_id, dyad_id").fetchall()
    assert kept == [(int(rows[2][0]), int(rows[2][1]))]


def test_the_lake_never_holds_a_null_where_the_file_had_a_value(workspace: Path, bundle: Path) -> None:
    """On the official GED sample every number the file gives is in the lake (nothing read as "not given")."""
    ingest("ucdp-ged", [bundle / "ucdp" / "ged231_sample1000_official_schema.csv"])
    con = duckdb.connect()
    events = events_relation(con)
    nulls = events.aggregate(
        "count(*) filter (where fatalities_best is null), count(*) filter (where geo_precision is null),"
        " count(*) filter (where latitude is null),"
        " count(*) filter (where actor1_country is null and actor1 like 'Government of %')"
    ).fetchall()
    assert nulls == [(0, 0, 0, 0)]
