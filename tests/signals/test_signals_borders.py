"""Distances to the region's land borders from the bundle's Natural Earth lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from prevdip.geo import near_border


def test_known_places_and_their_borders(bundle: Path) -> None:
    # Vorukh (Tajik enclave), Termez (on the Amu Darya), Kabul (far from Central Asia).
    found = near_border(np.array([39.85, 37.22, 34.53]), np.array([70.58, 67.28, 69.17]), within_km=100, bundle=bundle)
    km = {(r.latitude, r.a, r.b): r.km for r in found.itertuples()}
    assert km[(39.85, "KGZ", "TJK")] < 5
    assert km[(37.22, "AFG", "UZB")] < 5
    assert not any(lat == 34.53 and "TJK" in (a, b) for lat, a, b in km)


@settings(max_examples=25, deadline=None)
@given(st.floats(35.0, 45.0), st.floats(60.0, 80.0), st.floats(5.0, 150.0))
def test_a_wider_buffer_finds_everything_a_narrower_one_does(bundle: Path, lat: float, lon: float, km: float) -> None:
    narrow = near_border(np.array([lat]), np.array([lon]), within_km=km, bundle=bundle)
    wide = near_border(np.array([lat]), np.array([lon]), within_km=km * 2, bundle=bundle)
    assert set(zip(narrow.a, narrow.b, strict=True)) <= set(zip(wide.a, wide.b, strict=True))
    assert (narrow.km <= km + 1e-9).all()
