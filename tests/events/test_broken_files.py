"""Hand-written broken files, one defect each, for every connector: quarantined with a reason, or refused whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prevdip.errors import RefusedInput
from prevdip.events import ingest
from prevdip.events.lake import event_files

GED_HEADER = (
    "id,year,month,day,country,type_of_violence,conflict_name,side_a,side_b,latitude,longitude,low_death,best_death,"
    "high_death"
)
GED_GOOD = (
    "1,2021,4,29,Kyrgyzstan,State-based violence,Kyrgyzstan - Tajikistan,Government of Kyrgyzstan,"
    "Government of Tajikistan,39.9,70.6,30,36,55"
)
ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)
ACLED_GOOD = (
    "KGZ1001,2022-09-14,2022,1,Political violence,Battles,Armed clash,Military Forces of Kyrgyzstan (2021-),,1,"
    "Military Forces of Tajikistan (1992-),,1,11,,417,Caucasus and Central Asia,Kyrgyzstan,Batken,Batken,,"
    'Kok-Tash,39.9,70.6,1,AKIpress,National,"Border guards exchanged fire near Kok-Tash, Batken.",2,,1663200000'
)
BAR_HEADER = "\ufeffID,DATE,BCode,CCODE1,CCODE2,BAR_Scale,EVENT_SUMMARY,LOCATION"
BAR_GOOD = '9001,1998-03-17,ARAL,KAZ,UZB,4,"Kazakhstan and Uzbekistan agree\non Syr Darya releases",Syr Darya'

# (source, header, good row, {defect: (bad row, reason kind)})
CASES = {
    "ucdp-ged": (
        GED_HEADER,
        GED_GOOD,
        {
            "truncated line": ("2,2021,4,30,Kyrgyzstan,State-based", "wrong field count"),
            "cut inside quotes": ('6,2021,4,30,Kyrgyzstan,State-based violence,"Kyrgyzstan - Taj', "truncated"),
            "bad date": (GED_GOOD.replace("1,2021,4,29", "3,2021,13,29"), "bad date"),
            "latitude 200": (GED_GOOD.replace("1,2021", "4,2021").replace("39.9", "200"), "coordinates out of range"),
            "unknown country": (
                GED_GOOD.replace("1,2021", "5,2021").replace("Kyrgyzstan,", "Atlantis,"),
                "unknown country",
            ),
        },
    ),
    "acled": (
        ACLED_HEADER,
        ACLED_GOOD,
        {
            "truncated line": ("KGZ1002,2022-09-15,2022,1,Political violence,Battles", "wrong field count"),
            "bad date": (ACLED_GOOD.replace("KGZ1001,2022-09-14", "KGZ1003,2022-02-30"), "bad date"),
            "latitude 200": (
                ACLED_GOOD.replace("KGZ1001", "KGZ1004").replace("39.9", "200"),
                "coordinates out of range",
            ),
            "unknown country": (
                ACLED_GOOD.replace("KGZ1001", "KGZ1005").replace(",417,", ",,").replace(",Kyrgyzstan,", ",Atlantis,"),
                "unknown country",
            ),
        },
    ),
    "tfdd-bar": (
        BAR_HEADER,
        BAR_GOOD,
        {
            "truncated line": ("9002,1998-03-18,ARAL", "wrong field count"),
            "bad date": (BAR_GOOD.replace("9001,1998-03-17", "9003,1998-17-03"), "bad date"),
            "unknown country": (BAR_GOOD.replace("9001", "9005").replace("KAZ,UZB", "QQQ,UZB"), "unknown country"),
        },
    ),
}
DEFECTS = [(source, defect) for source, (_, _, defects) in CASES.items() for defect in defects]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize(("source", "defect"), DEFECTS)
def test_one_bad_row_is_quarantined_with_its_reason(workspace: Path, tmp_path: Path, source: str, defect: str) -> None:
    header, good, defects = CASES[source]
    bad, kind = defects[defect]
    path = _write(tmp_path, f"{source}.csv", f"{header}\n{good}\n{bad}\n")
    report = ingest(source, [path])
    assert (report.rows, report.accepted, report.quarantined) == (2, 1, 1)
    assert report.reasons == {kind: 1}
    from prevdip.store import open_store

    with open_store() as store:
        (row,) = store.quarantine.of_run(report.run_id)
    first_line_of_bad = 2 + good.count("\n") + 1
    assert row.row_number == first_line_of_bad
    assert row.reason.startswith(kind)
    assert row.raw.split(",")[0] == bad.split(",")[0]


@pytest.mark.parametrize("source", list(CASES))
def test_non_utf8_bytes_are_quarantined(workspace: Path, tmp_path: Path, source: str) -> None:
    header, good, _ = CASES[source]
    bad = good.replace(good.split(",")[0], "777", 1).encode("utf-8").replace(b"Kyrgyzstan", b"Kyrgyz\xffstan", 1)
    if b"\xff" not in bad:
        bad = bad.replace(b"Syr Darya", b"Syr D\xe4rya")
    path = _write(tmp_path, "mixed.csv", f"{header}\n{good}\n".encode() + bad + b"\n")
    report = ingest(source, [path])
    assert (report.accepted, report.quarantined, report.reasons) == (1, 1, {"undecodable bytes": 1})


@pytest.mark.parametrize("source", list(CASES))
def test_wrong_delimiter_and_empty_file_are_refused_whole(workspace: Path, tmp_path: Path, source: str) -> None:
    header, good, _ = CASES[source]
    semicolons = _write(tmp_path, "semicolons.csv", f"{header}\n{good}\n".replace(",", ";"))
    with pytest.raises(RefusedInput, match="missing column"):
        ingest(source, [semicolons])
    empty = _write(tmp_path, "empty.csv", "")
    with pytest.raises(RefusedInput, match="empty"):
        ingest(source, [empty])
    assert event_files(workspace) == []
    assert not list((workspace / "lake" / ".staging").glob("*"))


def _gdelt_rows(bundle: Path, n: int = 3) -> list[list[str]]:
    lines = (bundle / "gdelt" / "gdelt2_events_20150218230000_sample100.tsv").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[:n]]


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [(1, "20141345", "bad date"), (56, "200", "coordinates out of range"), (53, "QQ", "unknown country")],
)
def test_gdelt_bad_values(workspace: Path, tmp_path: Path, bundle: Path, column: int, value: str, kind: str) -> None:
    rows = _gdelt_rows(bundle)
    rows[1][column] = value
    path = _write(tmp_path, "events.export.CSV", "\n".join("\t".join(r) for r in rows) + "\n")
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted, report.reasons) == (3, 2, {kind: 1})


def test_gdelt_truncated_line_and_bytes(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    rows = ["\t".join(r).encode() for r in _gdelt_rows(bundle, 4)]
    rows[1] = rows[1] + b"\xff"  # a byte that is not UTF-8 at the end of SOURCEURL
    rows[3] = rows[3][:60]  # the download stopped mid-line
    path = _write(tmp_path, "events.export.CSV", b"\n".join(rows))
    report = ingest("gdelt", [path])
    assert (report.rows, report.accepted) == (4, 2)
    assert report.reasons == {"undecodable bytes": 1, "wrong field count": 1}
    from prevdip.store import open_store

    with open_store() as store:
        numbers = sorted(q.row_number for q in store.quarantine.of_run(report.run_id))
    assert numbers == [2, 4]


def test_gdelt_wrong_delimiter_and_empty(workspace: Path, tmp_path: Path, bundle: Path) -> None:
    commas = _write(tmp_path, "commas.csv", "\n".join(",".join(r) for r in _gdelt_rows(bundle)) + "\n")
    with pytest.raises(RefusedInput, match="every row has the wrong number of fields"):
        ingest("gdelt", [commas])
    with pytest.raises(RefusedInput, match="empty"):
        ingest("gdelt", [_write(tmp_path, "empty.tsv", "")])
    assert event_files(workspace) == []


def test_field_reports_json_and_csv(workspace: Path, tmp_path: Path) -> None:
    good = {
        "report_id": "FR-2024-001",
        "date": "2024-03-02",
        "place": "Vorukh",
        "country": "TJK",
        "what_happened": "Villagers blocked the road to the disputed canal intake.",
        "category": "border_incident",
        "actors": ["residents of Vorukh", "residents of Kok-Tash"],
        "reporter": "monitor 7",
        "confidence": "medium",
        "sharing": "centre-internal",
    }
    bad = [
        good | {"report_id": "FR-2", "date": "2024-02-30"},
        good | {"report_id": "FR-3", "latitude": 200, "longitude": 70},
        good | {"report_id": "FR-4", "country": "Atlantis"},
        good | {"report_id": "FR-5", "sharing": "everyone"},
        good | {"report_id": "FR-6", "mood": "tense"},
    ]
    path = _write(tmp_path, "reports.json", json.dumps({"reports": [good, *bad]}))
    report = ingest("auto", [path])
    assert (report.source, report.rows, report.accepted, report.quarantined) == ("field", 6, 1, 5)
    assert report.reasons["unknown country"] == 1
    from prevdip.events import query_events

    (event,) = query_events()["events"]
    assert (event["sharing"], event["category"], event["country_iso3"]) == ("centre-internal", "border_incident", "TJK")
    csv_path = _write(
        tmp_path,
        "reports.csv",
        "report_id,revision,date,place,country,what_happened,category,actors,reporter,confidence,sharing\n"
        "FR-2024-001,2,2024-03-02,Vorukh,Tajikistan,Road blocked; talks started,border_incident,"
        "residents of Vorukh; border guards,monitor 7,high,governments\n",
    )
    revised = ingest("field", [csv_path])
    assert revised.accepted == 1
    (latest,) = query_events()["events"]
    assert (latest["source_version"], latest["sharing"]) == ("2", "governments")
    with pytest.raises(RefusedInput):
        ingest("field", [_write(tmp_path, "empty.json", "")])
