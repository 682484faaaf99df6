"""KoboToolbox and ODK Central exports of the published form into the queue: every row accounted for (filed, a
duplicate, or quarantined with its reason), repeat groups and attachments read, a re-import adding nothing; and the
shipped XLSForm is the one the form's definition writes, valid for pyxform (the tool KoboToolbox and ODK use)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from exports import write_kobo_csv, write_kobo_xlsx, write_odk_zip
from field_fixtures import MEDIA, submissions
from sqlalchemy import select
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.fieldwork.collected import import_export
from prevdip.fieldwork.xlsform import sheets, write_xlsform
from prevdip.store import Store, open_store
from prevdip.store.models import FieldReportRevision

REPO = Path(__file__).resolve().parents[2]
LIMIT = 10_000_000


def _records(store: Store) -> list[FieldReportRevision]:
    with store.session() as session:
        return list(session.scalars(select(FieldReportRevision).order_by(FieldReportRevision.report_id)))


def _imported(store: Store, path: Path, workspace: Path) -> dict[str, Any]:
    return import_export(store, path, who="owner", workspace=workspace, attachment_limit=LIMIT).as_dict()


def test_odk_central_zip_with_repeats_and_media(tmp_path: Path, records_url: str) -> None:
    export = write_odk_zip(tmp_path / "prevdip_field_report.csv.zip", submissions(), MEDIA)
    with open_store(records_url) as store:
        first = _imported(store, export, tmp_path / "ws")
        assert (first["source"], first["rows"], first["accepted"], first["duplicates"], first["quarantined"]) == (
            "odk", 3, 2, 0, 1
        )  # fmt: skip
        assert first["reasons"] == {"date": 1}
        (quarantined,) = store.quarantine.of_run(first["run_id"])
        assert quarantined.row_number == 4 and "in the future" in quarantined.reason and "ffd0c0de" in quarantined.raw
        golovnoi, kok_tash = _records(store)[1], _records(store)[0]
        assert golovnoi.report_id == "FR-6a1f2c9e-0b1d-4f57-9a43-6c1f0e9d2b11" and golovnoi.status == "submitted"
        report = golovnoi.payload
        assert report["actors"] == ["Tajik border guards", "Kyrgyz border guards"]  # the repeat group's rows
        assert report["sources"] == ["school director", "jamoat head"]
        assert (report["latitude"], report["longitude"], report["injured"]) == (39.96, 70.55, 2)
        assert sorted(a.media_type for a in golovnoi.attachments) == ["application/pdf", "image/jpeg"]
        assert kok_tash.attachments == [] and golovnoi.via == "odk"
        again = _imported(store, export, tmp_path / "ws")
        assert (again["rows"], again["accepted"], again["duplicates"], again["quarantined"]) == (3, 0, 2, 1)
        assert len(_records(store)) == 2  # re-importing adds nothing


def test_kobo_xlsx_and_csv_name_the_same_reports(tmp_path: Path, records_url: str) -> None:
    xlsx = write_kobo_xlsx(tmp_path / "kobo.xlsx", submissions())
    with open_store(records_url) as store:
        done = _imported(store, xlsx, tmp_path / "ws")
        assert (done["source"], done["accepted"], done["quarantined"]) == ("kobo", 2, 1)
        golovnoi = next(r for r in _records(store) if r.payload["place"] == "Golovnoi")
        assert golovnoi.payload["actors"] == ["Tajik border guards", "Kyrgyz border guards"]
        assert golovnoi.missing_attachments == ["1709370000123.jpg", "statement.pdf"]  # Kobo exports name, not carry
        # The same submissions downloaded again as Kobo's CSV (no repeat sheets): the same two reports, but as
        # revision 1 with other content (no actors) they are not taken silently: quarantined as conflicting.
        csv_done = _imported(store, write_kobo_csv(tmp_path / "kobo.csv", submissions()), tmp_path / "ws")
        assert csv_done["rows"] == 3 and csv_done["accepted"] == 0 and len(_records(store)) == 2
        assert csv_done["rows"] == csv_done["accepted"] + csv_done["duplicates"] + csv_done["quarantined"]


def test_a_file_of_another_kind_is_refused_whole(tmp_path: Path, records_url: str) -> None:
    stray = tmp_path / "ged.csv"
    stray.write_text("id,year,country\n1,2020,Tajikistan\n", encoding="utf-8")
    with open_store(records_url) as store, pytest.raises(RefusedInput, match="not a KoboToolbox or ODK Central"):
        _imported(store, stray, tmp_path / "ws")
    with open_store(records_url) as store:
        assert _records(store) == [] and store.ingest_runs.recent() == []


def test_prevdip_ingest_kobo(tmp_path: Path, workspace: Path, bundle: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    export = write_odk_zip(tmp_path / "export.zip", submissions(), MEDIA)
    done = runner.invoke(app, ["ingest", "kobo", str(export), "--json"])
    assert done.exit_code == 0, done.output
    counts = json.loads(done.output)
    assert (counts["accepted"], counts["quarantined"], counts["rows"]) == (2, 1, 3)
    runs = json.loads(runner.invoke(app, ["runs", "--json"]).output)
    assert any(run["source"] == "odk" and run["quarantined"] == 1 for run in runs["runs"])
    assert (workspace / "attachments").is_dir()
    kept = [p for p in (workspace / "attachments").rglob("*") if p.is_file()]
    assert len(kept) == 2 and all(p.stat().st_mode & 0o777 == 0o600 for p in kept)


def test_the_shipped_xlsform_is_the_form_s_own(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    shipped = load_workbook(REPO / "docs" / "field-report.xlsx", read_only=True)
    found = {
        s.title: [[c if c is not None else "" for c in row] for row in s.iter_rows(values_only=True)] for s in shipped
    }
    assert found == sheets(), "docs/field-report.xlsx is stale: run `prevdip field xlsform`"


def test_the_xlsform_converts_to_an_xform(tmp_path: Path) -> None:
    from pyxform.xls2xform import convert

    converted = convert(xlsform=str(write_xlsform(tmp_path / "form.xlsx")), validate=False)
    assert converted.warnings == []
    for path in (
        "/data/event/what_happened",
        "/data/place/location",
        "/data/people/actors/actor",
        "/data/photos/photo",
    ):
        assert f'nodeset="{path}"' in converted.xform
    assert "Что произошло" in converted.xform  # the Russian labels ride along
