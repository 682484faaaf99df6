"""``/forecasts``: the region first (countries, dyads, provinces, change since the previous vintage, what moved
each forecast), then the global vintage named, filterable and sortable, exportable as CSV and Parquet."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from prevdip.forecast import freeze_vintage, issue_vintage
from prevdip.forecast.published import load_target
from prevdip.settings import Settings
from prevdip.web import create_app


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory, bundle: Path, accounts_template: Path) -> Iterator[TestClient]:
    """Two monthly vintages of the deaths target by the count GLM (a learned model, so they are explained), on a
    dashboard whose public board is open (no one signed in)."""
    from signing import copy_accounts

    workspace = tmp_path_factory.mktemp("forecasts")
    accounts = copy_accounts(accounts_template, tmp_path_factory.mktemp("forecast-accounts"))
    panel = load_target("ucdp-best", bundle=bundle, workspace=workspace)
    for month in ("2022-08", "2022-09"):
        freeze_vintage(issue_vintage(panel, month, bundle=bundle, model="hurdle_glm"), workspace)
    settings = Settings(workspace=workspace, bundle=bundle, database_url=accounts, public_access="public")  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.slow
def test_the_region_comes_first_with_the_change_and_what_moved_it(frozen: TestClient) -> None:
    data = frozen.get("/forecasts.json").json()
    countries = data["region"]["countries"]
    assert countries["origin"] == "2022-09" and countries["previous_origin"] == "2022-08"
    rows = {r["unit"]: r for r in countries["units"]}
    assert set(rows) == {"KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG"}  # Kazakhstan and Turkmenistan too
    assert rows["KAZ"]["name"] == "Kazakhstan" and rows["KAZ"]["p_any"] < 0.05
    assert rows["KGZ"]["p_change"] > 0  # the September 2022 border war
    assert rows["KGZ"]["explanation"]["drivers"] and rows["KGZ"]["explanation"]["p_now"] == pytest.approx(
        rows["KGZ"]["p_any"], abs=1e-3
    )
    assert data["region"]["dyads"] == {} and data["region"]["provinces"] == {}  # no vintage of those frozen here
    assert data["vintage"]["forecasts"][0]["name"]
    page = frozen.get("/forecasts").text
    assert page.index("Central Asia and Afghanistan") < page.index("Every state: the latest global vintage")
    assert (
        'data-chart="chart-risk_map"' in page
        and 'class="sortable"' in page
        and 'data-filter="global-forecasts"' in page
    )
    assert ">0%<" not in page and ">100%<" not in page  # never certain: <1% and >99%
    assert "&lt;1%" in page


@pytest.mark.slow
def test_the_global_vintage_downloads_as_csv_and_parquet(frozen: TestClient) -> None:
    csv = frozen.get("/forecasts.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "vintage,origin,unit,name,horizon,month,p_any,median,low50,high50,low90,high90,mean"
    assert len(lines) == 1 + 197 * 4
    table = pq.read_table(io.BytesIO(frozen.get("/forecasts.parquet").content))
    assert table.num_rows == 197 * 4 and set(table.column("origin").to_pylist()) == {"2022-09"}
    assert "Kazakhstan" in table.column("name").to_pylist()


@pytest.mark.slow
def test_a_country_page_says_what_moved_its_forecast(frozen: TestClient) -> None:
    data = frozen.get("/countries/KGZ.json?month=2022-10").json()
    assert data["forecast"]["explanation"]["drivers"]
    page = frozen.get("/countries/KGZ?month=2022-10").text
    assert "What moved next month&#39;s forecast" in page or "What moved next month's forecast" in page
    assert "Risk in Kyrgyzstan rose from" in page


def test_nothing_frozen_downloads_an_empty_table(client: TestClient) -> None:
    response = client.get("/forecasts.csv")
    assert response.status_code == 200 and response.text.splitlines() == [
        "vintage,origin,unit,name,horizon,month,p_any,median,low50,high50,low90,high90,mean"
    ]  # the page says why (no vintage frozen yet); the file has the columns and no row
