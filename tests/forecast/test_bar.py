"""The bar's verdict beside the scores: the backtest says where prevdip falls short, in JSON, CLI and dashboard.

Issue 15's bar on the whole state system: CRPS skill ≥ +3 % with its interval above 0, AUROC at h = 1 above
conflictology12's, and onset AUROC and average precision relative to the ``decay`` baseline on the same rows.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.forecast import Backtest
from prevdip.forecast.bar import ONSET_AP_RATIO, ONSET_MARGIN, bar_verdict
from prevdip.settings import Settings
from prevdip.web import create_app


@pytest.fixture(scope="module")
def with_ensemble(best_model_backtest: Backtest) -> dict[str, Any]:
    return best_model_backtest.as_json()


@pytest.mark.slow
def test_each_check_reads_the_scores_it_names(with_ensemble: dict[str, Any]) -> None:
    bar = with_ensemble["bar"]
    assert bar["model"] == "ensemble"
    by_key = {(c["requirement"], c["horizon"]): c for c in bar["checks"]}
    scores, skill = with_ensemble["scores"], with_ensemble["skill_vs_conflictology12"]["ensemble"]
    for h in (1, 3):
        onset = by_key[("onset_auroc_vs_decay", h)]
        assert onset["value"] == scores["ensemble"][str(h)]["onset_auroc"]
        assert onset["threshold"] == pytest.approx(scores["decay"][str(h)]["onset_auroc"] + ONSET_MARGIN)
        assert onset["met"] is (onset["value"] >= onset["threshold"])
        ap = by_key[("onset_ap_vs_decay", h)]
        assert ap["threshold"] == pytest.approx(scores["decay"][str(h)]["onset_ap"] * ONSET_AP_RATIO)
        assert by_key[("crps_skill_vs_conflictology12", h)]["value"] == skill[str(h)]["crps_skill"]
        assert by_key[("crps_skill_ci_low", h)]["value"] == skill[str(h)]["ci_low"]
    auroc = by_key[("auroc_above_conflictology12", 1)]
    assert auroc["threshold"] == scores["conflictology12"]["1"]["auroc"]
    assert by_key[("onset_auroc_vs_decay", 6)]["met"] is None  # horizon 6 was not run: neither met nor failed
    assert bar["met"] is (None if all(c["met"] is not False for c in bar["checks"]) else False)
    assert bar["short"] == [c for c in bar["checks"] if c["met"] is False]


def _full(onset: float, *, ap: float = 0.2) -> dict[str, Any]:
    """A backtest record at horizons 1, 3, 6 where decay's onset AUROC is 0.82 and its onset AP 0.1."""
    scores = {
        m: {h: {"auroc": 0.97 if m == "ensemble" else 0.96, "onset_auroc": onset, "onset_ap": ap} for h in "136"}
        for m in ("ensemble", "conflictology12")
    }
    scores["decay"] = {h: {"auroc": 0.95, "onset_auroc": 0.82, "onset_ap": 0.1} for h in "136"}
    skill = {"ensemble": {h: {"crps_skill": 0.05, "ci_low": 0.01} for h in "136"}}
    return {"target": "ucdp-best", "scores": scores, "skill_vs_conflictology12": skill}


def _short(record: dict[str, Any]) -> list[tuple[str, int]]:
    verdict = bar_verdict(record)
    assert verdict is not None
    return [(c["requirement"], c["horizon"]) for c in verdict["short"]]


def test_the_verdict_turns_on_each_threshold() -> None:
    assert bar_verdict(_full(0.85))["met"] is True  # decay + 0.03, inclusive
    assert _short(_full(0.8499)) == [("onset_auroc_vs_decay", h) for h in (1, 3, 6)]
    assert _short(_full(0.9, ap=0.1249)) == [("onset_ap_vs_decay", h) for h in (1, 3, 6)]
    tied = _full(0.9)
    tied["scores"]["ensemble"]["1"]["auroc"] = 0.96  # AUROC must be strictly above conflictology12's
    assert _short(tied) == [("auroc_above_conflictology12", 1)]
    small = _full(0.9)
    small["skill_vs_conflictology12"]["ensemble"]["3"]["crps_skill"] = 0.029  # the bar is +3 %
    assert _short(small) == [("crps_skill_vs_conflictology12", 3)]
    unsure = _full(0.9)
    unsure["skill_vs_conflictology12"]["ensemble"]["6"]["ci_low"] = 0.0  # the interval must lie above 0
    assert _short(unsure) == [("crps_skill_ci_low", 6)]


