"""The published recalibration maps applied to new vintages (issue 15): calibrated P(any) beside the model's own.

Real rows: the deaths target over the bundle's series, forecast by two baselines. ``prevdip backtest`` publishes
the map of the best model only, and fitting it takes minutes; here the same publication is made for the baselines
— a backtest of them on the bundle lake (:func:`run_backtest`), with the record the backtest writes for its best
model (:func:`recalibration_record` on the validation origins 2012–2017) under each baseline's name. On this panel
the criterion holds for ``conflictology12`` at horizon 3 and not at horizon 1 (its validation ECE there is under
one percentage point), and for ``decay`` at every horizon: the test checks that before relying on it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from prevdip.briefs import render_html
from prevdip.briefs.locale import probability
from prevdip.events import ingest
from prevdip.events.lake import lake_stamp
from prevdip.events.sharing import Audience
from prevdip.forecast import (
    TargetPanel,
    backtest_and_publish,
    crisis_risk,
    freeze_vintage,
    issue_vintage,
    latest_vintage,
    load_target,
    parse_origins,
    publish_backtest,
    recalibration_maps,
    regional_forecasts,
    run_backtest,
    unit_forecast,
)
from prevdip.forecast.backtest import _in_universe, region_units, validation_origins
from prevdip.forecast.calibrated import Maps, published_maps
from prevdip.forecast.forecasters import cached, registry
from prevdip.forecast.recalibration import Recalibrator, recalibration_record
from prevdip.forecast.scoring import Scored, concat, score_origin
from prevdip.forecast.targets import CRISIS_TARGET, DEATHS_TARGET, VALIDATION_ORIGINS
from prevdip.forecast.vintage import read_vintage
from prevdip.months import Month
from prevdip.response import crisis_withheld
from prevdip.settings import Settings
from prevdip.situation import monthly_brief, without_crisis
from prevdip.web import create_app

TEST_ORIGINS = "2018-01:2019-12"
HORIZONS = (1, 3)
MONTH = "2025-01"


def _scored(panel: TargetPanel, model: str, origins: list[int], h: int) -> Scored:
    forecasts = cached(registry(None)[model], panel, origins, h, {})
    universe = panel.in_universe()
    return concat([_in_universe(score_origin(panel.values, o, h, forecasts[o]), universe, h) for o in origins])


def _backtest_record(panel: TargetPanel, bundle: Path) -> dict[str, Any]:
    """What ``prevdip backtest`` publishes, with each baseline's recalibration record as it writes the best model's."""
    tested = parse_origins(TEST_ORIGINS, panel)
    validation = validation_origins(VALIDATION_ORIGINS, panel, tested)
    models = ["conflictology12", "decay"]
    record = run_backtest(panel, origins=tested, horizons=HORIZONS, models=models, bundle=bundle).as_json()
    months = [f"{panel.months[validation[0]]:%Y-%m}", f"{panel.months[validation[-1]]:%Y-%m}"]
    record["recalibration"] = {
        model: {
            str(h): recalibration_record(
                _scored(panel, model, [o for o in validation if o + h <= tested[0]], h),
                _scored(panel, model, [o for o in tested if o + h < panel.values.shape[1]], h),
                region_units(panel.units),
                months,
            )
            for h in HORIZONS
        }
        for model in models
    }
    return record


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory, series_lake: Path, bundle: Path
) -> tuple[Path, TargetPanel, dict[str, Any]]:
    """A workspace holding the bundle's series and the deaths target's published backtest, made from that lake."""
    workspace = tmp_path_factory.mktemp("calibrated") / "workspace"
    shutil.copytree(series_lake, workspace)
    panel = load_target(DEATHS_TARGET, bundle=bundle, workspace=workspace)
    record = _backtest_record(panel, bundle)
    path = publish_backtest(record, workspace=workspace, fingerprint="f" * 64)
    return workspace, panel, json.loads(path.read_text(encoding="utf-8"))


def _rows(record: dict[str, Any], horizon: int) -> list[dict[str, Any]]:
    return [r for r in record["forecasts"] if r["horizon"] == horizon]


def test_the_backtest_names_its_lake_and_its_numbers_stay(published: tuple[Path, TargetPanel, dict[str, Any]]) -> None:
    workspace, panel, record = published
    assert record["lake"] == panel.lake and record["fingerprint"] == "f" * 64
    recalibration = record["recalibration"]
    assert (
        recalibration["conflictology12"]["3"]["recalibrated"]
        and not recalibration["conflictology12"]["1"]["recalibrated"]
    )
    assert all(recalibration["decay"][h]["recalibrated"] for h in ("1", "3"))
    maps = recalibration_maps(panel, workspace=workspace, model="conflictology12")
    assert maps is not None and set(maps.by_horizon) == {3} and maps.stale is None
    assert recalibration_maps(panel, workspace=workspace, model="zero") == Maps("f" * 64, panel.lake, None)
    assert published_maps({"lake": panel.lake, "recalibration": None}, model="decay", lake=panel.lake) == Maps(
        None, panel.lake, None
    )  # a backtest published before recalibration was part of it: no map


def test_a_backtest_published_before_it_named_its_lake_is_named_when_reused(
    bundle: Path, series_workspace: Path
) -> None:
    settings = {"target": DEATHS_TARGET, "origins": "2025-01:2025-02", "models": "zero", "horizons": [1]}
    backtest_and_publish(**settings, bundle=bundle, workspace=series_workspace)  # type: ignore[arg-type]
    path = series_workspace / "backtests" / f"{DEATHS_TARGET}.json"
    old = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k != "lake"}
    path.write_text(json.dumps(old), encoding="utf-8")
    _, reused = backtest_and_publish(**settings, bundle=bundle, workspace=series_workspace, reuse=True)  # type: ignore[arg-type]
    upgraded = json.loads(path.read_text(encoding="utf-8"))
    assert reused and upgraded["lake"] == lake_stamp(series_workspace).digest
    assert {k: v for k, v in upgraded.items() if k not in {"lake", "published_at"}} == {
        k: v for k, v in old.items() if k != "published_at"
    }  # its numbers as they were


def test_a_horizon_the_backtest_recalibrates_gets_the_map_the_others_stay_raw(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path
) -> None:
    workspace, panel, backtest = published
    maps = recalibration_maps(panel, workspace=workspace, model="conflictology12")
    calibrated = issue_vintage(panel, MONTH, bundle=bundle, model="conflictology12", maps=maps)
    raw = issue_vintage(panel, MONTH, bundle=bundle, model="conflictology12")
    knots, values = np.array(backtest["recalibration"]["conflictology12"]["3"]["map"]).T
    at3, raw3 = _rows(calibrated, 3), _rows(raw, 3)
    before = np.array([r["p_any"] for r in raw3])
    assert [r["p_any_raw"] for r in at3] == list(before)  # the model's own figure, frozen beside
    after = np.array([r["p_any"] for r in at3])
    assert after == pytest.approx(Recalibrator(knots, values)(before), rel=1e-5, abs=1e-9)
    assert np.all((after >= 0) & (after <= 1)) and not np.allclose(after, before)
    order = np.argsort(before, kind="stable")
    assert np.all(np.diff(after[order]) >= -1e-6)  # monotone: never reorders two units
    for h in (1, 6, 12):  # no map at 1 (the criterion failed), none published at 6 and 12: as before, key for key
        assert _rows(calibrated, h) == _rows(raw, h)
    assert calibrated["explanations"] == raw["explanations"]  # next month (h = 1) is not recalibrated
    assert calibrated["calibration"] == {
        "backtest": "f" * 64, "lake": panel.lake, "validation_origins": ["2012-01", "2017-12"], "horizons": [3]
    }  # fmt: skip
    assert "calibration" not in raw  # a vintage issued without a published backtest is the same as ever


def test_a_stale_backtest_is_never_applied(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path, pointing_at: Any
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(published[0], workspace)
    with pointing_at(workspace, bundle):  # new events reach the lake after the backtest was published
        ingest("ucdp-ged", [bundle / "ucdp/ged211_reduced_central_asia_neighbours.csv"], workspace=workspace)
        panel = load_target(DEATHS_TARGET, bundle=bundle, workspace=workspace)
    assert panel.lake != published[1].lake
    maps = recalibration_maps(panel, workspace=workspace, model="decay")
    assert maps is not None and not maps.by_horizon and maps.stale
    record = issue_vintage(panel, MONTH, bundle=bundle, model="decay", maps=maps)
    assert not any("p_any_raw" in r for r in record["forecasts"])
    assert record["calibration"]["horizons"] == [] and "raw P(any) shown" in record["calibration"]["stale"]
    assert record["forecasts"] == issue_vintage(panel, MONTH, bundle=bundle, model="decay")["forecasts"]
    unnamed = {k: v for k, v in published[2].items() if k != "lake"}  # published before backtests named their lake
    (workspace / "backtests" / f"{DEATHS_TARGET}.json").write_text(json.dumps(unnamed), encoding="utf-8")
    stale = recalibration_maps(panel, workspace=workspace, model="decay")
    assert stale is not None and "does not name the lake" in (stale.stale or "")


def test_the_explanation_follows_the_map_of_next_month() -> None:
    maps = Maps(
        "b", "l", ["2012-01", "2017-12"], {1: Recalibrator(np.array([0.0, 0.5, 1.0]), np.array([0.0, 0.2, 1.0]))}
    )
    raw = {"p_now": 0.5, "p_before": 0.25, "median_now": 1.0, "median_before": 0.0,
           "drivers": [{"feature": "decay1", "words": "w", "p_change": 0.25, "median_change": 1.0}]}  # fmt: skip
    shown = maps.explained({"KGZ": raw})["KGZ"]
    assert (shown["p_now"], shown["p_before"]) == (0.2, 0.1)
    assert shown["drivers"][0]["p_change"] == pytest.approx(0.1) and shown["median_now"] == 1.0


def test_a_calibrated_vintage_round_trips_byte_stable(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path
) -> None:
    _, panel, _ = published
    workspace = tmp_path / "workspace"
    shutil.copytree(published[0], workspace)
    maps = recalibration_maps(panel, workspace=workspace, model="decay")

    def freeze() -> tuple[Path, bool]:
        frozen, written = freeze_vintage(
            issue_vintage(panel, MONTH, bundle=bundle, model="decay", maps=maps), workspace
        )
        return Path(frozen.path or ""), written

    path, written = freeze()
    content = path.read_bytes()
    again, written_again = freeze()
    assert written and not written_again and again == path and path.read_bytes() == content
    record = read_vintage(path)  # checked against its hash
    assert record["calibration"]["horizons"] == [1, 3]  # those the backtest published a map for
    shown = latest_vintage(workspace=workspace)
    assert shown.calibration is not None and shown.calibration.horizons == record["calibration"]["horizons"]
    assert all(r.p_any_raw is not None for r in shown.forecasts if r.horizon in (1, 3))


def test_an_old_vintage_without_the_fields_still_reads(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path
) -> None:
    _, panel, _ = published
    frozen, _ = freeze_vintage(issue_vintage(panel, MONTH, bundle=bundle, model="zero"), tmp_path)
    shown = latest_vintage(workspace=tmp_path)
    assert shown.calibration is None and all(r.p_any_raw is None for r in shown.forecasts)
    assert "calibration" not in shown.as_json() and "p_any_raw" not in shown.as_json()["forecasts"][0]


@pytest.fixture(scope="module")
def pages(published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path) -> Iterator[TestClient]:
    """Two monthly deaths vintages by ``decay``, calibrated at horizons 1 and 3, on a public dashboard."""
    workspace, panel, _ = published
    maps = recalibration_maps(panel, workspace=workspace, model="decay")
    for month in ("2024-12", MONTH):
        freeze_vintage(issue_vintage(panel, month, bundle=bundle, model="decay", maps=maps), workspace)
    with TestClient(create_app(Settings(workspace=workspace, bundle=bundle, public_access="public"))) as client:
        yield client


def test_the_forecasts_page_shows_both(pages: TestClient) -> None:
    data = pages.get("/forecasts.json").json()
    kgz = next(r for r in data["region"]["countries"]["units"] if r["unit"] == "KGZ")
    assert 0 <= kgz["p_any"] <= 1 and "p_any_raw" in kgz and kgz["p_any"] != kgz["p_any_raw"]
    assert data["region"]["countries"]["calibration"]["horizons"][:2] == [1, 3]
    rows = data["vintage"]["forecasts"]
    assert all("p_any_raw" in r for r in rows if r["horizon"] in (1, 3))
    page = pages.get("/forecasts").text
    assert "Figures marked ᶜ are calibrated on 2012–2017 validation origins" in page
    assert 'href="/glossary#calibrated"' in page and "the model&#39;s own figure:" in page
    ru = pages.get("/forecasts?lang=ru").text
    assert "откалиброваны на проверочных точках прогноза 2012–2017 годов" in ru
    pages.get("/forecasts?lang=en")
    csv = pages.get("/forecasts.csv").text.splitlines()
    assert csv[0] == "vintage,origin,unit,name,horizon,month,p_any,p_any_raw,median,low50,high50,low90,high90,mean"
    country = pages.get("/countries/KGZ.json?month=2025-02").json()["forecast"]
    assert country["calibration"]["lake"] and country["horizons"][0]["p_any_raw"] is not None
    assert "ᶜ" in pages.get("/countries/KGZ?month=2025-02").text


def test_the_brief_shows_both(
    pages: TestClient, published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path
) -> None:
    """The brief's forecast table over the calibrated deaths vintages ``pages`` froze (the dyads' rows from a raw
    P(crisis) vintage: the brief's table needs every unit of the region)."""
    workspace = tmp_path / "workspace"
    shutil.copytree(published[0], workspace)
    stages = load_target(CRISIS_TARGET, bundle=bundle, workspace=workspace)
    freeze_vintage(issue_vintage(stages, MONTH, bundle=bundle, model="conflictology12"), workspace)
    content = monthly_brief(Month.parse("2025-02"), workspace=workspace, audience=Audience.centre)
    kgz = next(r for r in content.as_json()["forecast"]["units"] if r["unit"] == "KGZ")
    assert kgz["p_any_raw"] is not None and "p_crisis_raw" not in kgz
    html = render_html(content, bundle=bundle).replace("&#39;", "'")
    assert f"{probability(kgz['p_any'])}ᶜ (model's own {probability(kgz['p_any_raw'])})" in html
    assert "calibrated on 2012–2017 validation origins" in html


