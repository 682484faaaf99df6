"""Every field an analyst of a source filters on is kept (issue 18, defect 5): typed columns where common to sources,
the rest in the ``attributes`` map (docs/events.md lists them). Real bundle files, and ACLED rows in ACLED's export
layout (``conftest.py``)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from prevdip.events import ingest, query_events
from prevdip.events.lake import event_files
from prevdip.events.query import EventFilter


def _event(source: str, event_id: str) -> dict[str, object]:
    found = [
        e for e in query_events(EventFilter(source=source), limit=None)["events"] if e["source_event_id"] == event_id
    ]
    assert len(found) == 1
    return found[0]


def test_acled_fields(workspace: Path, acled_file: Callable[..., Path]) -> None:
    ingest("acled", [acled_file({"civilian_targeting": "Civilian targeting", "tags": "crowd size=no report"})])
    event = _event("acled", "KGZ3001")
    assert event["admin3"] == "Samarkandek"
    assert event["attributes"] == {
        "disorder_type": "Political violence",
        "assoc_actor_1": "Border Guards of Kyrgyzstan",
        "interaction": "11",
        "civilian_targeting": "Civilian targeting",
        "region": "Caucasus and Central Asia",
        "source_scale": "National",
        "tags": "crowd size=no report",
    }


def test_ucdp_ged_fields(workspace: Path, bundle: Path) -> None:
    path = bundle / "ucdp" / "ged231_sample1000_official_schema.csv"
    ingest("ucdp-ged", [path])
    with path.open(encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    event = _event("ucdp-ged", row["id"])
    kept = event["attributes"]
    assert isinstance(kept, dict)
    names = (
        "dyad_new_id side_a_new_id side_b_new_id where_prec event_clarity conflict_new_id deaths_a deaths_b "
        "deaths_civilians deaths_unknown priogrid_gid relid dyad_name"
    ).split()
    for name in names:
        assert kept[name] == row[name], name
    assert event["geo_precision"] == int(row["where_prec"]) and event["num_sources"] == int(row["number_of_sources"])


def test_gdelt_fields(workspace: Path, bundle: Path) -> None:
    path = bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv"
    ingest("gdelt", [path])
    fields = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    event = _event("gdelt", fields[0])
    kept = event["attributes"]
    assert isinstance(kept, dict)
    assert (kept["NumMentions"], kept["NumArticles"]) == (fields[31], fields[33])
    assert float(str(kept["AvgTone"])) == float(fields[34]) and set(kept) == {"NumMentions", "NumArticles", "AvgTone"}
    assert event["num_sources"] == int(fields[32]) and event["source_reference"] == fields[60]


def test_tfdd_fields(workspace: Path, bundle: Path) -> None:
    path = bundle / "tfdd" / "bar_events_CA_AFG_or_ARAL.csv"
    ingest("tfdd-bar", [path])
    with path.open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["DATE"])
    kept = _event("tfdd-bar", row["ID"])["attributes"]
    assert isinstance(kept, dict)
    assert (kept["DYAD_CODE"], kept["COUNTRY_LIST"]) == (row["DYAD_CODE"], row["COUNTRY_LIST"])


def test_files_written_before_the_new_columns_still_read(workspace: Path, acled_file: Callable[..., Path]) -> None:
    ingest("acled", [acled_file({})])
    for path in event_files(workspace):
        pq.write_table(pq.read_table(path).drop_columns(["admin3", "attributes", "row_sharing", "deleted"]), path)
    (event,) = query_events()["events"]
    assert (event["attributes"], event["admin3"], event["deleted"]) == (None, None, None)
    assert event["actor1_country"] == "KGZ"
