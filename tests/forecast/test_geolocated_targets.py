"""The border-dyad and province targets, built from the event lake's geolocated UCDP events (issue 15).

The lake here holds the bundle's regional GED 21.1 extract (Central Asia, Afghanistan, Pakistan, Iran, China,
Russia; 24,077 real events 1989–2020) and the official-schema GED 23.1 sample (1,000 real events, with the
province each names in ``adm_1``).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prevdip.errors import RefusedInput
from prevdip.events import ingest
from prevdip.forecast import freeze_vintage, issue_vintage, parse_origins, province_forecasts, run_backtest
from prevdip.forecast.borders import distance_km, land_borders
from prevdip.forecast.dyad_target import load_border_dyads
from prevdip.forecast.geolocated import read_geolocated
from prevdip.forecast.province_target import assign_provinces, load_provinces, read_label_points
from prevdip.geo import region

REGIONAL = "ucdp/ged211_reduced_central_asia_neighbours.csv"
OFFICIAL = "ucdp/ged231_sample1000_official_schema.csv"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory, bundle: Path, pointing_at: object) -> Path:
    workspace = tmp_path_factory.mktemp("geolocated") / "workspace"
    with pointing_at(workspace, bundle):  # type: ignore[operator]
        ingest("ucdp-ged", [bundle / REGIONAL, bundle / OFFICIAL], workspace=workspace)
    return workspace


def test_every_land_border_of_the_world_with_the_regions_at_10m(bundle: Path) -> None:
    borders = {b.code: b for b in land_borders(bundle)}
    assert 300 <= len(borders) <= 330  # Natural Earth 1:110m; microstates and enclaves are not in it
    ten = {d.code for d in region("central-asia+afghanistan").dyads}
    assert len(ten) == 10 and ten <= set(borders)
    assert all(borders[code].detail == "10m" for code in ten)
    assert borders["CHN-RUS"].detail == "110m"  # the 10m file is cut to the region's box: not used for a stub
    assert {"ESP-FRA", "FRA-ITA", "SOM-KEN"} - set(borders) == {"SOM-KEN"}  # codes sorted: KEN-SOM
    assert "KEN-SOM" in borders and "ETH-SOM" in borders  # Somaliland is Somalia's, as for UCDP and GW
    isfara, osh = (70.625, 40.126), (72.80, 40.53)  # Isfara sits on the Kyrgyz-Tajik line; Osh is ~120 km from it
    km = distance_km(np.array([isfara[0], osh[0]]), np.array([isfara[1], osh[1]]), borders["KGZ-TJK"].segments)
    assert km[0] < 10 and 100 < km[1] < 150


def test_dyad_deaths_are_events_of_its_two_states_near_their_border(bundle: Path, lake: Path) -> None:
    panel = load_border_dyads(bundle, lake)
    assert panel.name == "border-dyads" and panel.months[0].year == 1989
    assert f"{panel.months[-1]:%Y-%m}" == "2020-12"  # the 23.1 sample's 2021-22 handful is not coverage
    kgz_tjk = panel.values[panel.unit_index("KGZ-TJK")]
    assert kgz_tjk.sum() > 0 and (panel.values >= 0).all()
    assert panel.values[panel.unit_index("AFG-PAK")].sum() > 1000  # the Durand line
    assert panel.values[panel.unit_index("ESP-FRA")].sum() == 0  # no event of this lake is there
    near = {panel.units[j] for j in panel.neighbours[panel.unit_index("KGZ-TJK")]}
    assert {"KGZ-UZB", "TJK-UZB", "AFG-TJK"} <= near and "AFG-PAK" not in near
    narrow, wide = load_border_dyads(bundle, lake, km=25), load_border_dyads(bundle, lake, km=100)
    assert (narrow.values <= panel.values).all() and (panel.values <= wide.values).all()
    assert narrow.values.sum() < panel.values.sum() < wide.values.sum()


def test_provinces_follow_their_label_points_and_mostly_agree_with_ged(bundle: Path, lake: Path) -> None:
    panel = load_provinces(bundle, lake)
    assert {"TJK:Leninabad", "KGZ:Batken", "AFG:Kabul", "TKM:Ahal"} <= set(panel.units)
    assert not any("minor island" in u for u in panel.units)
    assert panel.values[panel.unit_index("AFG:Kabul")].sum() > 0
    events = read_geolocated(lake)
    total = events[events["country"].isin(region("central-asia+afghanistan").iso3s)]
    covered = total[total["month"] <= panel.months[-1]]
    assert panel.values.sum() == pytest.approx(covered["deaths"].sum())  # every regional death in one province
    # The official GED rows name their province: the nearest label point agrees for most of them (names differ
    # in spelling, so the first four letters are compared; Natural Earth has no point for Panjsher, for one).
    points = read_label_points(bundle)
    with (bundle / OFFICIAL).open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["adm_1"] and r["country"] in ("Afghanistan", "Tajikistan")]
    frame = pd.DataFrame(
        {
            "country": ["AFG" if r["country"] == "Afghanistan" else "TJK" for r in rows],
            "longitude": [float(r["longitude"]) for r in rows],
            "latitude": [float(r["latitude"]) for r in rows],
        }
    )
    assigned = assign_provinces(frame, points)

    def key(name: str) -> str:
        return re.sub(r"[^a-z]", "", name.lower().removesuffix(" province"))[:4]

    agree = [key(points.province[i].split(":")[1]) == key(r["adm_1"]) for i, r in zip(assigned, rows, strict=True)]
    assert len(rows) > 100 and np.mean(agree) > 0.8


def test_events_past_the_end_extend_the_targets_and_the_vintage(
    bundle: Path, tmp_path: Path, pointing_at: object
) -> None:
    """Real GED rows of December 2020, re-dated to January 2021 with new ids (a stand-in for a fetched Candidate
    release, which the bundle does not hold), move the targets' last month and the vintage's origin."""
    workspace = tmp_path / "workspace"
    with pointing_at(workspace, bundle):  # type: ignore[operator]
        ingest("ucdp-ged", [bundle / REGIONAL], workspace=workspace)
        before = load_border_dyads(bundle, workspace)
        with (bundle / REGIONAL).open(encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header, rows = reader.fieldnames, [r for r in reader if (r["year"], r["month"]) == ("2020", "12")]
        redated = tmp_path / "ged211_redated_2021_01.csv"
        with redated.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(header or []))
            writer.writeheader()
            for r in rows:
                writer.writerow({**r, "id": str(int(r["id"]) + 90_000_000), "year": "2021", "month": "1"})
        ingest("ucdp-ged", [redated], workspace=workspace)
        after = load_border_dyads(bundle, workspace)
        record = issue_vintage(after, "2021-01", bundle=bundle, model="conflictology12")
        frozen, _ = freeze_vintage(record, workspace)
    assert len(rows) > 20
    assert f"{before.months[-1]:%Y-%m}" == "2020-12" and f"{after.months[-1]:%Y-%m}" == "2021-01"
    assert np.array_equal(after.values[:, -1], after.values[:, -2])  # the same events, one month later
    assert frozen["origin"] == "2021-01" and frozen["months_seen"] == ["1989-01", "2021-01"]


def test_an_empty_lake_is_refused(bundle: Path, workspace: Path) -> None:
    with pytest.raises(RefusedInput, match="no geolocated UCDP or ACLED events"):
        load_border_dyads(bundle, workspace)
    with pytest.raises(RefusedInput, match="no geolocated UCDP or ACLED events"):
        load_provinces(bundle, workspace)


@pytest.mark.slow
def test_the_dyad_backtest_scores_baselines_and_models(bundle: Path, lake: Path) -> None:
    panel = load_border_dyads(bundle, lake)
    origins = parse_origins("2019-01:2025-06", panel)  # the window stops where the events do
    assert panel.months[origins[-1]].year == 2020
    result = run_backtest(panel, origins=origins, horizons=(1,), models=["decay", "ensemble"], bundle=bundle)
    data = result.as_json()
    assert data["target"] == "border-dyads" and data["n_units"] == panel.n_units
    assert data["bar"]["checks"][0]["requirement"] == "crps_skill_vs_conflictology12"
    calibration = data["calibration"]["ensemble"]["1"]
    assert calibration["region"]["n"] == 10 * len([o for o in origins if o + 1 < len(panel.months)])
    assert sum(calibration["global"]["pit"]) == pytest.approx(1.0)


def test_province_forecasts_come_riskiest_first(bundle: Path, lake: Path) -> None:
    panel = load_provinces(bundle, lake)
    freeze_vintage(issue_vintage(panel, "2020-12", bundle=bundle, model="conflictology12"), lake)
    got = province_forecasts(workspace=lake, month=date(2021, 3, 1))
    assert got.origin == "2020-12" and len(got.units) == panel.n_units
    p = [r.p_any for r in got.units]
    assert p == sorted(p, reverse=True) and got.units[0].unit.startswith("AFG:")
    assert {r.name for r in got.units} >= {"Kabul", "Leninabad", "Batken"}
    with pytest.raises(RefusedInput, match="no frozen provinces forecast vintage"):
        province_forecasts(workspace=lake, month=date(2020, 1, 1))
