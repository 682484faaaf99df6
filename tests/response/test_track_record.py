"""How a watch has done: the published crisis backtest read at the warnings' threshold, in the domain and on
``/response``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from prevdip.errors import RefusedInput
from prevdip.forecast import backtest_and_publish
from prevdip.response import watch_record
from prevdip.response.warnings import DEFAULT_RISK_THRESHOLD
from prevdip.settings import Settings
from prevdip.web import create_app


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, bundle: Path, series_lake: Path) -> Path:
    """A workspace with a real published stage-crisis backtest of the best model (stages from the bundle's series,
    ingested into its lake)."""
    workspace = tmp_path_factory.mktemp("track") / "workspace"
    shutil.copytree(series_lake, workspace)
    backtest_and_publish(
        target="stage-crisis", origins="2024-01:2024-06", horizons=[1], models="ensemble", bundle=bundle,
        workspace=workspace,
    )  # fmt: skip
    return workspace


def test_nothing_published_is_refused_with_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(RefusedInput, match="no published backtest for stage-crisis"):
        watch_record(workspace=tmp_path)


@pytest.mark.slow
def test_the_record_at_the_warnings_threshold(published: Path) -> None:
    record = watch_record(workspace=published)
    stored = json.loads((published / "backtests" / "stage-crisis.json").read_text(encoding="utf-8"))
    assert record.rows == stored["alarms"]["ensemble"]["1"]
    assert record.threshold == DEFAULT_RISK_THRESHOLD and record.at is not None
    assert record.at["threshold"] == DEFAULT_RISK_THRESHOLD
    assert record.at["unit_origins"] + record.at["events"] > 0 and record.n_units == 37  # type: ignore[operator]
    assert record.origins == ["2024-01", "2024-06"]
    assert watch_record(workspace=published, threshold=0.33).at is None  # a threshold the backtest did not read


@pytest.mark.slow
def test_an_older_backtest_without_the_record_is_refused(published: Path, tmp_path: Path) -> None:
    stored = json.loads((published / "backtests" / "stage-crisis.json").read_text(encoding="utf-8"))
    del stored["alarms"]
    (tmp_path / "backtests").mkdir()
    (tmp_path / "backtests" / "stage-crisis.json").write_text(json.dumps(stored), encoding="utf-8")
    with pytest.raises(RefusedInput, match="no alarm record") as refused:
        watch_record(workspace=tmp_path)
    assert "prevdip backtest --target stage-crisis" in (refused.value.hint or "")


@pytest.mark.slow
def test_the_response_page_shows_it(published: Path, bundle: Path, accounts_url: str) -> None:
    from signing import sign_in

    settings = Settings(workspace=published, bundle=bundle, database_url=accounts_url)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        sign_in(client, "officer")
        data = client.get("/response.json").json()["watch_record"]
        page = client.get("/response").text
    assert data["available"] is True and data["at"]["alarms"] == (watch_record(workspace=published).at or {})["alarms"]
    assert "How a watch on forecast risk has done" in page
    assert f"would have been raised {data['at']['alarms']} times" in page
    assert page.count('<tr class="current">') == 1


@pytest.mark.slow
def test_the_brief_says_what_a_watch_is_worth(published: Path, bundle: Path) -> None:
    from prevdip.briefs import render_html
    from prevdip.events.sharing import Audience
    from prevdip.months import Month
    from prevdip.situation import monthly_brief

    brief = monthly_brief(Month.parse("2024-06"), workspace=published, audience=Audience.governments)
    at = brief.as_json()["watch_record"]["at"]
    html = render_html(brief, bundle=bundle)
    assert at["alarms"] > 0 and at["events"] > 0  # 2024 has an entry into crisis among the 37 units
    assert f"would have been raised {at['alarms']} times" in html
    assert f"{at['precision']:.0%} of them were followed by crisis" in html
    none = brief.watch_record.model_copy(update={"at": {**at, "alarms": 0, "hits": 0, "precision": None}})
    without = render_html(brief.model_copy(update={"watch_record": none}), bundle=bundle)
    assert "would have been raised" not in without  # no figure rather than a made-up 0 %
