"""The field report form: one definition of its questions, read by the web form, the XLSForm published for
KoboToolbox and ODK Collect, and the reader of their exports — so the three cannot drift apart.

The questions are the keys of the documented format (``docs/field-reports.md``); what a valid answer is stays
decided in one place, :class:`prevdip.events.connectors.field.FieldReport`. Labels and hints come from the locale
catalogues (``[field_report]``), so the form reads the same in English and Russian on the web and on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from prevdip.events.schema import Category

Kind = Literal["text", "long_text", "date", "integer", "choice", "list", "coordinates"]

#: The countries the form offers (the region, Afghanistan and the neighbours), by ISO3; the format itself accepts
#: any country, which the API and the exports may name.
COUNTRIES = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG", "CHN", "IRN", "PAK", "RUS", "AZE", "MNG")
CONFIDENCE = ("low", "medium", "high")
SHARING = ("public", "governments", "partners", "centre-internal")


@dataclass(frozen=True)
class Question:
    """One question of the form: the report key it fills, its kind, whether it must be answered, its section,
    its choices (for ``choice``), and at most how many answers (for ``list``)."""

    name: str
    kind: Kind
    required: bool
    section: str
    choices: tuple[str, ...] = ()
    most: int = 1


QUESTIONS: tuple[Question, ...] = (
    Question("what_happened", "long_text", True, "event"),
    Question("category", "choice", True, "event", tuple(c.value for c in Category)),
    Question("date", "date", True, "event"),
    Question("date_end", "date", False, "event"),
    Question("country", "choice", True, "place", COUNTRIES),
    Question("admin1", "text", False, "place"),
    Question("place", "text", True, "place"),
    Question("coordinates", "coordinates", False, "place"),  # latitude and longitude, both or neither
    Question("actors", "list", False, "people", most=2),
    Question("fatalities", "integer", False, "toll"),
    Question("injured", "integer", False, "toll"),
    Question("displaced", "integer", False, "toll"),
    Question("sources", "list", False, "trust", most=10),
    Question("reporter", "text", True, "trust"),
    Question("confidence", "choice", True, "trust", CONFIDENCE),
    Question("sharing", "choice", True, "trust", SHARING),
)
SECTIONS = ("event", "place", "people", "toll", "trust")


def report_keys() -> tuple[str, ...]:
    """The report's keys the questions fill (coordinates fill latitude and longitude)."""
    keys: list[str] = []
    for question in QUESTIONS:
        keys += ["latitude", "longitude"] if question.kind == "coordinates" else [question.name]
    return tuple(keys)


def from_answers(answers: dict[str, object]) -> dict[str, object]:
    """A report in the documented format from a form's answers: empty answers left out, lists without blanks,
    numbers as written (the format's validation reads and refuses them, naming the field)."""
    report: dict[str, object] = {}
    for key in ("report_id", "revision", *report_keys()):
        value = answers.get(key)
        if isinstance(value, list | tuple):
            value = [str(v).strip() for v in value if str(v or "").strip()]
            if not value:
                continue
        elif value is None or (isinstance(value, str) and not value.strip()):
            continue
        report[key] = value
    return report
