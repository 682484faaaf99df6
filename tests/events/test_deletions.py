"""Deleted and retracted events (issue 18, defect 4): a deletion is a new version, so queries of the latest version
no longer see the event and ``--as-of`` before the deletion still does.

ACLED's deletions list is written as its API returns it: ``/api/deleted/read`` gives ``event_id_cnty`` and
``deleted_timestamp`` (Unix seconds) — the columns ACLED's R client documents for ``acled_deletions_api()``
("Returns a tibble of ACLED data with columns for event_id_cnty and deleted_timestamp"; dtacled/acledR,
R/acled_deletions_api.R), and the ``read.csv`` form of the endpoint (apidocs.acleddata.com, "Deleted endpoint").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import respx
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.events import ingest, query_events
from prevdip.events.lake import event_files

runner = CliRunner()
DATA = Path(__file__).parent / "data"


def _ids(**as_of: object) -> set[str]:
    found = runner.invoke(app, ["events", "--json", *(a for k, v in as_of.items() for a in (f"--{k}", str(v)))])
    assert found.exit_code == 0, found.output
    return {e["source_event_id"] for e in json.loads(found.stdout)["events"]}


def _age(workspace: Path, day: datetime) -> None:
    """Make everything in the lake look ingested on ``day`` (as if the first ingest had happened then)."""
    for path in event_files(workspace):
        table = pq.read_table(path)
        old = pa.array([day] * table.num_rows, table.schema.field("ingested_at").type)
        pq.write_table(table.set_column(table.schema.get_field_index("ingested_at"), "ingested_at", old), path)


def test_an_acled_deletion_hides_the_event_but_not_the_vintage(
    workspace: Path, tmp_path: Path, acled_file: Callable[..., Path]
) -> None:
    ingest("acled", [acled_file({}, {"event_id_cnty": "KGZ3002"})])
    _age(workspace, datetime(2023, 1, 10, tzinfo=UTC))
    deletions = tmp_path / "deleted.csv"
    deletions.write_text("event_id_cnty,deleted_timestamp\nKGZ3002,1675000000\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "auto", str(deletions), "--json"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert (run["source"], run["rows"], run["accepted"]) == ("acled-deleted", 1, 1)
    assert _ids() == {"KGZ3001"}
    assert _ids(**{"as-of": "2023-06-30"}) == {"KGZ3001", "KGZ3002"}
    again = ingest("acled-deleted", [deletions])
    assert (again.accepted, again.duplicates) == (0, 1)
    # An older export read again cannot bring it back: the deletion is the newer version.
    ingest("acled", [acled_file({"event_id_cnty": "KGZ3002"}, name="old-export.csv")])
    assert _ids() == {"KGZ3001"}
    # ACLED re-coding the event after the deletion (a newer timestamp) does.
    ingest("acled", [acled_file({"event_id_cnty": "KGZ3002", "timestamp": "1680000000"}, name="new.csv")])
    assert _ids() == {"KGZ3001", "KGZ3002"}


def test_a_deletions_list_with_a_bad_timestamp_or_a_region(workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "deleted.csv"
    path.write_text("event_id_cnty,deleted_timestamp\nKGZ1,1675000000\nKGZ2,soon\nKGZ3,1.5\n", encoding="utf-8")
    report = ingest("acled-deleted", [path])
    assert (report.rows, report.accepted, report.reasons) == (3, 1, {"bad number": 2})
    with pytest.raises(RefusedInput, match="says nothing about places"):
        ingest("acled-deleted", [path], region="central-asia")


def _recorded(name: str) -> httpx.Response:
    return httpx.Response(200, content=(DATA / name).read_bytes(), headers={"content-type": "application/json"})


@respx.mock
def test_fetch_acled_also_fetches_and_applies_deletions(acled_account: Path) -> None:
    from prevdip.events.fetch import fetch_acled, scope

    respx.post("https://acleddata.com/oauth/token").mock(return_value=_recorded("acled_oauth_token.json"))
    for n in (1, 2):
        respx.get("https://acleddata.com/api/acled/read", params={"page": str(n)}).mock(
            return_value=_recorded(f"acled_read_page{n}.json")
        )
    deleted = respx.get("https://acleddata.com/api/deleted/read").mock(
        return_value=_recorded("acled_deleted_page1.json")
    )
    report = fetch_acled(scope(["KGZ"], since="2022-09-01", until="2022-09-30"), page_size=2)
    params = dict(deleted.calls.last.request.url.params)
    assert (params["deleted_timestamp"], params["deleted_timestamp_where"]) == ("1661990400", ">=")
    assert deleted.calls.last.request.headers["Authorization"] == "Bearer recorded-access-token"
    gone = report["deletions"]
    assert (gone["records"], gone["ingest"]["source"], gone["ingest"]["accepted"]) == (1, "acled-deleted", 1)
    assert (Path(gone["folder"]) / "acled-deleted.csv").read_text(encoding="utf-8").splitlines() == [
        "event_id_cnty,deleted_timestamp",
        "KGZ2002,1664000000",
    ]
    assert {e["source_event_id"] for e in query_events()["events"]} == {"KGZ2001", "KGZ2003"}


def _ged_release(bundle: Path, tmp_path: Path, name: str, drop: int = 0) -> Path:
    lines = (bundle / "ucdp" / "ged231_sample1000_official_schema.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / name
    path.write_text("\n".join(lines[: len(lines) - drop]) + "\n", encoding="utf-8")
    return path


def test_ucdp_retracts_only_when_asked_for_a_complete_release(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    ingest("ucdp-ged", [_ged_release(bundle, tmp_path, "ged231_sample.csv")])
    newer = _ged_release(bundle, tmp_path, "GEDEvent_v24_1.csv", drop=3)  # 24.1 no longer holds the last 3 events
    plain = ingest("ucdp-ged", [newer])
    assert plain.retracted == 0 and query_events(limit=0)["count"] == 1000
    asked = runner.invoke(app, ["ingest", "ucdp-ged", str(newer), "--retract-missing", "--json"])
    assert asked.exit_code == 0, asked.output
    run = json.loads(asked.stdout)
    assert (run["accepted"], run["duplicates"], run["retracted"]) == (0, 997, 3)
    assert query_events(limit=0)["count"] == 997
    with pytest.raises(RefusedInput, match="complete UCDP GED releases"):
        ingest("acled", [newer], retract_missing=True)
    with pytest.raises(RefusedInput, match="one release named in their file names"):
        ingest("ucdp-ged", [_ged_release(bundle, tmp_path, "events.csv")], retract_missing=True)


def test_ucdp_retracts_nothing_when_the_release_could_not_be_read_whole(
    workspace: Path, tmp_path: Path, bundle: Path
) -> None:
    ingest("ucdp-ged", [_ged_release(bundle, tmp_path, "ged231_sample.csv")])
    newer = _ged_release(bundle, tmp_path, "GEDEvent_v24_1.csv", drop=3)
    rows = list(csv.reader(newer.read_text(encoding="utf-8").splitlines()))
    rows[5][rows[0].index("date_start")] = "2013-02-30 00:00:00.000"  # one impossible date
    with newer.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    report = ingest("ucdp-ged", [newer], retract_missing=True)
    assert report.retracted == 0 and report.warnings and "may be incomplete" in report.warnings[0]
    assert query_events(limit=0)["count"] == 1000
