"""Field reports: the centre's own monitors' reports, in JSON or CSV, validated strictly one record at a time.

The format is documented in ``docs/field-reports.md``. A report is identified by ``report_id``; a corrected report
keeps its id and raises ``revision``, which becomes the event's ``source_version``. Its sharing tier (public,
governments, partners, centre-internal) is kept in the lake's ``sharing`` column.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from prevdip.errors import NotFound, RefusedInput
from prevdip.events.connectors.base import Chunk, Connector, Quarantined, RawBatch
from prevdip.events.connectors.columns import Reasons
from prevdip.events.connectors.tabular import records, set_aside
from prevdip.events.schema import EVENT_SCHEMA, INT32_MAX, Category, Event, Sharing
from prevdip.events.terms import CENTRE
from prevdip.geo import world_iso3

FIELDS = ("report_id", "date", "place", "country", "what_happened", "category", "reporter", "confidence", "sharing")


class FieldReport(BaseModel):
    """One monitor's report; unknown keys, an unknown country or category, or a future date are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    report_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    revision: int = Field(default=1, ge=1)
    date: dt.date
    date_end: dt.date | None = None
    place: str = Field(min_length=1)
    admin1: str | None = None
    country: str
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    what_happened: str = Field(min_length=1)
    category: Category
    actors: list[str] = Field(default_factory=list, max_length=2)
    fatalities: int | None = Field(default=None, ge=0, le=INT32_MAX)
    injured: int | None = Field(default=None, ge=0, le=INT32_MAX)
    displaced: int | None = Field(default=None, ge=0, le=INT32_MAX)
    sources: list[str] = Field(default_factory=list, max_length=10)
    reporter: str = Field(min_length=1)
    confidence: Literal["low", "medium", "high"]
    sharing: Sharing

    @field_validator("country")
    @classmethod
    def _iso3(cls, value: str) -> str:
        try:
            return world_iso3(value)
        except NotFound as unknown:
            raise ValueError(f"unknown country {value!r}") from unknown

    @field_validator("date")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"date {value} is in the future")
        return value

    @model_validator(mode="after")
    def _coordinates_together(self) -> FieldReport:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self

    def reference(self) -> str:
        """Who reported, how sure, and the figures and sources the lake has no column for (``reporter: ...``
        comes first: outsiders' views drop that part)."""
        parts = [f"reporter: {self.reporter}", f"confidence: {self.confidence}"]
        figures = (("injured", self.injured), ("displaced", self.displaced))
        parts += [f"{name}: {value}" for name, value in figures if value is not None]
        if self.sources:
            parts.append("sources: " + " | ".join(self.sources))
        return "; ".join(parts)

    def event(self) -> Event:
        actors = [*self.actors, None, None]
        return Event(
            source="field",
            source_event_id=self.report_id,
            source_version=str(self.revision),
            date_start=self.date,
            date_end=self.date_end or self.date,
            country_iso3=self.country,
            admin1=self.admin1,
            location=self.place,
            latitude=self.latitude,
            longitude=self.longitude,
            actor1=actors[0],
            actor2=actors[1],
            source_event_type="field report",
            category=self.category,
            fatalities_best=self.fatalities,
            num_sources=len(self.sources) or None,
            description=self.what_happened,
            source_reference=self.reference(),
            sharing=self.sharing,
            row_sharing=self.sharing,
        )


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "report"
    kind = "unknown country" if "unknown country" in first["msg"] else "bad date" if "date" in where else "invalid"
    return f"{kind}: {where}: {first['msg']}"


def _from_csv(content: str, file: str) -> Iterator[tuple[int, dict[str, Any], str] | Quarantined]:
    """Records of a report CSV, read with strict quoting (a lost quote never glues rows or changes a text); a
    record that cannot be split into the header's fields comes back set aside, one row per line it spans."""
    found = records(io.StringIO(content, newline=""), ",")
    head = next(found, None)
    names = head.fields or [] if head is not None else []
    missing = [f for f in FIELDS if f not in names]
    if missing:
        raise RefusedInput(f"not a field-report CSV: missing column(s) {', '.join(missing)}")
    for record in found:
        if record.fields == []:
            continue
        if record.fields is None or len(record.fields) != len(names):
            yield from set_aside(record, len(names), file)
            continue
        row = {k: v for k, v in zip(names, record.fields, strict=True) if v != ""}
        for listed in ("actors", "sources"):
            if listed in row:
                row[listed] = [a.strip() for a in row[listed].split(";") if a.strip()]  # type: ignore[assignment]
        yield record.line, row, record.text.rstrip("\r\n")


def _from_json(content: str) -> Iterator[tuple[int, dict[str, Any], str] | Quarantined]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as bad:
        raise RefusedInput(f"not a field-report JSON file: {bad}") from bad
    except RecursionError:  # hostile or broken nesting; a report is two levels deep
        raise RefusedInput(
            "not a field-report JSON file: nested too deeply", hint="a report is a flat object"
        ) from None
    reports = data.get("reports") if isinstance(data, dict) else data
    if not isinstance(reports, list):
        raise RefusedInput("not a field-report JSON file", hint='expected a list of reports or {"reports": [...]}')
    for number, report in enumerate(reports, start=1):
        yield number, report if isinstance(report, dict) else {"report": report}, json.dumps(report)


def _reports(path: Path) -> Iterator[tuple[int, dict[str, Any], str] | Quarantined]:
    """The records of a report file, JSON or CSV, with their numbers; a file that is not one is refused."""
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        raise RefusedInput(f"{path}: not UTF-8 text (byte {bad.start})", hint="save the reports as UTF-8") from bad
    if not content.strip():
        raise RefusedInput(f"{path}: the file is empty", hint="expected field reports in JSON or CSV")
    return _from_json(content) if content.lstrip()[:1] in "[{" else _from_csv(content, str(path))


class FieldReports(Connector):
    name: ClassVar[str] = "field"
    licence = CENTRE

    def detect(self, path: Path, head: str) -> bool:
        start = head.lstrip()[:1]
        return start in "[{" and '"report_id"' in head or set(FIELDS) <= set(head.split("\n", 1)[0].split(","))

    def read(self, path: Path) -> Iterator[RawBatch]:
        raise NotImplementedError("field reports are validated one record at a time: use chunks()")

    def normalise(self, raw: RawBatch) -> tuple[pa.Table, Reasons]:
        raise NotImplementedError("field reports are validated one record at a time: use chunks()")

    def source_rows(self, path: Path) -> Iterator[tuple[int, str | None, dict[str, str]]]:
        """Each report's line (its number in a JSON list), its id, and its fields as written."""
        for item in _reports(path):
            if not isinstance(item, Quarantined):
                number, record, _ = item
                fields = {k: "; ".join(v) if isinstance(v, list) else str(v) for k, v in record.items()}
                yield number, fields.get("report_id"), fields

    def chunks(self, path: Path) -> Iterator[Chunk]:
        found = _reports(path)
        rows, quarantined = [], []
        for item in found:
            if isinstance(item, Quarantined):
                quarantined.append(item)
                continue
            number, record, text = item
            try:
                rows.append(FieldReport.model_validate(record).event().as_row())
            except ValidationError as error:
                quarantined.append(Quarantined(str(path), number, text, _reason(error)))
        yield Chunk(pa.Table.from_pylist(rows, schema=EVENT_SCHEMA), quarantined)
