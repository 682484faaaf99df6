"""The bar's verdict beside the scores: the backtest says where prevdip falls short, in JSON, CLI and dashboard."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from prevdip.forecast import Backtest
from prevdip.forecast.bar import ONSET_BAR, bar_verdict
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
        onset = by_key[("onset_auroc", h)]
        assert onset["value"] == scores["ensemble"][str(h)]["onset_auroc"]
        assert onset["met"] is (onset["value"] >= ONSET_BAR)
        assert by_key[("crps_skill_vs_conflictology12", h)]["value"] == skill[str(h)]["crps_skill"]
    auroc = by_key[("auroc_above_conflictology12", 1)]
    assert auroc["threshold"] == scores["conflictology12"]["1"]["auroc"]
    assert by_key[("onset_auroc", 6)]["met"] is None  # horizon 6 was not run: neither met nor failed
    assert bar["met"] is (None if all(c["met"] is not False for c in bar["checks"]) else False)
    assert bar["short"] == [c for c in bar["checks"] if c["met"] is False]


def _full(met_onset: float) -> dict[str, Any]:
    """A backtest record at horizons 1, 3, 6 whose only varying score is the ensemble's onset AUROC."""
    scores = {
        m: {h: {"auroc": 0.97 if m == "ensemble" else 0.96, "onset_auroc": met_onset} for h in ("1", "3", "6")}
        for m in ("ensemble", "conflictology12")
    }
    skill = {"ensemble": {h: {"crps_skill": 0.05} for h in ("1", "3", "6")}}
    return {"target": "ucdp-best", "scores": scores, "skill_vs_conflictology12": skill}


def test_the_verdict_turns_on_each_threshold() -> None:
    assert bar_verdict(_full(0.75))["met"] is True  # the onset bar is inclusive
    short = bar_verdict(_full(0.7499))
    assert short["met"] is False and [c["horizon"] for c in short["short"]] == [1, 3, 6]
    tied = _full(0.8)
    tied["scores"]["ensemble"]["1"]["auroc"] = 0.96  # AUROC must be strictly above conflictology12's
    assert [c["requirement"] for c in bar_verdict(tied)["short"]] == ["auroc_above_conflictology12"]
    worse = _full(0.8)
    worse["skill_vs_conflictology12"]["ensemble"]["3"]["crps_skill"] = -0.001
    assert [(c["requirement"], c["horizon"]) for c in bar_verdict(worse)["short"]] == [
        ("crps_skill_vs_conflictology12", 3)
    ]


def test_no_verdict_where_the_bar_does_not_apply() -> None:
    assert bar_verdict({**_full(0.8), "target": "stage-crisis"}) is None
    without = _full(0.8)
    del without["scores"]["ensemble"]
    assert bar_verdict(without) is None


@pytest.mark.slow
def test_the_dashboard_shows_the_verdict_of_an_older_published_backtest(
    with_ensemble: dict[str, Any], tmp_path: Path, bundle: Path
) -> None:
    published = copy.deepcopy(with_ensemble)
    del published["bar"]  # published before the verdict was part of the record
    (tmp_path / "backtests").mkdir()
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
    assert sum(c["met"] is None for c in bar["checks"]) == 2  # horizon 6: neither met nor failed
