"""``risk_at``: what prevdip would have issued at an origin, for the episodes record."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevdip.forecast import risk_at


def test_no_forecast_is_none(bundle: Path, series_lake: Path) -> None:
    assert risk_at("DDR", "2021-12", 1, workspace=series_lake, bundle=bundle) is None  # the GDR ended in 1990
    assert risk_at("ATL", "2021-12", 1, workspace=series_lake, bundle=bundle) is None  # no such state
    assert risk_at("TJK", "1989-06", 1, workspace=series_lake, bundle=bundle) is None  # too little history
    assert risk_at("TJK", "2040-01", 1, workspace=series_lake, bundle=bundle) is None
    assert risk_at("TJK", "2022-06", 0, workspace=series_lake, bundle=bundle) is None


@pytest.mark.slow
def test_risk_before_the_kyrgyz_tajik_border_war(bundle: Path, series_lake: Path) -> None:
    afg = risk_at("AFG", "2022-08", 1, workspace=series_lake, bundle=bundle)
    tjk = risk_at("TJK", "2022-08", 1, workspace=series_lake, bundle=bundle)
    quiet = risk_at("BRB", "2022-08", 1, workspace=series_lake, bundle=bundle)
    assert afg is not None and tjk is not None and quiet is not None
    assert afg > 0.9  # a war every month
    assert quiet < tjk < afg  # Tajikistan's 2021 clash keeps its risk above a quiet country's
    kaz = risk_at(
        "KAZ", "2021-12", 1, workspace=series_lake, bundle=bundle
    )  # no UCDP death ever, and yet a state: it has a risk
    assert kaz is not None and 0 < kaz < tjk
