"""Reports collected offline with KoboToolbox or ODK Collect on the published XLSForm, read from the submissions
exports those servers write, into the ``submitted`` queue (``prevdip ingest kobo FILE``).

The layouts read, as the tools write them for this form:

* **KoboToolbox XLSX** — the first sheet holds one row per submission, columns named by their group path joined
  with ``/`` (``event/what_happened``), the geopoint as ``"lat lon altitude accuracy"``, a media question as its
  file name (and ``<name>_URL``), then ``_id``, ``_uuid``, ``_submission_time``, ``_validation_status``,
  ``_notes``, ``_status``, ``_submitted_by``, ``__version__``, ``_tags``, ``_index``; each repeat group is a sheet
  of its own (named after the group) whose rows point at their submission by ``_parent_index`` (= ``_index``) and
  ``_submission__uuid``.
* **KoboToolbox CSV** — the first sheet alone, ``;``- or ``,``-separated (repeat groups need the XLSX export).
* **ODK Central CSV** (``.csv`` of the root table, or the ``.csv.zip`` with every table and the media) —
  ``SubmissionDate`` first, columns named by their group path joined with ``-`` (``event-what_happened``), a
  geopoint as four columns ``...-Latitude``, ``-Longitude``, ``-Altitude``, ``-Accuracy``, then ``meta-instanceID``,
  ``KEY``, ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``, ``AttachmentsExpected``, ``Status``,
  ``ReviewState``, ``DeviceID``, ``Edits``, ``FormVersion``; each repeat group is ``<form_id>-<group>.csv`` with
  its question columns then ``PARENT_KEY`` (the submission's ``KEY``) and ``KEY``; media files under ``media/``.

Every row is accounted for: filed into the queue, a duplicate of one filed before (re-importing adds nothing), or
quarantined with its reason (the ingest run's, ``prevdip runs`` / ``prevdip quarantine RUN``). A report's id is the
device's instance id (``FR-<uuid>``), the same in both tools' exports.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.fieldwork.attachments import Attachment, check
from prevdip.fieldwork.form import from_answers, report_keys
from prevdip.fieldwork.submissions import Reporter, file_report, read_report
from prevdip.fieldwork.xlsform import DOCUMENT, FORM_ID, PHOTOS
from prevdip.store import QuarantinedRowIn, Store

KOBO_META = {"_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"}  # fmt: skip
ODK_META = {"SubmissionDate", "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
            "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"}  # fmt: skip
GEO_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")
ANSWERED = frozenset(report_keys())


@dataclass
class Collected:
    """One submission as an export holds it: where, its raw text, its answers by question, and its media."""

    file: str
    row_number: int
    raw: str
    instance: str
    answers: dict[str, Any]
    media: list[str] = field(default_factory=list)
    submitted_by: str | None = None


Table = list[dict[str, str]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _leaf(column: str, separator: str) -> str:
    return column.split(separator)[-1]


def _answers(row: Mapping[str, str], separator: str) -> tuple[dict[str, Any], list[str]]:
    """The answers of a submission's row: each question by its name (the group path dropped), the geopoint as
    latitude and longitude, and the media it names."""
    answers: dict[str, Any] = {}
    media: list[str] = []
    for column, value in row.items():
        if column in KOBO_META or column in ODK_META or column.endswith("_URL") or column.startswith("_"):
            continue
        name = _leaf(column, separator)
        if separator == "-" and name in GEO_PARTS:
            if value and name in ("Latitude", "Longitude"):
                answers[name.lower()] = value
            continue
        if name == "location":  # KoboToolbox writes the geopoint as "lat lon altitude accuracy"
            parts = value.split()
            if len(parts) >= 2:
                answers["latitude"], answers["longitude"] = parts[0], parts[1]
            continue
        if name == DOCUMENT:
            media += [value] if value else []
            continue
        if value and name in ANSWERED:  # the form's questions; a server's own columns (start, deviceid...) are not
            answers[name] = value
    return answers, media


def _instance(row: Mapping[str, str]) -> str:
    said = row.get("_uuid") or row.get("meta-instanceID") or row.get("KEY") or ""
    return said.removeprefix("uuid:").strip()


def _repeat_answers(children: Table, separator: str) -> tuple[dict[str, list[str]], list[str]]:
    lists: dict[str, list[str]] = defaultdict(list)
    media: list[str] = []
    for child in children:
        for column, value in child.items():
            name = _leaf(column, separator)
            if not value or column in ("PARENT_KEY", "KEY") or column.startswith("_"):
                continue
            if name == PHOTOS[1]:
                media.append(value)
            elif name in ("actor", "source"):
                lists[f"{name}s"].append(value)
    return lists, media


def _collect(file: str, rows: Table, repeats: Mapping[str, Table], separator: str, parent: str) -> list[Collected]:
    """Each submission row with its repeat rows gathered (``parent``: the column a repeat row points with)."""
    own_key = "_index" if parent == "_parent_index" else "KEY"
    by_parent: dict[str, Table] = defaultdict(list)
    for children in repeats.values():
        for child in children:
            by_parent[child.get(parent, "")].append(child)
    found = []
    for number, row in enumerate(rows, start=2):  # the header is line (or row) 1
        answers, media = _answers(row, separator)
        lists, more = _repeat_answers(by_parent.get(row.get(own_key, ""), []), separator)
        answers.update(lists)
        raw = json.dumps(row, ensure_ascii=False)
        who = row.get("_submitted_by") or row.get("SubmitterName") or None
        found.append(Collected(file, number, raw, _instance(row), answers, [*more, *media], who))
    return found


def _csv_rows(text: str) -> Table:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [dict(r) for r in csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _decoded(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise RefusedInput(
            f"{name}: not UTF-8 text (byte {bad.start})", hint="export the submissions as UTF-8"
        ) from None


def _xlsx(path: Path) -> tuple[list[Collected], dict[str, bytes]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    tables: dict[str, Table] = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = [_text(c) for c in rows[0]] if rows else []
        tables[sheet.title] = [dict(zip(header, (_text(c) for c in r), strict=False)) for r in rows[1:] if any(r)]
    book.close()
    main, *rest = tables
    repeats = {name: tables[name] for name in rest}
    return _collect(path.name, tables[main], repeats, "/", "_parent_index"), {}


def _odk_zip(path: Path) -> tuple[list[Collected], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        tables = {n: _csv_rows(_decoded(archive.read(n), n)) for n in names if n.endswith(".csv")}
        media = {n.removeprefix("media/"): archive.read(n) for n in names if n.startswith("media/") and n[6:]}
    root = next((n for n in tables if n == f"{FORM_ID}.csv"), None) or min(tables, key=len, default=None)
    if root is None:
        raise RefusedInput(f"{path.name}: no CSV in the archive", hint="download the submissions as CSV (zip)")
    repeats = {n: t for n, t in tables.items() if n != root}
    return _collect(f"{path.name}:{root}", tables[root], repeats, "-", "PARENT_KEY"), media


def read_export(path: Path) -> tuple[str, list[Collected], dict[str, bytes]]:
    """Which tool wrote the export (``kobo`` or ``odk``), its submissions, and the media files it carries."""
    if not path.is_file():
        raise RefusedInput(f"no such file: {path}", hint="check the path")
    if path.suffix.lower() == ".xlsx":
        return "kobo", *_xlsx(path)
    if path.suffix.lower() == ".zip":
        return "odk", *_odk_zip(path)
    rows = _csv_rows(_decoded(path.read_bytes(), path.name))
    columns = set(rows[0]) if rows else set()
    if "_uuid" in columns:
        return "kobo", _collect(path.name, rows, {}, "/", "_parent_index"), {}
    if "KEY" in columns or "meta-instanceID" in columns:
        return "odk", _collect(path.name, rows, {}, "-", "PARENT_KEY"), {}
    raise RefusedInput(
        f"{path.name}: not a KoboToolbox or ODK Central export of the field report form",
        hint="export the submissions as XLSX or CSV (KoboToolbox) or CSV (ODK Central); no _uuid or KEY column found",
    )


def _attachments(found: Collected, media: Mapping[str, bytes], limit: int) -> tuple[list[Attachment], list[str]]:
    kept, missing = [], []
    for name in found.media:
        if name in media:
            kept.append(check(name, media[name], limit=limit))
        else:
            missing.append(name)
    return kept, missing


@dataclass
class ImportReport:
    """What an import did with every row: ``rows = accepted + duplicates + quarantined``."""

    source: str
    file: str
    run_id: str
    rows: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in ("source", "file", "rows", "accepted", "duplicates", "quarantined")}
        return data | {"reasons": dict(sorted(self.reasons.items())), "run_id": self.run_id}


def import_export(store: Store, path: Path, *, who: str, workspace: Path, attachment_limit: int) -> ImportReport:
    """Read a KoboToolbox or ODK Central export into the ``submitted`` queue: all of it in one unit of work, the
    run and its quarantined rows recorded."""
    from prevdip.events.ingestion import file_sha256

    via, collected, media = read_export(path)
    run_id = store.ingest_runs.start(via, [(str(path), file_sha256(path))])
    report = ImportReport(via, str(path), run_id)
    quarantined: list[QuarantinedRowIn] = []
    by = Reporter(who, staff=True)  # the workspace's owner imports with full rights
    try:
        with store.session() as session:
            for found in collected:
                report.rows += 1
                try:
                    answers = {"report_id": f"FR-{found.instance}" if found.instance else ""} | found.answers
                    attachments, missing = _attachments(found, media, attachment_limit)
                    done = file_report(
                        session, store.audit, read_report(from_answers(answers)), by=by, via=via,
                        workspace=workspace, attachments=attachments, missing=missing,
                    )  # fmt: skip
                except RefusedInput as refused:
                    reason = refused.message
                    quarantined.append(QuarantinedRowIn(found.file, found.row_number, found.raw, reason))
                    report.quarantined += 1
                    report.reasons[reason.split(":", 1)[0]] += 1
                    continue
                if done.created:
                    report.accepted += 1
                else:
                    report.duplicates += 1
    except BaseException:
        store.ingest_runs.finish(run_id, rows=0, accepted=0, duplicates=0, quarantined=0, status="failed", reasons={})
        raise
    store.quarantine.add_many(run_id, quarantined)
    counts = {"rows": report.rows, "accepted": report.accepted, "duplicates": report.duplicates}
    store.ingest_runs.finish(
        run_id, **counts, quarantined=report.quarantined, status="succeeded", reasons=dict(report.reasons)
    )
    return report