def test_the_change_since_last_month_is_on_one_scale(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path
) -> None:
    """A raw vintage followed by a calibrated one: the change is the model's own figures' (a map is not a change
    in the risk); two calibrated vintages: the change of the figures shown."""
    workspace, panel, _ = published
    maps = recalibration_maps(panel, workspace=workspace, model="decay")
    freeze_vintage(issue_vintage(panel, "2024-11", bundle=bundle, model="decay"), tmp_path)
    raw = read_vintage(sorted((tmp_path / "vintages").glob("*.json"))[0])
    freeze_vintage(issue_vintage(panel, "2024-12", bundle=bundle, model="decay", maps=maps), tmp_path)
    now = next(r for r in regional_forecasts(workspace=tmp_path).countries.units or [] if r.unit == "AFG")
    before = next(r for r in raw["forecasts"] if r["unit"] == "AFG" and r["horizon"] == 1)
    assert now.p_any_raw is not None and now.p_change == round(now.p_any_raw - before["p_any"], 6)


def test_p_crisis_is_calibrated_on_pages_raw_for_warnings_and_withheld_whole(
    published: tuple[Path, TargetPanel, dict[str, Any]], bundle: Path, tmp_path: Path, pointing_at: Any
) -> None:
    """The stage target's map (``decay`` is off there at both horizons): a unit's P(crisis) shown calibrated with the
    model's own beside it; the warnings keep reading the model's own (their thresholds were judged on it); an
    audience the lake hides a field report from gets neither figure."""
    workspace = tmp_path / "workspace"
    shutil.copytree(published[0], workspace)
    report = {"report_id": "FR-INT-1", "date": "2022-08-16", "place": "Vorukh", "country": "TJK",
              "what_happened": "Sappers at the canal intake", "category": "border_incident",
              "reporter": "monitor Corvina", "confidence": "medium", "sharing": "centre-internal"}  # fmt: skip
    (tmp_path / "reports.json").write_text(json.dumps({"reports": [report]}), encoding="utf-8")
    with pointing_at(workspace, bundle):
        assert ingest("field", [tmp_path / "reports.json"]).accepted == 1
        stages = load_target(CRISIS_TARGET, bundle=bundle, workspace=workspace)
        publish_backtest(_backtest_record(stages, bundle), workspace=workspace, fingerprint="c" * 64)
        maps = recalibration_maps(stages, workspace=workspace, model="decay")
        assert maps is not None and set(maps.by_horizon) == {1, 3}
        frozen, _ = freeze_vintage(issue_vintage(stages, "2022-08", bundle=bundle, model="decay", maps=maps), workspace)
        rows = {r["unit"]: r for r in read_vintage(Path(frozen.path or ""))["forecasts"] if r["horizon"] == 1}
        assert crisis_risk(workspace=workspace, month=date(2022, 9, 1)) == {u: r["p_any_raw"] for u, r in rows.items()}
        dyad = unit_forecast("KGZ-TJK", date(2022, 9, 1), workspace=workspace)
        first = dyad.horizons[0]
        assert (first.p_crisis, first.p_crisis_raw) == (rows["KGZ-TJK"]["p_any"], rows["KGZ-TJK"]["p_any_raw"])
        assert first.p_crisis != first.p_crisis_raw
        for reader, hidden in ((Audience.centre, False), (Audience.public, True)):
            shown = without_crisis(dyad, withheld=crisis_withheld(workspace, reader))
            kept = [(h.p_crisis, h.p_crisis_raw) for h in shown.horizons]
            assert all(pair == (None, None) for pair in kept) is hidden
