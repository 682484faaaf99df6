"""The field report form as an XLSForm (``docs/field-report.xlsx``), for KoboToolbox and ODK Collect, which work
offline on a monitor's phone — written from :data:`prevdip.fieldwork.form.QUESTIONS` and the locale catalogues, so
it is the web form's twin (``prevdip field xlsform`` rewrites it; a test checks the shipped file is current).

It follows the XLSForm spec: a ``survey`` sheet (type, name, labels and hints per language, required,
constraint), a ``choices`` sheet and a ``settings`` sheet. Sections are groups; parties, sources and photos are
repeat groups; the location is a ``geopoint``; a PDF is a ``file`` question. The submission exports those tools
write for it are what ``prevdip ingest kobo`` reads (:mod:`prevdip.fieldwork.collected`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from prevdip.briefs.locale import strings
from prevdip.fieldwork.form import QUESTIONS, SECTIONS, Question

FORM_ID = "prevdip_field_report"
LANGUAGES = {"en": "English (en)", "ru": "Russian (ru)"}
SURVEY_COLUMNS = (
    "type", "name", *(f"label::{n}" for n in LANGUAGES.values()), *(f"hint::{n}" for n in LANGUAGES.values()),
    "required", "constraint", *(f"constraint_message::{n}" for n in LANGUAGES.values()), "appearance", "parameters",
    "body::accept",
)  # fmt: skip
#: A repeat group's name and its one question's, for the questions that take several answers.
REPEATS = {"actors": ("actors", "actor"), "sources": ("sources", "source")}
PHOTOS = ("photos", "photo")
DOCUMENT = "document"


def _words(key: str) -> dict[str, str]:
    return {lang: strings(lang)["field_report"].get(key, "") for lang in LANGUAGES}


def _row(kind: str, name: str, label: str, hint: str = "", **more: str) -> dict[str, str]:
    row = {"type": kind, "name": name}
    for lang, column in LANGUAGES.items():
        row[f"label::{column}"] = _words(label)[lang] if label else ""
        row[f"hint::{column}"] = _words(hint)[lang] if hint else ""
    return row | more


def _constraint(message: str, rule: str) -> dict[str, str]:
    texts = _words(message)
    return {"constraint": rule} | {f"constraint_message::{c}": texts[lang] for lang, c in LANGUAGES.items()}


def _question(q: Question) -> list[dict[str, str]]:
    required = {"required": "yes"} if q.required else {}
    label = f"label_{q.name}"
    if q.kind == "list":
        group, item = REPEATS[q.name]
        return [_row("begin_repeat", group, label), _row("text", item, f"label_{item}"), _row("end_repeat", "", "")]
    if q.kind == "coordinates":
        return [_row("geopoint", "location", "label_coordinates", "hint_coordinates")]
    if q.kind == "choice":
        return [_row(f"select_one {q.name}", q.name, label, **required)]
    if q.kind == "date":
        rule = ". <= today()" if q.name == "date" else ". >= ${date} and . <= today()"
        return [_row("date", q.name, label, **required, **_constraint("error_future", rule))]
    if q.kind == "integer":
        return [_row("integer", q.name, label, **_constraint("error_range", ". >= 0"))]
    hint = f"hint_{q.name}" if q.kind == "long_text" else ""
    appearance = {"appearance": "multiline"} if q.kind == "long_text" else {}
    return [_row("text", q.name, label, hint, **required, **appearance)]


def survey() -> list[dict[str, str]]:
    """The survey sheet's rows: each section a group, in the web form's order, then the attachments."""
    rows: list[dict[str, str]] = []
    for section in SECTIONS:
        rows.append(_row("begin_group", section, f"section_{section}"))
        for question in (q for q in QUESTIONS if q.section == section):
            rows += _question(question)
        rows.append(_row("end_group", "", ""))
    rows += [
        _row("begin_repeat", PHOTOS[0], "label_attachments", "hint_attachments"),
        _row("image", PHOTOS[1], "label_photo", parameters="max-pixels=1600"),  # a phone's photo, not a poster
        _row("end_repeat", "", ""),
        _row("file", DOCUMENT, "label_document", **{"body::accept": "application/pdf"}),
    ]
    for row in rows:  # the hint's placeholders have no meaning on a phone
        for column in [c for c in row if c.startswith("hint::")]:
            row[column] = row[column].replace("{most}", "5").replace("{megabytes}", "10")
    return rows


def _choice_label(list_name: str, value: str, lang: str) -> str:
    catalogue = strings(lang)
    if list_name == "country":
        return catalogue["country_name"].get(value, value)
    if list_name == "sharing":
        return catalogue["sharing"][value]
    return catalogue["field_report"][f"{list_name}_{value}"]


def choices() -> list[dict[str, str]]:
    """The choices sheet: every select question's options with their labels in each language."""
    rows = []
    for q in (q for q in QUESTIONS if q.kind == "choice"):
        for value in q.choices:
            labels = {f"label::{c}": _choice_label(q.name, value, lang) for lang, c in LANGUAGES.items()}
            rows.append({"list_name": q.name, "name": value} | labels)
    return rows


def settings() -> dict[str, str]:
    """The settings sheet: the form's id, title and a version that changes exactly when the form does."""
    content = json.dumps([survey(), choices()], sort_keys=True, ensure_ascii=False).encode("utf-8")
    return {
        "form_title": "prevdip field report",
        "form_id": FORM_ID,
        "version": hashlib.sha256(content).hexdigest()[:10],
        "default_language": LANGUAGES["en"],
    }


def sheets() -> dict[str, list[list[Any]]]:
    """The three sheets as rows of cells (header first): what the workbook holds, and what a test compares."""
    choice_columns = ["list_name", "name", *(f"label::{c}" for c in LANGUAGES.values())]
    shown = settings()
    return {
        "survey": [list(SURVEY_COLUMNS), *([row.get(c, "") for c in SURVEY_COLUMNS] for row in survey())],
        "choices": [choice_columns, *([row[c] for c in choice_columns] for row in choices())],
        "settings": [list(shown), list(shown.values())],
    }


def write_xlsform(path: Path) -> Path:
    """Write the XLSForm workbook to ``path``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets().items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
