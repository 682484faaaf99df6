"""Licence-aware sharing (issue 18, defect 8): ACLED's terms forbid redistributing its rows ("provide, permit or allow
direct access to any of ACLED's original/raw data", ACLED Terms of Use, October 2020, in the bundle's acled/docs),
so its rows are listed to the centre only, while counts and stages built on them are shared; every outside product
names its sources' attributions. ACLED rows are in ACLED's export layout (``conftest.py``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.events import ingest, query_events
from prevdip.events.connectors import CONNECTORS
from prevdip.events.lake import event_files
from prevdip.events.licences import attributions, lake_attributions
from prevdip.events.query import EventFilter
from prevdip.events.sharing import Audience, listable_sql, may_list

runner = CliRunner()
ACLED_CITATION = "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com"


def test_every_source_carries_its_licence() -> None:
    tiers = {name: (c.licence.rows, c.licence.terms) for name, c in CONNECTORS.items()}
    assert tiers["acled"][0] == tiers["acled-deleted"][0] == "centre-internal"
    assert tiers["ucdp-ged"] == ("public", "CC BY 4.0") and tiers["ucdp-brd"][1] == "CC BY 4.0"
    assert tiers["gdelt"][0] == tiers["tfdd-bar"][0] == "public"
    assert all(c.licence.attribution for name, c in CONNECTORS.items() if name != "field")
    assert attributions(["acled", "acled-deleted", "gdelt", "nonsense"]) == [
        ACLED_CITATION,
        "The GDELT Project, gdeltproject.org",
    ]


@pytest.mark.parametrize(
    ("reader", "listed"), [(Audience.centre, True), (Audience.governments, False), (Audience.public, False)]
)
def test_the_rule_in_python_and_sql_agree(reader: Audience, listed: bool) -> None:
    con = duckdb.connect()
    for stored in ("centre-internal", None):  # a row written before the column takes its source's tier
        (sql,) = con.execute(
            f"select {listable_sql(reader)} from (select ?::varchar as row_sharing, 'acled' as source)", [stored]
        ).fetchone() or (None,)
        assert sql == may_list(reader, stored, "acled") == listed
    assert may_list(reader, None, "ucdp-ged") and not may_list(Audience.public, None, "a source nobody knows")


@pytest.fixture
def mixed_lake(series_workspace: Path, bundle: Path, acled_file: Callable[..., Path]) -> Path:
    """ACLED's Batken clash beside the bundle's real GDELT sample, over the bundle's series (what signals stand on:
    they read the country-month deaths from the lake only)."""
    ingest("acled", [acled_file({}, {"event_id_cnty": "KGZ3002", "notes": "A second clash."})])
    ingest("gdelt", [bundle / "gdelt" / "gdelt2_events_translingual_20150218224500_sample100.tsv"])
    return series_workspace


def test_the_row_tier_is_stored_at_ingest(mixed_lake: Path) -> None:
    stored = {}
    for path in event_files(mixed_lake):
        table = pq.read_table(path, columns=["source", "row_sharing"])
        stored.update(zip(table["source"].to_pylist(), table["row_sharing"].to_pylist(), strict=True))
    assert stored == {"acled": "centre-internal", "gdelt": "public"}


@pytest.mark.parametrize("reader", ["public", "governments"])
def test_outsiders_never_get_acled_rows_but_do_get_the_count(mixed_lake: Path, reader: str) -> None:
    shown = runner.invoke(app, ["events", "--source", "acled", "--audience", reader, "--json"])
    data = json.loads(shown.stdout)
    assert (data["count"], data["events"], data["withheld"]) == (0, [], {"acled": 2})
    assert data["attributions"] == [ACLED_CITATION]
    table = runner.invoke(app, ["events", "--audience", reader])
    assert "Batken" not in table.stdout and "border guards exchanged" not in table.stdout.lower()
    assert "2 acled events not listed" in table.stdout and "Data: " in table.stdout and "acleddata.com" in table.stdout
    centre = query_events(EventFilter(source="acled"))
    assert centre["count"] == 2 and centre["withheld"] == {}


def test_old_files_without_the_row_tier_are_still_withheld(mixed_lake: Path) -> None:
    for path in event_files(mixed_lake, "acled"):
        pq.write_table(pq.read_table(path).drop_columns(["row_sharing", "attributes", "deleted", "admin3"]), path)
    public = query_events(EventFilter(audience=Audience.public))
    assert public["withheld"] == {"acled": 2} and {e["source"] for e in public["events"]} == {"gdelt"}
    assert query_events(EventFilter(source="acled"))["count"] == 2  # and the centre still reads them


def test_stages_count_acled_events_for_everyone_but_list_them_only_to_the_centre(
    mixed_lake: Path, bundle: Path
) -> None:
    from prevdip.signals import signals_for

    centre = signals_for("KGZ-TJK", "2022-09", workspace=mixed_lake)
    public = signals_for("KGZ-TJK", "2022-09", workspace=mixed_lake, audience=Audience.public)
    assert centre["indicators"]["events"] == public["indicators"]["events"] == 2
    assert centre["stage"] == public["stage"]
    assert [e["source"] for e in centre["evidence"] if e["kind"] == "event"] == ["acled", "acled"]
    assert [e for e in public["evidence"] if e["kind"] == "event"] == []


def test_outside_products_name_their_sources(mixed_lake: Path, bundle: Path) -> None:
    from prevdip.briefs.brief import render_html
    from prevdip.months import Month
    from prevdip.settings import Settings
    from prevdip.situation import monthly_brief
    from prevdip.web import create_app

    # The lake holds the bundle's UCDP series too (the brief's stages stand on them), so UCDP is cited first.
    ucdp = "Uppsala Conflict Data Program (UCDP), ucdp.uu.se, CC BY 4.0"
    assert lake_attributions(mixed_lake) == [ucdp, ACLED_CITATION, "The GDELT Project, gdeltproject.org"]
    brief = monthly_brief(Month.parse("2022-09"), workspace=mixed_lake, audience=Audience.public)
    html = render_html(brief, bundle=bundle)
    assert "Armed Conflict Location &amp; Event Data Project (ACLED); www.acleddata.com" in html
    with TestClient(create_app(Settings(workspace=mixed_lake, bundle=bundle))) as client:
        page = client.get("/events?audience=public")
    assert page.status_code == 200 and "www.acleddata.com" in page.text and "Kok-Tash" not in page.text
