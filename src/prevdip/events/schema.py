"""The canonical event: one schema every connector normalises into.

An event's identity is ``(source, source_event_id, source_version)``; ``event_uid`` is a stable hash of the three,
so re-reading the same file yields the same uids and adds nothing, and a new UCDP version or ACLED timestamp of
the same event is a new row that queries see as the latest unless they ask for an earlier vintage (``as_of``).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator


class Category(StrEnum):
    """prevdip's own small vocabulary, mapped from every source's event types."""

    BATTLE = "battle"
    REMOTE_VIOLENCE = "remote_violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians"
    RIOT = "riot"
    PROTEST = "protest"
    THREAT = "threat"
    COERCION = "coercion"
    MOBILISATION = "mobilisation"
    BORDER_INCIDENT = "border_incident"
    STRATEGIC_DEVELOPMENT = "strategic_development"
    VERBAL_CONFLICT = "verbal_conflict"
    VERBAL_COOPERATION = "verbal_cooperation"
    MATERIAL_COOPERATION = "material_cooperation"
    AGREEMENT = "agreement"
    WATER_CONFLICT = "water_conflict"
    WATER_COOPERATION = "water_cooperation"
    OTHER = "other"


ATTRIBUTES_TYPE = pa.map_(pa.string(), pa.string())

# Column order and Arrow types of the lake. Dates are calendar dates (UTC); a country-month belongs to the month
# in which the event was observed (date_start).
EVENT_SCHEMA = pa.schema(
    [
        ("event_uid", pa.string()),
        ("source", pa.string()),
        ("source_event_id", pa.string()),
        ("source_version", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),  # day, week, month, year
        ("country_iso3", pa.string()),
        ("admin1", pa.string()),
        ("admin2", pa.string()),
        ("admin3", pa.string()),  # ACLED admin3 (added with the attribute map)
        ("location", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("geo_precision", pa.int8()),
        ("actor1", pa.string()),
        ("actor1_type", pa.string()),
        ("actor1_country", pa.string()),
        ("actor2", pa.string()),
        ("actor2_type", pa.string()),
        ("actor2_country", pa.string()),
        ("source_event_type", pa.string()),
        ("source_sub_event_type", pa.string()),
        ("category", pa.string()),
        ("fatalities_best", pa.int32()),
        ("fatalities_low", pa.int32()),
        ("fatalities_high", pa.int32()),
        ("goldstein", pa.float32()),
        ("water_scale", pa.int8()),
        ("quad_class", pa.int8()),
        ("num_sources", pa.int32()),
        ("description", pa.string()),
        ("source_reference", pa.string()),
        # Every other field an analyst of the source filters on, as the source names it (docs/events.md lists
        # them per source): ACLED's assoc_actor_1, tags, interaction ...; UCDP's dyad_new_id, event_clarity ...;
        # GDELT's NumMentions, AvgTone ... Numbers in it were read by the same checks as the typed columns.
        ("attributes", ATTRIBUTES_TYPE),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("ingest_run_id", pa.string()),
        # Who may see the event: null for published sources (UCDP, ACLED, GDELT, TFDD); a field report's tier
        # (public, governments, partners, centre-internal): briefs and the web show each audience only its tiers.
        ("sharing", pa.string()),
        # Who may see the event listed as a row (its fields verbatim), from the source's licence: ACLED's terms
        # forbid redistributing its rows, so they are centre-internal while counts and stages built on them are
        # shared. Decided in events/sharing.py; null in files written before the column (read as the source's
        # default).
        ("row_sharing", pa.string()),
        # True for a version that records the source deleting the event (ACLED's deletions list) or dropping it
        # from a release (UCDP, on request): queries of the latest version no longer see it, --as-of before does.
        ("deleted", pa.bool_()),
    ]
)

EVENT_COLUMNS: tuple[str, ...] = tuple(EVENT_SCHEMA.names)


def event_uid(source: str, source_event_id: str, source_version: str) -> str:
    """Stable identity of one version of one source event (first 16 bytes of SHA-256, hex)."""
    key = "\x1f".join((source, source_event_id, source_version)).encode("utf-8")
    return hashlib.sha256(key).hexdigest()[:32]


Sharing = Literal["public", "governments", "partners", "centre-internal"]

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
INT32_MAX = 2**31 - 1  # the lake's counts are 32-bit: a larger number is refused, never wrapped


class Event(BaseModel):
    """One canonical event, validated; connectors build these (or the equivalent Arrow batch) per source row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    source_event_id: str
    source_version: str = ""
    date_start: date
    date_end: date | None = None
    date_precision: str = "day"
    country_iso3: ISO3 | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    geo_precision: int | None = None
    actor1: str | None = None
    actor1_type: str | None = None
    actor1_country: ISO3 | None = None
    actor2: str | None = None
    actor2_type: str | None = None
    actor2_country: ISO3 | None = None
    source_event_type: str | None = None
    source_sub_event_type: str | None = None
    category: Category = Category.OTHER
    fatalities_best: int | None = Field(default=None, ge=0, le=INT32_MAX)
    fatalities_low: int | None = Field(default=None, ge=0, le=INT32_MAX)
    fatalities_high: int | None = Field(default=None, ge=0, le=INT32_MAX)
    goldstein: float | None = Field(default=None, ge=-10, le=10)
    water_scale: int | None = Field(default=None, ge=-7, le=7)
    quad_class: int | None = Field(default=None, ge=1, le=4)
    num_sources: int | None = Field(default=None, ge=0, le=INT32_MAX)
    description: str | None = None
    source_reference: str | None = None
    attributes: dict[str, str] | None = None
    ingested_at: datetime | None = None
    ingest_run_id: str | None = None
    sharing: Sharing | None = None
    row_sharing: Sharing | None = None
    deleted: bool = False

    @model_validator(mode="after")
    def _dates_in_order(self) -> Event:
        if self.date_end is not None and self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} is before date_start {self.date_start}")
        return self

    @property
    def event_uid(self) -> str:
        return event_uid(self.source, self.source_event_id, self.source_version)

    def as_row(self) -> dict[str, object]:
        """The event as a lake row (every canonical column, ``event_uid`` included)."""
        row = self.model_dump()
        row["event_uid"] = self.event_uid
        row["category"] = self.category.value
        return {name: row.get(name) for name in EVENT_COLUMNS}
