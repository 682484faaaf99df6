"""The episode catalogue (``episodes.json``) and the honest record of what prevdip showed before each episode.

The catalogue is data, with a source for every figure; a figure no source gives is absent, never estimated. The
record looks up, for every unit an episode touched, the stage the panels show 1, 3 and 6 months before the
episode began — computed from the same data as any other month, so the episode itself never informs its warning.
Forecast risks belong to the forecast domain, which signals does not import: each lead carries a ``forecast_risk``
slot that the caller (the CLI) fills.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator

from prevdip.geo import country, dyad
from prevdip.signals.reading import board

LEADS = (1, 3, 6)
RECORD_BASIS = (
    "Stages are computed from the data in the lake today (UCDP GED, the country-month series to 2026, UCDP "
    "conflict years), not from the data as it stood at each origin month: UCDP's final data and annual "
    "conflict-year figures were published after the fact, and a dyad's series deaths are attributed over a whole "
    "conflict year. Read the record as what prevdip's rules make of the pre-episode months, not as a live forecast."
)


class Casualty(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure: str
    value: int | None = None
    low: int | None = None
    high: int | None = None
    qualifier: str | None = None
    note: str | None = None
    source: str

    @field_validator("source")
    @classmethod
    def _sourced(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every casualty figure needs its source")
        return value


class Episode(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    kind: str
    start: str  # YYYY-MM-DD, YYYY-MM or YYYY: as precise as the sources are
    end: str
    dates_source: str | None = None
    record_anchor: str | None = None
    record_anchor_source: str | None = None
    places: list[str]
    countries: list[str]
    dyads: list[str]
    casualties: list[Casualty]
    note: str | None = None
    sources: list[str]

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, value: list[str]) -> list[str]:
        return [country(c).iso3 for c in value]

    @field_validator("dyads")
    @classmethod
    def _known_dyads(cls, value: list[str]) -> list[str]:
        return [dyad(d).code for d in value]

    @property
    def anchor(self) -> date:
        """The month the record counts back from: the start, or the first dated fact when the start is a year."""
        text = self.record_anchor or self.start
        parts = [int(p) for p in text.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, 1)

    @property
    def units(self) -> list[str]:
        return [*self.countries, *self.dyads]


@lru_cache(maxsize=1)
def episodes() -> tuple[Episode, ...]:
    """The catalogue shipped with prevdip, validated."""
    data = json.loads(files("prevdip.signals").joinpath("episodes.json").read_text(encoding="utf-8"))
    return tuple(Episode.model_validate(e) for e in data["episodes"])


def _months_before(anchor: date, months: int) -> date:
    return (pd.Timestamp(anchor) - pd.DateOffset(months=months)).date()


def _stage_at(frame: pd.DataFrame, unit: str, month: date) -> dict[str, Any]:
    cell = frame[(frame["unit"] == unit) & (frame["month"] == pd.Timestamp(month))]
    if cell.empty:
        return {"month": f"{month:%Y-%m}", "stage": None, "trend": None, "note": "no data for this month"}
    row = cell.iloc[0]
    return {"month": f"{month:%Y-%m}", "stage": row["stage"], "trend": row["trend"], "rule": row["stage_rule"]}


def episode_record(*, workspace: Path | None = None) -> list[dict[str, Any]]:
    """Every episode with, per unit, the stage shown at the start and 1, 3 and 6 months before it."""
    built = board(workspace)
    out = []
    for episode in episodes():
        record: dict[str, Any] = {}
        for unit in episode.units:
            frame = built.dyad if "-" in unit else built.country
            leads = {}
            for lead in LEADS:
                origin = _months_before(episode.anchor, lead)
                leads[str(lead)] = {
                    **_stage_at(frame, unit, origin),
                    "forecast_risk": None,
                    "forecast_risk_note": "not filled: the signals domain does not compute forecasts",
                }
            record[unit] = {"at_start": _stage_at(frame, unit, episode.anchor), "before": leads}
        anchor = f"{episode.anchor:%Y-%m}"
        out.append({**episode.model_dump(exclude_none=True), "anchor_month": anchor, "record": record})
    return out
