"""Submission exports of the published XLSForm, written in the layouts KoboToolbox and ODK Central use, with the
column names derived from the form's own definition (``prevdip.fieldwork.xlsform.survey()``), never typed by hand.

Where the layouts come from:

* KoboToolbox — group path joined by ``/`` (the export option ``group_sep``, default "/", KoboconnectR's
  ``kobo_export_create`` documentation); a geopoint as one ``"lat lon alt acc"`` column; a media question as its
  file name plus ``<name>_URL`` (``media_url``); the metadata columns ``_id, _uuid, _submission_time,
  _validation_status, _notes, _status, _submitted_by, __version__, _tags, _index``; each repeat group a sheet of its
  own ending ``_index, _parent_table_name, _parent_index, _submission__id, _submission__uuid,
  _submission__submission_time, _submission__validation_status, _submission__notes, _submission__status,
  _submission__submitted_by, _submission___version__, _submission__tags`` (formpack's XLSX export, as analysts'
  scripts reading those sheets list them).
* ODK Central — ``lib/data/briefcase.js`` of getodk/central-backend: ``SubmissionDate`` first, group path joined
  by ``-``, a geopoint as ``-Latitude, -Longitude, -Altitude, -Accuracy``, repeat groups left out of the root table
  and written as ``<formId>-<group>.csv`` with their questions then ``PARENT_KEY, KEY`` (KEY
  ``uuid:.../group/repeat[n]``), ``KEY`` and the Central columns after the root's questions (its API tests:
  ``KEY, SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status, ReviewState, DeviceID, Edits,
  FormVersion``), media in ``media/``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from prevdip.fieldwork.xlsform import FORM_ID, survey

KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"]  # fmt: skip
KOBO_REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
                    "_submission__submission_time", "_submission__validation_status", "_submission__notes",
                    "_submission__status", "_submission__submitted_by", "_submission___version__",
                    "_submission__tags"]  # fmt: skip
ODK_CENTRAL = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
               "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip


def layout() -> tuple[list[tuple[list[str], str, str]], dict[str, list[tuple[list[str], str]]]]:
    """The form's questions outside repeats as (group path, name, type), and each repeat's as (path, name)."""
    root: list[tuple[list[str], str, str]] = []
    repeats: dict[str, list[tuple[list[str], str]]] = {}
    path: list[str] = []
    repeat: str | None = None
    for row in survey():
        kind, name = row["type"], row["name"]
        if kind in ("begin_group", "begin_repeat"):
            path.append(name)
            if kind == "begin_repeat":
                repeat = name
                repeats[name] = []
        elif kind in ("end_group", "end_repeat"):
            path.pop()
            if kind == "end_repeat":
                repeat = None
        elif repeat is not None:
            repeats[repeat].append((list(path), name))
        else:
            root.append((list(path), name, kind.split()[0]))
    return root, repeats


def _value(submission: dict[str, Any], name: str) -> str:
    value = submission.get(name, "")
    return "" if value is None else str(value)


def kobo_tables(submissions: list[dict[str, Any]]) -> dict[str, list[list[str]]]:
    """The KoboToolbox export's sheets: the main one (named after the form), then one per repeat group."""
    root, repeats = layout()
    header: list[str] = []
    for path, name, kind in root:
        header.append("/".join([*path, name]))
        if kind in ("image", "file"):
            header.append("/".join([*path, name]) + "_URL")
    header += KOBO_META
    main: list[list[str]] = [header]
    sheets = {
        group: [["/".join([*p, n]) for p, n in questions] + KOBO_REPEAT_META] for group, questions in repeats.items()
    }
    for index, s in enumerate(submissions, start=1):
        row = []
        for _, name, kind in root:
            if kind == "geopoint":
                row.append(f"{s['latitude']} {s['longitude']} 812.0 5.0" if "latitude" in s else "")
            else:
                row.append(_value(s, name))
            if kind in ("image", "file"):
                row.append(f"https://kf.kobotoolbox.org/media/original?media_file={s[name]}" if s.get(name) else "")
        uuid = s["uuid"]
        row += [str(1000 + index), uuid, "2024-03-03T08:15:00", "", "", "submitted_via_web", s.get("by", ""),
                "vQ2yb7", "", str(index)]  # fmt: skip
        main.append(row)
        for group, questions in repeats.items():
            for item in s.get(group, []):
                parent = [str(len(sheets[group])), FORM_ID, str(index), str(1000 + index), uuid, "2024-03-03T08:15:00"]
                parent += ["", "", "submitted_via_web", s.get("by", ""), "vQ2yb7", ""]
                sheets[group].append([item for _ in questions] + parent)
    return {FORM_ID[:31]: main, **sheets}


def write_kobo_xlsx(path: Path, submissions: list[dict[str, Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in kobo_tables(submissions).items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_kobo_csv(path: Path, submissions: list[dict[str, Any]]) -> Path:
    """KoboToolbox's CSV export: the main sheet only, ``;``-separated."""
    main = next(iter(kobo_tables(submissions).values()))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(main)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def odk_tables(submissions: list[dict[str, Any]]) -> dict[str, list[list[str]]]:
    """ODK Central's CSV files: ``<formId>.csv`` and ``<formId>-<repeat>.csv``."""
    root, repeats = layout()
    header = ["SubmissionDate"]
    for path, name, kind in root:
        column = "-".join([*path, name])
        header += (
            [f"{column}-{part}" for part in ("Latitude", "Longitude", "Altitude", "Accuracy")]
            if kind == "geopoint"
            else [column]
        )
    header += ["meta-instanceID", *ODK_CENTRAL]
    tables = {f"{FORM_ID}.csv": [header]}
    for group, questions in repeats.items():
        tables[f"{FORM_ID}-{group}.csv"] = [[name for _, name in questions] + ["PARENT_KEY", "KEY"]]
    for s in submissions:
        key = f"uuid:{s['uuid']}"
        row = ["2024-03-03T08:15:00.000Z"]
        for _, name, kind in root:
            if kind == "geopoint":
                row += (
                    [_value(s, "latitude"), _value(s, "longitude"), "812", "5"] if "latitude" in s else ["", "", "", ""]
                )
            else:
                row.append(_value(s, name))
        media = sum(1 for _ in s.get("photos", [])) + (1 if s.get("document") else 0)
        row += [key, key, "5", s.get("by", ""), str(media), str(media), "", "", "collect:x7", "0", "vQ2yb7"]
        tables[f"{FORM_ID}.csv"].append(row)
        for group, questions in repeats.items():
            path = "/".join(questions[0][0])  # the repeat's own path: groups/.../repeat
            for n, item in enumerate(s.get(group, []), start=1):
                tables[f"{FORM_ID}-{group}.csv"].append([item for _ in questions] + [key, f"{key}/{path}[{n}]"])
    return tables


def write_odk_zip(path: Path, submissions: list[dict[str, Any]], media: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in odk_tables(submissions).items():
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            archive.writestr(name, out.getvalue())
        for name, content in media.items():
            archive.writestr(f"media/{name}", content)
    return path
