"""UCDP/PRIO ACD and BRD: hand-written files with one defect each, and a broken record that can be mended."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from prevdip.errors import RefusedInput
from prevdip.events import ingest, series_relation

HEADER = (
    "conflict_id;location;side_a;side_a_id;side_a_2nd;side_b;side_b_id;side_b_2nd;incompatibility;territory_name;"
    "year;intensity_level;cumulative_intensity;type_of_conflict;start_date;start_prec;start_date2;start_prec2;ep_end;"
    "ep_end_date;ep_end_prec;gwno_a;gwno_a_2nd;gwno_b;gwno_b_2nd;gwno_loc;region;version"
)
ROW = (
    "14390;Kyrgyzstan, Tajikistan;Government of Kyrgyzstan;{a};;Government of Tajikistan;{b};;1;Border;{year};1;0;2;"
    "28-4-2021;1;28-4-2021;1;0;;;703;;702;;702, 703;3;25.1"
)


def _acd(tmp_path: Path, *rows: str, crlf: bool = True) -> Path:
    path = tmp_path / "acd.csv"
    end = "\r\n" if crlf else "\n"
    path.write_bytes((end.join([HEADER, *rows]) + end).encode("utf-8", "surrogateescape"))
    return path


def test_acd_semicolons_dmy_dates_and_a_mended_record(workspace: Path, tmp_path: Path) -> None:
    good = ROW.format(a=1, b=2, year=2021)
    head, tail = ROW.format(a=1, b=2, year=2022).split(";Border;")
    broken = head + ";Border" + ";" * 18  # the record broke after territory_name, as in the bundle's ACD 25.1
    rest = ";" + tail + ";" * 9
    report = ingest("ucdp-acd", [_acd(tmp_path, good, broken, rest)])
    assert (report.rows, report.accepted, report.quarantined) == (2, 2, 0)
    con = duckdb.connect()
    years = series_relation(con, "conflict_years").order("year").project("year, iso3_a, iso3_b, location_iso3s")
    assert years.fetchall() == [(2021, "KGZ", "TJK", ["KGZ", "TJK"]), (2022, "KGZ", "TJK", ["KGZ", "TJK"])]
    start = series_relation(con, "conflict_years").project("start_date").fetchall()
    assert str(start[0][0]) == "2021-04-28"


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        (ROW.format(a=1, b=2, year=2021).replace("28-4-2021;1;28-4", "31-2-2021;1;28-4"), "bad date"),
        (ROW.format(a=1, b=2, year="20x1"), "bad number"),
        (ROW.format(a=1, b=2, year=2021).replace("Kyrgyzstan, Tajikistan", "Atlantis"), "unknown country"),
        ("14390;Kyrgyzstan;Government of Kyrgyzstan", "wrong field count"),
        (ROW.format(a=1, b=2, year=2021).replace("Border", "Bord\udcffer"), "undecodable bytes"),
    ],
)
def test_acd_bad_rows_are_quarantined(workspace: Path, tmp_path: Path, row: str, kind: str) -> None:
    report = ingest("ucdp-acd", [_acd(tmp_path, ROW.format(a=1, b=2, year=2020), row)])
    assert (report.rows, report.accepted, report.reasons) == (2, 1, {kind: 1})


def test_acd_and_brd_files_of_the_wrong_kind(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    with pytest.raises(RefusedInput, match="missing column"):
        ingest("ucdp-brd", [bundle / "ucdp" / "ucdp-prio-acd-221.csv"])
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RefusedInput, match="empty"):
        ingest("ucdp-acd", [empty])
    brd = ingest("auto", [bundle / "ucdp" / "ucdp-brd-dyadic-251.csv"])
    assert (brd.source, brd.rows, brd.accepted) == ("ucdp-brd", 1_995, 1_995)
