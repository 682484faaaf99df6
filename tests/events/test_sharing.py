"""Audiences and sharing tiers: who may see which field report, decided in one place, on a real lake."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from field_files import field_report, ingest_reports
from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.events import query_events
from prevdip.events.query import EventFilter, events_relation
from prevdip.events.sharing import Audience, audience, may_see, visible_sql

TIERS = ("public", "governments", "partners", "centre-internal")


@pytest.fixture
def tiered(series_workspace: Path, tmp_path: Path) -> Path:
    """A lake holding one field report of each tier, beside the bundle's series."""
    ingest_reports(tmp_path, "reports.json", [field_report(f"FR-{tier}", tier) for tier in TIERS])
    return series_workspace


def test_audience_names_are_checked() -> None:
    assert audience(" Governments ") is Audience.governments
    assert audience(Audience.public) is Audience.public
    with pytest.raises(RefusedInput, match="unknown audience 'ministers'") as refused:
        audience("ministers")
    assert refused.value.hint == "use one of: centre, governments, partners, public"


@pytest.mark.parametrize("sharing", [None, *TIERS, "everyone"])
def test_sql_filter_and_python_rule_agree(sharing: str | None) -> None:
    expected = {
        None: {"centre", "governments", "partners", "public"},
        "public": {"centre", "governments", "partners", "public"},
        "governments": {"centre", "governments"},
        "partners": {"centre", "partners"},  # governments and partners do not see each other's tier
        "centre-internal": {"centre"},
        "everyone": set(),  # a tier outside the vocabulary is seen by nobody: fail closed
    }[sharing]
    con = duckdb.connect()
    for reader in Audience:
        (seen,) = con.execute(f"select {visible_sql(reader)} from (select ?::varchar as sharing)", [sharing]).fetchone()
        assert seen == may_see(reader, sharing) == (reader.value in expected)


def test_query_events_filters_by_audience(tiered: Path) -> None:
    def ids(reader: Audience | None) -> set[str]:
        return {e["source_event_id"] for e in query_events(EventFilter(audience=reader))["events"]}

    assert ids(None) == ids(Audience.centre) == {"FR-public", "FR-governments", "FR-partners", "FR-centre-internal"}
    assert ids(Audience.governments) == {"FR-public", "FR-governments"}
    assert ids(Audience.partners) == {"FR-public", "FR-partners"}
    assert ids(Audience.public) == {"FR-public"}


def test_events_cli_audience_and_refusal(tiered: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["events", "--audience", "public", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(e["source_event_id"], e["sharing"]) for e in json.loads(listed.stdout)["events"]] == [
        ("FR-public", "public")
    ]
    table = runner.invoke(app, ["events"])
    assert "centre-internal" in table.output  # the centre's own listing shows the tier
    refused = runner.invoke(app, ["events", "--audience", "press"])
    assert refused.exit_code == 2
    assert "unknown audience 'press'" in refused.output and "centre, governments, partners, public" in refused.output


def test_the_latest_revision_decides(tiered: Path, tmp_path: Path) -> None:
    """A report narrowed to centre-internal in revision 2 vanishes for governments, revision 1 included."""
    ingest_reports(tmp_path, "narrowed.json", [field_report("FR-governments", "centre-internal", revision=2)])
    con = duckdb.connect()

    def seen(reader: Audience) -> list[tuple[str, str]]:
        relation = events_relation(con, workspace=tiered, audience=reader)
        return sorted(relation.project("source_event_id, source_version").fetchall())

    assert seen(Audience.governments) == seen(Audience.public) == [("FR-public", "1")]
    assert seen(Audience.partners) == [("FR-partners", "1"), ("FR-public", "1")]
    expected = [("FR-centre-internal", "1"), ("FR-governments", "2"), ("FR-partners", "1"), ("FR-public", "1")]
    assert seen(Audience.centre) == expected


def test_the_signals_board_is_built_per_audience(tiered: Path) -> None:
    """The board a brief stages the region on holds only the events its audience may see, and is cached apart."""
    from prevdip.signals.reading import board

    def reports(reader: Audience) -> set[str]:
        built = board(tiered, reader)
        with built.lock:
            return {r[0] for r in built.con.execute("select source_event_id from lake_events").fetchall()}

    assert reports(Audience.centre) == {"FR-public", "FR-governments", "FR-partners", "FR-centre-internal"}
    assert reports(Audience.governments) == {"FR-public", "FR-governments"}
    assert reports(Audience.partners) == {"FR-public", "FR-partners"}
    assert reports(Audience.public) == {"FR-public"}
    assert board(tiered, Audience.public) is board(tiered, Audience.public)  # reused while the lake is unchanged
    assert board(tiered, Audience.public) is not board(tiered, Audience.centre)


def test_an_audience_the_lake_hides_nothing_from_shares_the_centres_board(
    series_workspace: Path, tmp_path: Path
) -> None:
    from prevdip.events.sharing import hides_anything

    workspace = series_workspace
    from prevdip.signals.reading import board

    ingest_reports(
        tmp_path, "open.json", [field_report("FR-public", "public"), field_report("FR-governments", "governments")]
    )
    assert not hides_anything(workspace, Audience.governments) and hides_anything(workspace, Audience.public)
    assert board(workspace, Audience.governments) is board(workspace, Audience.centre)  # staged once, not twice
    assert board(workspace, Audience.public) is not board(workspace, Audience.centre)
    ingest_reports(tmp_path, "closed.json", [field_report("FR-centre", "centre-internal", date="2023-05-12")])
    assert board(workspace, Audience.governments) is not board(workspace, Audience.centre)  # the new lake hides one


def test_outsiders_see_a_report_without_its_monitor(tiered: Path) -> None:
    def references(reader: Audience) -> set[str]:
        return {e["source_reference"] for e in query_events(EventFilter(audience=reader))["events"]}

    assert all(r.startswith("reporter: monitor FR-") for r in references(Audience.centre))
    assert references(Audience.governments) == references(Audience.public) == {"confidence: medium"}


def test_a_board_shared_from_a_stale_check_is_never_served_to_an_audience(
    tiered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If a hidden report lands between the one-column check and the build, the board's own events decide."""
    from prevdip.signals import reading

    monkeypatch.setattr(reading, "hides_anything", lambda workspace, audience: False)  # the check that raced
    reading._audience_needed.cache_clear()
    built = reading.board(tiered, Audience.governments)
    with built.lock:
        ids = {r[0] for r in built.con.execute("select source_event_id from lake_events").fetchall()}
    assert ids == {"FR-public", "FR-governments"}
    assert built is not reading.board(tiered, Audience.centre)
