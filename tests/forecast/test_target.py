"""The target panel: the bundle's global country-month series, dense, with land neighbours."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prevdip.errors import NotFound, RefusedInput
from prevdip.forecast import TargetPanel
from prevdip.geo import read_geonames_countries


def test_panel_covers_133_countries_1989_to_2026(series: TargetPanel) -> None:
    panel = series
    assert panel.n_units == 133
    assert panel.months[0] == pd.Timestamp("1989-01-01") and panel.months[-1] == pd.Timestamp("2026-05-01")
    assert panel.values.shape == (133, len(panel.months))
    assert not np.isnan(panel.values).any() and (panel.values >= 0).all()
    # The Kyrgyz–Tajik border war of September 2022 is in the series for both countries.
    sept_2022 = panel.month_index("2022-09")
    assert panel.values[panel.unit_index("TJK"), sept_2022] > 0
    assert panel.values[panel.unit_index("KGZ"), sept_2022] > 0


def test_land_neighbours_come_from_geonames(panel: TargetPanel) -> None:
    tjk = {panel.units[j] for j in panel.neighbours[panel.unit_index("TJK")]}
    assert tjk == {"AFG", "CHN", "KGZ", "UZB"}
    afg = {panel.units[j] for j in panel.neighbours[panel.unit_index("AFG")]}
    assert {"PAK", "IRN", "TJK", "UZB"} <= afg  # TKM borders AFG but has no UCDP column


def test_history_ends_at_the_origin(panel: TargetPanel) -> None:
    origin = panel.month_index("2020-01")
    assert panel.history(origin).shape[1] == origin + 1


def test_unknown_month_and_unit_are_refused(panel: TargetPanel) -> None:
    with pytest.raises(NotFound, match="outside"):
        panel.month_index("1970-01")
    with pytest.raises(NotFound, match="ATL"):
        panel.unit_index("ATL")


def test_neighbours_file_of_another_shape_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "countryInfo.txt"
    bad.write_text("just,a,csv\n1,2,3\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="countryInfo"):
        read_geonames_countries(bad)
