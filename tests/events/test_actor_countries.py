"""Actor countries for every source, read as each source names its actors, and one dyad definition (issue 18,
defects 1 and 3). ACLED rows are in ACLED's export layout (``conftest.py``); the rest are real bundle files."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.events import ingest, query_events, series_relation
from prevdip.events.connectors.acled import actor_country
from prevdip.events.query import EventFilter
from prevdip.geo import dyads_within, region

runner = CliRunner()

# A Taliban-Tajik border clash in Kunduz as ACLED codes it: the Taliban government's forces are state forces of
# Afghanistan since 2021; the event happened in Afghanistan (iso 4), its only Central Asian link is the Tajik side.
KUNDUZ = {
    "event_id_cnty": "AFG40001",
    "event_date": "2022-05-18",
    "actor1": "Military Forces of Afghanistan (2021-)",
    "actor2": "Military Forces of Tajikistan (1994-)",
    "iso": "4",
    "country": "Afghanistan",
    "admin1": "Kunduz",
    "admin2": "Imam Sahib",
    "admin3": "",
    "location": "Imam Sahib",
    "latitude": "37.183",
    "longitude": "68.917",
    "notes": "On 18 May 2022, Taliban forces and Tajik border guards exchanged fire across the Panj.",
    "timestamp": "1653350000",
}


def _uids(filters: EventFilter) -> set[str]:
    return {e["source_event_id"] for e in query_events(filters, limit=None)["events"]}


@pytest.mark.parametrize(
    ("actor", "iso3"),
    [
        ("Military Forces of Tajikistan (1994-)", "TJK"),
        ("Police Forces of Kyrgyzstan (2017-2020)", "KGZ"),
        ("Military Forces of Afghanistan (2021-)", "AFG"),
        ("Police Forces of India (2014-) Assam Rifles", "IND"),  # a unit after the regime's years (codebook)
        ("Mutiny of Military Forces of Mali (2021-)", "MLI"),
        ("Government of Uzbekistan (2016-)", "UZB"),
        ("Military Forces of the Democratic Republic of Congo (2019-)", "COD"),
        ("Civilians (Tajikistan)", "TJK"),
        ("Rioters (Kyrgyzstan)", "KGZ"),
        ("Unidentified Communal Militia (Kyrgyzstan)", "KGZ"),
        ("Taliban", None),
        ("Military Forces of Somaliland (1991-)", None),  # coded by ACLED as a government; no ISO state
    ],
)
def test_acled_actor_names_give_their_state(actor: str, iso3: str | None) -> None:
    assert actor_country(actor) == iso3


def test_acled_state_actors_fill_dyad_country_and_region(
    workspace: Path, tmp_path: Path, acled_file: Callable[..., Path]
) -> None:
    path = acled_file({}, KUNDUZ)
    kept = ingest("acled", [path], region="central-asia")  # Kunduz is in Afghanistan: kept for its Tajik side
    assert (kept.rows, kept.accepted) == (2, 2)
    assert _uids(EventFilter(dyad="AFG-TJK")) == {"AFG40001"}
    assert _uids(EventFilter(dyad="KGZ-TJK")) == {"KGZ3001"}
    assert _uids(EventFilter(country="TJK")) == {"AFG40001", "KGZ3001"}
    batken = query_events(EventFilter(dyad="TJK-KGZ"))["events"][0]
    assert (batken["actor1_country"], batken["actor2_country"]) == ("KGZ", "TJK")
    assert (batken["actor1_type"], batken["actor2_type"]) == ("state forces", "state forces")


def test_acled_interstate_clash_is_a_border_dispute_not_repression(
    workspace: Path, bundle: Path, acled_file: Callable[..., Path]
) -> None:
    from prevdip.signals.classify import classify_events

    ingest("acled", [acled_file({}, KUNDUZ)])
    groups = classify_events(workspace=workspace, bundle=bundle)
    batken = set(groups[groups["source_event_id"] == "KGZ3001"]["rule_id"])
    assert "border-interstate-violence" in batken and "internal-armed" not in batken
    kunduz = set(groups[groups["source_event_id"] == "AFG40001"]["rule_id"])
    assert "afg-cross-border-actors" in kunduz


def test_events_and_signals_find_the_kunduz_clash_alike(
    series_workspace: Path, bundle: Path, acled_file: Callable[..., Path]
) -> None:
    # over the bundle's series: signals read the country-month deaths from the lake only
    ingest("acled", [acled_file(KUNDUZ)])
    listed = runner.invoke(app, ["events", "--dyad", "AFG-TJK", "--json"])
    assert [e["source_event_id"] for e in json.loads(listed.stdout)["events"]] == ["AFG40001"]
    reading = runner.invoke(app, ["signals", "--dyad", "AFG-TJK", "--month", "2022-05", "--json"])
    assert reading.exit_code == 0, reading.output
    evidence = [e for e in json.loads(reading.stdout)["evidence"] if e["kind"] == "event"]
    assert [e["source"] for e in evidence] == ["acled"] and evidence[0]["actor2"].startswith("Military Forces of Taj")


@pytest.mark.parametrize(
    ("inter1", "inter2", "types"),
    [
        ("1", "7", ("state forces", "civilians")),  # a downloaded export: codes
        ("State forces", "Civilians", ("state forces", "civilians")),  # ACLED's API and R client: words
        ("STATE FORCES", "External/Other forces", ("state forces", "external/other forces")),
        ("Rebel Groups", "0", ("rebel group", None)),  # 0: no second actor
    ],
)
def test_acled_inter_codes_and_words(
    workspace: Path, acled_file: Callable[..., Path], inter1: str, inter2: str, types: tuple[str | None, ...]
) -> None:
    ingest("acled", [acled_file({"inter1": inter1, "inter2": inter2})])
    (event,) = query_events()["events"]
    assert (event["actor1_type"], event["actor2_type"]) == types


def test_an_unknown_acled_actor_type_is_quarantined(workspace: Path, acled_file: Callable[..., Path]) -> None:
    report = ingest("acled", [acled_file({"inter2": "Aliens"})])
    assert (report.accepted, report.reasons) == (0, {"bad code": 1})


def test_gdelt_actor_countries_include_cameo_codes_that_are_not_iso3(
    workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    lines = (bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_text(encoding="utf-8").splitlines()
    fields = lines[0].split("\t")
    fields[7], fields[17] = "ROM", "TJK"  # CAMEO's Romania is ROM, ISO's ROU
    path = tmp_path / "events.export.CSV"
    path.write_text("\t".join(fields) + "\n", encoding="utf-8")
    ingest("gdelt", [path])
    (event,) = query_events()["events"]
    assert (event["actor1_country"], event["actor2_country"]) == ("ROU", "TJK")


def test_ucdp_sides_resolve_by_name_or_gleditsch_ward_number(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    lines = (bundle / "ucdp" / "ucdp-brd-dyadic-251.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader(lines[:1]))
    kgz_tjk = next(row for row in csv.reader(lines[1:]) if row[header.index("side_b")] == "Government of Tajikistan")
    kgz_tjk[header.index("side_b")] = "Tajik border troops"  # only the GW number (702) says whose they are
    path = tmp_path / "brd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, kgz_tjk])
    ingest("ucdp-brd", [path])
    con = duckdb.connect()
    years = series_relation(con, "conflict_years").project("iso3_a, iso3_b").fetchall()
    assert years == [("KGZ", "TJK")]


@pytest.mark.slow
def test_events_and_signals_agree_on_every_regional_dyad(
    bundle_lake: dict[str, Any], bundle: Path, pointing_at: Any
) -> None:
    """The one definition: for every border dyad the signals stage, `prevdip events --dyad` lists the same events."""
    from prevdip.signals.reading import build_board

    workspace = bundle_lake["workspace"]
    with pointing_at(workspace, bundle):
        built = build_board(workspace, bundle)
        members: dict[str, set[str]] = {}
        for unit, uid in built.con.execute("SELECT DISTINCT unit, event_uid FROM dyad_members").fetchall():
            members.setdefault(unit, set()).add(uid)
        assert sum(map(len, members.values())) > 100, "the bundle has dyad events"
        for dyad in dyads_within(region("neighbours").iso3s):
            found = query_events(EventFilter(dyad=dyad.code), limit=None, workspace=workspace)["events"]
            assert {e["event_uid"] for e in found} == members.get(dyad.code, set()), dyad.code
