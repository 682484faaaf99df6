"""The country-month deaths series through ingest: long rows in the lake's series, bad cells and rows quarantined."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from prevdip.errors import RefusedInput
from prevdip.events import ingest, series_relation

GOOD = ",Kyrgyzstan,Tajikistan\r\n2022-08-31,0,1\r\n2022-09-30,40,55\r\n"


def test_series_rows_defects_and_revision(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "cm.csv"
    path.write_bytes(GOOD.encode() + b"2022-13-31,5,5\r\n2022-10-31,1\r\n2022-11-30,2,x\r\n2022-12-31,3,\xff\r\n")
    report = ingest("ucdp-cm", [path])
    # Rows are country-month cells: 2 months x 2 countries taken, and one quarantined row per defect.
    assert (report.accepted, report.quarantined) == (5, 4)
    assert report.reasons == {"bad date": 1, "wrong field count": 1, "bad number": 1, "undecodable bytes": 1}
    assert report.rows == report.accepted + report.duplicates + report.quarantined
    con = duckdb.connect()
    deaths = series_relation(con, "country_month_deaths").order("iso3, month").fetchall()
    assert [(iso3, str(month), n) for iso3, month, n in deaths][:3] == [
        ("KGZ", "2022-08-01", 0),
        ("KGZ", "2022-09-01", 40),
        ("KGZ", "2022-11-01", 2),
    ]
    revised = tmp_path / "cm-revised.csv"
    revised.write_text(GOOD.replace("40,55", "41,55"), encoding="utf-8")
    again = ingest("ucdp-cm", [revised])
    assert (again.accepted, again.duplicates) == (1, 3)  # September KGZ revised; the rest already there
    sep = series_relation(con, "country_month_deaths").filter("iso3 = 'KGZ' and month = DATE '2022-09-01'")
    assert sep.project("best_deaths").fetchall() == [(41,)]


def test_series_of_the_wrong_kind(workspace: Path, tmp_path: Path) -> None:
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text(GOOD.replace(",", ";"), encoding="utf-8")
    with pytest.raises(RefusedInput):
        ingest("ucdp-cm", [semicolons])
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RefusedInput, match="empty"):
        ingest("ucdp-cm", [empty])
