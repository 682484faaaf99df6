"""Transitions the signals propose, for an officer to confirm (``prevdip disputes transition``) or set aside.

Two rules, read month by month on the dispute's units — its border dyads (the signals' dyad panel: interstate
deaths and deaths in border-related groups near the line, with UCDP's monthly series attributed in an interstate
conflict year) and its provinces (the admin1 panel's deaths in the same border-related groups):

- **violent**: a death on any of its units in the month, while the dispute was not violent at the month's start;
- **managed**: a violent dispute whose units have gone :data:`~prevdip.disputes.phases.QUIET_MONTHS` months in a
  row without a death (counted from the later of its last fatal month and the transition that made it violent).

A dispute is read only from its first recorded phase on; basins have no panel and propose nothing. A proposal says
whether the register already records that move in the months it covers (``recorded``). Proposals are computed
for the centre's own officers from the whole lake (field reports included), like the warnings on ``/response``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel

from prevdip.disputes.phases import QUIET_MONTHS
from prevdip.disputes.records import DisputeView
from prevdip.errors import RefusedInput

DYAD_COLUMNS = ("deaths", "event_deaths", "series_deaths", "cy_deaths", "stage", "stage_rule")


class UnitMonth(BaseModel):
    """A unit's reading in the month a proposal rests on."""

    unit: str
    kind: Literal["dyad", "province"]
    deaths: int
    event_deaths: int | None = None
    series_deaths: int | None = None
    conflict_year_deaths: int | None = None
    stage: str | None = None
    stage_rule: str | None = None


class Proposal(BaseModel):
    """A move the signals propose for a dispute, from ``month`` through ``through`` (a spell of months in which it
    holds), with the units and events it rests on."""

    dispute: str
    name: str
    phase: Literal["violent", "managed"]
    from_phase: str
    month: str
    through: str
    rule: str
    units: list[UnitMonth]
    events: list[dict[str, Any]] = []
    recorded: bool


def _readings(units: list[str], workspace: Path | None) -> pd.DataFrame:
    """Monthly deaths (and the dyads' stage and series) of these units: unit, kind, month, deaths, ..."""
    from prevdip.signals import admin1_panel, stage_panel

    dyads = stage_panel("dyad", workspace=workspace)
    dyads = dyads[dyads["unit"].isin(units)][["unit", "month", *DYAD_COLUMNS]].assign(kind="dyad")
    provinces = admin1_panel(workspace=workspace)
    provinces = provinces[provinces["unit"].isin(units)][["unit", "month", "cross_border_deaths", "event_deaths"]]
    provinces = provinces.assign(kind="province", deaths=provinces["cross_border_deaths"].fillna(0))
    return pd.concat([dyads, provinces.drop(columns="cross_border_deaths")], ignore_index=True)


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    return int(value) if isinstance(value, float) else value


def _unit_month(row: pd.Series) -> UnitMonth:
    return UnitMonth(
        unit=row["unit"],
        kind=row["kind"],
        deaths=int(row["deaths"]),
        event_deaths=_plain(row.get("event_deaths")),
        series_deaths=_plain(row.get("series_deaths")),
        conflict_year_deaths=_plain(row.get("cy_deaths")),
        stage=_plain(row.get("stage")),
        stage_rule=_plain(row.get("stage_rule")),
    )


def _fatal_events(unit: UnitMonth, month: date, workspace: Path | None) -> list[dict[str, Any]]:
    """The dyad's fatal events in the month, as the signals' evidence cites them (uid, source, date, deaths)."""
    if unit.kind != "dyad" or not unit.event_deaths:
        return []
    from prevdip.signals import signals_for

    cited = signals_for(unit.unit, month, workspace=workspace)["evidence"]
    keep = ("event_uid", "source", "date", "fatalities_best", "location")
    return [
        {key: e.get(key) for key in keep} | {"unit": unit.unit}
        for e in cited
        if e["kind"] == "event" and e.get("fatalities_best") and str(e.get("date")).startswith(f"{month:%Y-%m}")
    ]


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _proposal_in(dispute: DisputeView, frame: pd.DataFrame, month: date) -> tuple[str, list[UnitMonth]] | None:
    """The move the rules propose for ``dispute`` in ``month`` (and the units it rests on), if any."""
    phase = dispute.phase_on(month)
    if phase is None:
        return None
    now = frame[frame["month"] == pd.Timestamp(month)]
    fatal = [_unit_month(row) for _, row in now[now["deaths"] >= 1].iterrows()]
    if fatal and phase != "violent":
        return "violent", fatal
    if phase != "violent" or fatal:
        return None
    since = max(t.day for t in dispute.history if t.day < month and t.phase == "violent").replace(day=1)
    before = frame[(frame["month"] < pd.Timestamp(month)) & (frame["deaths"] >= 1)]["month"]
    if not before.empty:
        since = max(since, before.max().date())
    if _months_between(since, month) < QUIET_MONTHS:
        return None
    return "managed", [_unit_month(row) for _, row in now.iterrows()]


RULES = {
    "violent": "a death on the dispute's units in the month, while it was not violent",
    "managed": f"{QUIET_MONTHS} months in a row without a death on its units after violence",
}


def proposals(
    disputes: list[DisputeView],
    *,
    month: date | None = None,
    since: date | None = None,
    workspace: Path | None = None,
) -> list[Proposal]:
    """The moves the signals propose in ``month`` (default: the last month the signals cover), or in every month
    from ``since`` on (a spell of consecutive months proposing the same move is one proposal)."""
    units = sorted({code for d in disputes for code in [*d.units.dyads, *d.units.provinces]})
    frame = _readings(units, workspace)
    if frame.empty:
        return []
    last = frame["month"].max().date()
    first = since or month or last
    if first > last:
        raise RefusedInput(f"the signals end in {last:%Y-%m}", hint=f"ask for {last:%Y-%m} or earlier")
    months = [d.date() for d in pd.date_range(first, month or last, freq="MS")]
    found = []
    for dispute in disputes:
        own = frame[frame["unit"].isin([*dispute.units.dyads, *dispute.units.provinces])]
        found += [_proposal(dispute, spell, workspace) for spell in _spells(dispute, own, months)]
    return sorted(found, key=lambda p: (p.month, p.dispute))


Spell = tuple[date, date, str, list[UnitMonth]]


def _spells(dispute: DisputeView, frame: pd.DataFrame, months: list[date]) -> list[Spell]:
    """(first month, last month, phase, units of the first month) of each run of months proposing one move."""
    spells: list[Spell] = []
    running = False
    for day in months:
        move = _proposal_in(dispute, frame, day)
        if move is None:
            running = False
        elif running and spells[-1][2] == move[0]:
            spells[-1] = (spells[-1][0], day, move[0], spells[-1][3])
        else:
            spells.append((day, day, *move))
            running = True
    return spells


def _proposal(dispute: DisputeView, spell: Spell, workspace: Path | None) -> Proposal:
    first, last, phase, units = spell
    recorded = any(t.phase == phase and first <= t.day.replace(day=1) <= last for t in dispute.history)
    return Proposal(
        dispute=dispute.id,
        name=dispute.name.en,
        phase=phase,  # type: ignore[arg-type]
        from_phase=dispute.phase_on(first) or "",
        month=f"{first:%Y-%m}",
        through=f"{last:%Y-%m}",
        rule=RULES[phase],
        units=units,
        events=[e for u in units for e in _fatal_events(u, first, workspace)],
        recorded=recorded,
    )
