"""The country-month deaths series, read from the bundle and from broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.errors import RefusedInput
from prevdip.events.series import read_country_month_series


def test_bundle_series_is_long_and_complete(bundle: Path) -> None:
    series = read_country_month_series(bundle / "ucdp" / "country_month_best_deaths_nenames.csv")
    frame = series.frame
    assert len(series.countries) == 133
    assert series.rows_read == 449
    assert frame["month"].min().strftime("%Y-%m") == "1989-01"
    assert frame["month"].max().strftime("%Y-%m") == "2026-05"
    assert len(frame) == 133 * 449
    # The one nameless all-zero column is reported, not silently dropped.
    assert [p.reason for p in series.problems] == ["column 135 has no country name"]
    # September 2022: the Kyrgyz-Tajik border war shows in both countries' deaths.
    sep22 = frame[frame["month"] == "2022-09-01"].set_index("iso3")["best_deaths"]
    assert sep22["KGZ"] > 0
    assert sep22["TJK"] > 0
    assert (frame["best_deaths"] >= 0).all()


def test_bad_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "cm.csv"
    path.write_text(
        ",Kyrgyzstan,Tajikistan\n2022-08-31,0,1\n2022-13-40,5,5\n2022-09-30,40,x\n2022-10-31,1\n", encoding="utf-8"
    )
    series = read_country_month_series(path)
    reasons = {(p.row_number, p.reason) for p in series.problems}
    assert (3, "bad date '2022-13-40'") in reasons
    assert (4, "bad count 'x' for TJK") in reasons
    assert (5, "2 fields, expected 3") in reasons
    assert series.frame["best_deaths"].sum() == 0 + 1 + 40


def test_a_file_of_the_wrong_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,name,value\n1,a,2\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="no column names a known country"):
        read_country_month_series(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RefusedInput, match="empty"):
        read_country_month_series(empty)
