"""``prevdip ingest`` and ``prevdip events`` from the command line: JSON shapes, filters, refusals, vintages."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.events.lake import event_files

runner = CliRunner()
KEYS = [
    "source",
    "files",
    "rows",
    "accepted",
    "duplicates",
    "quarantined",
    "reasons",
    "retracted",
    "warnings",
    "run_id",
]


def _json(args: list[str]) -> dict[str, Any]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_gdelt_region_filter_while_reading_and_zip(workspace: Path, bundle: Path, tmp_path: Path) -> None:
    translingual = bundle / "gdelt" / "gdelt2_events_translingual_20150218224500_sample100.tsv"
    data = _json(["ingest", "gdelt", str(translingual), "--region", "central-asia+afghanistan", "--json"])
    assert list(data) == KEYS
    assert (data["rows"], data["accepted"], data["duplicates"], data["quarantined"]) == (2, 2, 0, 0)
    listed = _json(["events", "--json"])
    assert listed["count"] == 2
    assert {e["country_iso3"] for e in listed["events"]} == {"KAZ", "UZB"}
    zipped = tmp_path / "20150218230000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv", "20150218230000.export.CSV")
    assert _json(["ingest", "auto", str(zipped), "--json"])["accepted"] == 100


def test_events_filters_and_count(workspace: Path, bundle: Path) -> None:
    _json(["ingest", "ucdp-ged", str(bundle / "ucdp" / "ged211_reduced_central_asia_neighbours.csv"), "--json"])
    everything = _json(["events", "--json", "--limit", "3"])
    assert everything["count"] == 24_077 and len(everything["events"]) == 3
    tjk = _json(["events", "--country", "TJK", "--json", "--limit", "0"])
    assert tjk["count"] >= 181 and tjk["events"] == []
    border = _json(["events", "--dyad", "PAK-IND", "--since", "2020-01-01", "--until", "2020-12-31", "--json"])
    assert all(e["date_start"].startswith("2020") for e in border["events"])
    # The dyad is its interstate events (India-Pakistan fighting in GED 21.1, 2020: 21) and the events in either
    # state near their shared boundary (prevdip.events.dyads, the definition the signals' dyad panels use).
    between = [e for e in border["events"] if {e["actor1_country"], e["actor2_country"]} == {"IND", "PAK"}]
    assert len(between) == 21 and border["count"] == len(border["events"]) == 22
    assert all(e["country_iso3"] in ("IND", "PAK") for e in border["events"])
    battles = _json(["events", "--category", "battle", "--source", "ucdp-ged", "--json", "--limit", "0"])
    assert 0 < battles["count"] < 24_077
    bad = runner.invoke(app, ["events", "--category", "skirmish"])
    assert bad.exit_code == 2 and "unknown category" in bad.stderr
    for option, value, message in (("--source", "rumours", "unknown event source"), ("--dyad", "KGZTJK", "bad dyad"),
                                   ("--country", "Tajik", "bad country code")):  # fmt: skip
        refused = runner.invoke(app, ["events", option, value])
        assert refused.exit_code == 2 and message in refused.stderr


def test_a_file_of_the_wrong_kind_is_refused_with_exit_2(workspace: Path, bundle: Path) -> None:
    result = runner.invoke(app, ["ingest", "ucdp-ged", str(bundle / "tfdd" / "bar_events_raw.csv"), "--json"])
    assert result.exit_code == 2
    assert "not a UCDP GED file: missing column(s)" in result.stderr
    assert result.stdout == ""
    assert event_files(workspace) == []
    from prevdip.store import open_store

    with open_store() as store:
        assert store.ingest_runs.recent() == []
    unknown = runner.invoke(app, ["ingest", "rumours", str(bundle / "MANIFEST.tsv")])
    assert unknown.exit_code == 2 and "unknown source 'rumours'" in unknown.stderr


ACLED = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n"
    "TJK501,2022-09-16,2022,1,Political violence,Battles,Armed clash,Military Forces of Tajikistan (1992-),,1,"
    "Military Forces of Kyrgyzstan (2021-),,1,11,,762,Caucasus and Central Asia,Tajikistan,Sughd,Isfara,,"
    "Ovchi-Kalacha,40.0,70.6,1,Asia-Plus,National,Clashes at the border.,{deaths},,{timestamp}\n"
)


def test_a_new_acled_timestamp_supersedes_and_as_of_shows_the_vintage(workspace: Path, tmp_path: Path) -> None:
    first = tmp_path / "acled-1.csv"
    first.write_text(ACLED.format(deaths=3, timestamp=1663300000), encoding="utf-8")
    _json(["ingest", "acled", str(first), "--json"])
    # Make that first ingest a year old, as if it had happened on 2023-01-10.
    (path,) = event_files(workspace)
    table = pq.read_table(path)
    old = pa.array([datetime(2023, 1, 10, tzinfo=UTC)] * table.num_rows, table.schema.field("ingested_at").type)
    pq.write_table(table.set_column(table.schema.get_field_index("ingested_at"), "ingested_at", old), path)
    second = tmp_path / "acled-2.csv"
    second.write_text(ACLED.format(deaths=9, timestamp=1670000000), encoding="utf-8")
    assert _json(["ingest", "acled", str(second), "--json"])["accepted"] == 1
    (latest,) = _json(["events", "--json"])["events"]
    assert (latest["fatalities_best"], latest["source_version"]) == (9, "1670000000")
    (vintage,) = _json(["events", "--as-of", "2023-06-30", "--json"])["events"]
    assert vintage["fatalities_best"] == 3
    assert _json(["events", "--as-of", "2022-12-31", "--json"])["count"] == 0
    again = _json(["ingest", "acled", str(first), str(second), "--json"])
    assert (again["accepted"], again["duplicates"]) == (0, 2)


def test_ingest_help_lists_the_sources() -> None:
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "tfdd-bar" in result.stdout and "bundle" in result.stdout


def test_files_written_before_the_sharing_column_still_read(workspace: Path, bundle: Path) -> None:
    _json(["ingest", "gdelt", str(bundle / "gdelt" / "gdelt1_events_19790101_sample100.tsv"), "--json"])
    for path in event_files(workspace):
        pq.write_table(pq.read_table(path).drop_columns(["sharing"]), path)
    listed = _json(["events", "--source", "gdelt", "--json", "--limit", "1"])
    assert listed["count"] == 100
    assert listed["events"][0]["sharing"] is None


def test_region_is_refused_for_a_series(workspace: Path, bundle: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "ucdp-brd", str(bundle / "ucdp" / "ucdp-brd-dyadic-251.csv"), "--region", "central-asia"]
    )
    assert result.exit_code == 2 and "--region filters events" in result.stderr


def test_ged_releases_order_part_by_part(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    sample = (bundle / "ucdp" / "ged231_sample1000_official_schema.csv").read_text(encoding="utf-8")
    for name in ("ged231_sample.csv", "GEDEvent_v24_0_9.csv", "GEDEvent_v24_0_10.csv", "events.csv"):
        (tmp_path / name).write_text(sample, encoding="utf-8")
        _json(["ingest", "ucdp-ged", str(tmp_path / name), "--json"])
    listed = _json(["events", "--json", "--limit", "5"])
    assert listed["count"] == 1_000
    assert {e["source_version"] for e in listed["events"]} == {"24.0.10"}