def test_without_the_decay_baseline_the_onset_checks_are_not_run() -> None:
    record = _full(0.9)
    del record["scores"]["decay"]
    verdict = bar_verdict(record)
    assert verdict is not None and verdict["met"] is None and verdict["short"] == []


def test_dyads_and_provinces_need_skill_of_at_least_zero() -> None:
    for target in ("border-dyads", "provinces"):
        record = {**_full(0.5, ap=0.0), "target": target}
        record["skill_vs_conflictology12"]["ensemble"]["1"]["crps_skill"] = 0.0
        verdict = bar_verdict(record)
        assert verdict is not None and verdict["met"] is True  # onset scores are not part of their bar
        record["skill_vs_conflictology12"]["ensemble"]["3"]["crps_skill"] = -0.001
        assert _short(record) == [("crps_skill_vs_conflictology12", 3)]


def test_no_verdict_where_the_bar_does_not_apply() -> None:
    assert bar_verdict({**_full(0.9), "target": "stage-crisis"}) is None
    without = _full(0.9)
    del without["scores"]["ensemble"]
    assert bar_verdict(without) is None


@pytest.mark.slow
def test_the_dashboard_shows_the_verdict_of_an_older_published_backtest(
    with_ensemble: dict[str, Any], tmp_path: Path, bundle: Path, initialised: Callable[[Path], Path]
) -> None:
    initialised(tmp_path)
    published = copy.deepcopy(with_ensemble)
    del published["bar"]  # published before the verdict was part of the record
    (tmp_path / "backtests").mkdir(exist_ok=True)
    (tmp_path / "backtests" / "ucdp-best.json").write_text(json.dumps(published), encoding="utf-8")
    with TestClient(create_app(Settings(workspace=tmp_path, bundle=bundle, public_access="public"))) as client:
        data = client.get("/backtests.json").json()["backtest"]
        page = client.get("/backtests").text
    assert data["bar"] == with_ensemble["bar"]
    assert "The bar for ensemble" in page
    bar = data["bar"]
    for verdict in (True, False, None):
        shown = sum(c["met"] is verdict for c in bar["checks"]) + (bar["met"] is verdict)
        assert page.count(f'class="verdict verdict-{verdict}"') == shown
    assert sum(c["met"] is None for c in bar["checks"]) == 4  # horizon 6: neither met nor failed


def test_the_dashboard_says_by_how_much_the_onset_bar_is_missed(
    tmp_path: Path, bundle: Path, initialised: Callable[[Path], Path]
) -> None:
    initialised(tmp_path)
    record = _full(0.84)  # decay's 0.82 + 0.03 = 0.85: short by 0.010 at every horizon
    published = {**record, "origins": ["2018-01", "2025-06"], "n_units": 197, "bar": bar_verdict(record)}
    (tmp_path / "backtests").mkdir(exist_ok=True)
    (tmp_path / "backtests" / "ucdp-best.json").write_text(json.dumps(published), encoding="utf-8")
    with TestClient(create_app(Settings(workspace=tmp_path, bundle=bundle, public_access="public"))) as client:
        page = client.get("/backtests").text
    line = page[page.index('class="onset-short"') :].split("</p>")[0]
    assert "The onset bar is missed" in line
    assert all(f"h = {h}: 0.84 against 0.85 (0.010)" in line for h in (1, 3, 6))
    record["scores"]["ensemble"] = {h: {**s, "onset_auroc": 0.86} for h, s in record["scores"]["ensemble"].items()}
    met = initialised(tmp_path / "met")  # a workspace of its own: the page of the first is cached while its files stand
    (met / "backtests").mkdir(parents=True, exist_ok=True)
    (met / "backtests" / "ucdp-best.json").write_text(
        json.dumps({**published, **record, "bar": bar_verdict(record)}), encoding="utf-8"
    )
    with TestClient(create_app(Settings(workspace=met, bundle=bundle, public_access="public"))) as client:
        assert 'class="onset-short"' not in client.get("/backtests").text  # met: no shortfall line
