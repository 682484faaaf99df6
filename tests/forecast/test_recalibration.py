"""Recalibration of P(any) on the validation origins only (issue 15).

Real rows: the province target built from the bundle's regional GED 21.1 extract ingested into a lake (as in
``test_geolocated_targets.py``), scored with the decay baseline (cheap, and miscalibrated enough to have something
to correct) and, in the slow tests, with the best model through the backtest itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from prevdip.errors import RefusedInput
from prevdip.events import ingest
from prevdip.forecast import parse_origins, run_backtest
from prevdip.forecast.backtest import _in_universe, region_units, validation_origins
from prevdip.forecast.forecasters import BEST_MODEL, cached, registry
from prevdip.forecast.province_target import load_provinces
from prevdip.forecast.recalibration import ECE_LIMIT, HELD_OUT_GAIN, Recalibrator, ece, held_out, recalibration_record
from prevdip.forecast.scoring import Scored, concat, score_origin
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import VALIDATION_ORIGINS
from prevdip.forecast.views import RecalibrationRecord
from prevdip.settings import Settings
from prevdip.web import create_app

REGIONAL = "ucdp/ged211_reduced_central_asia_neighbours.csv"


@pytest.fixture(scope="module")
def provinces(tmp_path_factory: pytest.TempPathFactory, bundle: Path, pointing_at: object) -> TargetPanel:
    workspace = tmp_path_factory.mktemp("recalibration") / "workspace"
    with pointing_at(workspace, bundle):  # type: ignore[operator]
        ingest("ucdp-ged", [bundle / REGIONAL], workspace=workspace)
        return load_provinces(bundle, workspace)


def _decay(panel: TargetPanel, origins: str, horizon: int) -> Scored:
    chosen = parse_origins(origins, panel)
    forecasts = cached(registry(None)["decay"], panel, chosen, horizon, {})
    universe = panel.in_universe()
    return concat(
        [_in_universe(score_origin(panel.values, o, horizon, forecasts[o]), universe, horizon) for o in chosen]
    )


def test_ece_is_the_row_weighted_gap_of_the_bins() -> None:
    p = np.array([0.05, 0.05, 0.95, 0.95])
    event = np.array([False, True, True, True])
    assert ece(p, event) == pytest.approx(0.5 * 0.45 + 0.5 * 0.05)
    assert ece(np.array([]), np.array([], dtype=bool)) is None


def test_the_map_is_monotone_and_corrects_the_validation_rows(provinces: TargetPanel) -> None:
    validation, test = _decay(provinces, "2012-01:2017-11", 1), _decay(provinces, "2018-01:2020-11", 1)
    record = recalibration_record(validation, test, region_units(provinces.units), ["2012-01", "2017-11"])
    RecalibrationRecord.model_validate(record)
    knots, values = np.array(record["map"]).T
    assert np.all(np.diff(knots) > 0) and np.all(np.diff(values) >= 0) and values.min() >= 0 and values.max() <= 1
    fitted = Recalibrator(knots, values)
    ordered = np.sort(test.p_positive)
    assert np.all(np.diff(fitted(ordered)) >= 0)  # never reorders two forecasts
    assert record["validation_ece"] > ECE_LIMIT  # decay is off on the provinces
    carries = record["held_out_ece_recalibrated"] <= (1 - HELD_OUT_GAIN) * record["held_out_ece"]
    assert record["recalibrated"] is carries  # recalibrated only if a map of earlier years helps the later ones
    assert (record["held_out_ece"], record["held_out_ece_recalibrated"]) == held_out(validation)
    assert record["validation_ece_recalibrated"] < record["validation_ece"] / 2
    assert record["test_ece"] == pytest.approx(ece(test.p_positive, test.observed > 0))
    assert record["n_validation"] == len(validation.observed)
    assert sum(b["n"] for b in record["reliability"]["global"]) == len(test.observed)


def test_the_map_never_reads_the_test_rows(provinces: TargetPanel) -> None:
    validation, test = _decay(provinces, "2012-01:2017-11", 1), _decay(provinces, "2018-01:2020-11", 1)
    region = region_units(provinces.units)
    flipped = test.take(np.arange(len(test.observed)))
    flipped.observed[:] = np.where(test.observed > 0, 0.0, 1.0)  # every test outcome the other way round
    one = recalibration_record(validation, test, region, ["2012-01", "2017-11"])
    other = recalibration_record(validation, flipped, region, ["2012-01", "2017-11"])
    assert one["map"] == other["map"] and one["validation_ece"] == other["validation_ece"]
    assert one["test_ece"] != other["test_ece"]  # the test figures do read them


def test_validation_origins_stop_before_the_backtest(provinces: TargetPanel) -> None:
    origins = parse_origins("2018-01:2018-06", provinces)
    chosen = validation_origins(VALIDATION_ORIGINS, provinces, origins)
    assert f"{provinces.months[chosen[0]]:%Y-%m}" == "2012-01" and f"{provinces.months[chosen[-1]]:%Y-%m}" == "2017-12"
    assert validation_origins(VALIDATION_ORIGINS, provinces, parse_origins("2015-01:2016-01", provinces))[-1] < min(
        parse_origins("2015-01:2016-01", provinces)
    )
    with pytest.raises(RefusedInput, match="before the backtest's first origin"):
        run_backtest(provinces, origins=origins, horizons=(1,), models=["zero"], validation=[origins[0]])


@pytest.mark.slow
def test_the_backtest_recalibrates_the_best_model_on_validation_rows_only(
    provinces: TargetPanel, bundle: Path, tmp_path: Path, initialised: Callable[[Path], Path]
) -> None:
    origins = parse_origins("2018-01:2018-03", provinces)
    validation = parse_origins("2017-01:2017-12", provinces)  # one yearly refit: the test is slow enough

    def run(panel: TargetPanel) -> dict[str, object]:
        result = run_backtest(
            panel, origins=origins, horizons=(1,), models=[BEST_MODEL], bundle=bundle, validation=validation
        )
        for h, scored in result.validation.items():  # only outcomes observed by the first test origin
            assert np.all(scored.origin + h <= origins[0]) and len(scored.observed)
        return result.as_json()

    data = run(provinces)
    recalibration = data["recalibration"][BEST_MODEL]  # type: ignore[index]
    assert set(recalibration) == {"1"}
    record = RecalibrationRecord.model_validate(recalibration["1"])
    assert record.validation_origins == ["2017-01", "2017-12"]
    # Whatever happens after the first test origin, the map fitted on the validation origins is the same.
    later = provinces.values.copy()
    later[:, origins[0] + 1 :] = np.random.default_rng(0).poisson(3.0, later[:, origins[0] + 1 :].shape)
    assert run(provinces.with_values(later))["recalibration"][BEST_MODEL]["1"]["map"] == record.map  # type: ignore[index]
    # The published record carries it, and /backtests shows it beside the raw figures.
    (initialised(tmp_path) / "backtests").mkdir()
    (tmp_path / "backtests" / "provinces.json").write_text(json.dumps(data), encoding="utf-8")
    with TestClient(create_app(Settings(workspace=tmp_path, bundle=bundle, public_access="public"))) as client:
        shown = client.get("/backtests.json").json()["more"]["provinces"]["recalibration"]
        page = client.get("/backtests").text
    assert shown == data["recalibration"]
    assert "Recalibration of provinces" in page and 'id="recalibration-provinces"' in page
    assert "recalibrated on 2012–2017" in page  # the reliability after the map, charted
