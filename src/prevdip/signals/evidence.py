"""One unit-month's signals: stage, instrument, trend, priority groups, indicators and the evidence behind them.

The evidence is what a desk officer needs to trust or challenge the stage: the rule that decided it with the
indicator values it tested against its threshold, the series figures that entered (and from which source), the
previous month for the trend, and the weightiest events of the newest month the lake holds events of the unit, up
to the month (with what the sources cover when those are older than the month).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from prevdip.errors import NotFound
from prevdip.events.coverage import lake_coverage, remedy
from prevdip.events.sharing import Audience, listable_sql
from prevdip.months import Month
from prevdip.signals.panels import GROUP_COLUMNS, GROUP_DEATH_COLUMNS
from prevdip.signals.reading import Board, board, resolve_unit
from prevdip.signals.stages import RULES_BY_ID
from prevdip.signals.taxonomy import PRIORITY_GROUPS

TOP_EVENTS = 5
_NOT_INDICATORS = {
    "unit",
    "month",
    "stage",
    "instrument",
    "trend",
    "stage_rule",
    "cy_interstate_dyad",
    *GROUP_COLUMNS,
    *GROUP_DEATH_COLUMNS,
}


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: NaN/NA → None, numpy numbers → int/float."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _row(frame: pd.DataFrame, unit: str, month: date) -> pd.Series:
    cell = frame[(frame["unit"] == unit) & (frame["month"] == pd.Timestamp(month))]
    if cell.empty:
        first, last = frame["month"].min(), frame["month"].max()
        raise NotFound(
            f"no data for {unit} in {month:%Y-%m}",
            hint=f"the panel covers {first:%Y-%m} to {last:%Y-%m} (the last month any source reaches)",
        )
    return cell.iloc[0]


def _rule_evidence(row: pd.Series) -> dict[str, Any]:
    rule = RULES_BY_ID[row["stage_rule"]]
    return {
        "kind": "rule",
        "rule": rule.id,
        "stage": rule.stage,
        "reason": rule.reason,
        "condition": rule.condition,
        "values": {name: _plain(row[name]) for name in rule.indicators},
    }


def _series_evidence(row: pd.Series, built: Board, kind: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    series_value = _plain(row["series_deaths"])
    note = (
        "both countries' monthly deaths, attributed to the dyad in a year UCDP records an interstate conflict "
        "between them"
        if kind == "dyad"
        else "UCDP best deaths in the country this month"
    )
    if series_value is None:
        note = (
            "the series has no value for this country: UCDP recorded no fatality there"
            if kind == "country"
            else "no interstate conflict year for the pair: the countries' deaths are not attributed to the dyad"
        )
    out.append(
        {
            "kind": "series",
            "series": "country_month_deaths",
            "source": built.origins.deaths_origin(pd.Timestamp(row["month"]).date()),
            "value": series_value,
            "note": note,
        }
    )
    if _plain(row["cy_deaths"]) is not None:
        out.append(
            {
                "kind": "series",
                "series": "conflict_years",
                "source": built.origins.conflict_years,
                "year": int(pd.Timestamp(row["month"]).year),
                "battle_deaths": _plain(row["cy_deaths"]),
                "intensity_level": _plain(row["cy_intensity"]),
                "interstate": bool(row["cy_interstate"]),
            }
        )
    return out


def _trend_evidence(frame: pd.DataFrame, row: pd.Series) -> dict[str, Any]:
    previous = frame[(frame["unit"] == row["unit"]) & (frame["month"] == row["month"] - pd.DateOffset(months=1))]
    before = previous.iloc[0] if not previous.empty else None
    return {
        "kind": "trend",
        "trend": row["trend"],
        "previous_month": None if before is None else f"{before['month']:%Y-%m}",
        "previous_stage": None if before is None else before["stage"],
        "previous_deaths": None if before is None else _plain(before["deaths"]),
        "deaths": _plain(row["deaths"]),
    }


def _event_evidence(built: Board, kind: str, unit: str, month: date, audience: Audience) -> list[dict[str, Any]]:
    """The weightiest events of the newest month, up to ``month``, in which the lake holds events of the unit that
    ``audience`` may see listed: the month's own when it has any, else the newest before it (a month past a source's
    coverage would otherwise cite nothing, and read as calm). A licence such as ACLED's keeps its rows in the centre;
    they still count in the cell's figures."""
    members = "country_members" if kind == "country" else "dyad_members"
    listable = "" if audience is Audience.centre else f"AND {listable_sql(audience, 'e.row_sharing', 'e.source')}"
    with built.lock:
        frame = built.con.execute(
            f"""
            WITH cited AS (
                SELECT m.month, e.* FROM {members} m JOIN enriched e USING (event_uid)
                WHERE m.unit = ? AND m.month <= ? {listable}
            )
            SELECT e.event_uid, e.source, strftime(e.date_start, '%Y-%m-%d') AS date, e.category, e.fatalities_best,
                e.goldstein, e.water_scale,
                e.actor1, e.actor2, e.location, e.description,
                (SELECT list(g.priority_group ORDER BY g.priority_group) FROM event_groups g
                    WHERE g.event_uid = e.event_uid) AS groups
            FROM cited e
            WHERE e.month = (SELECT max(month) FROM cited)
            ORDER BY coalesce(e.fatalities_best, 0) DESC, abs(coalesce(e.goldstein, 0)) DESC, e.event_uid
            LIMIT {TOP_EVENTS}
            """,
            [unit, month],
        ).df()
    events = []
    for rec in frame.to_dict("records"):
        groups = rec.pop("groups")
        events.append(
            {
                "kind": "event",
                **{str(k): _plain(v) for k, v in rec.items()},
                "groups": [] if groups is None else [str(g) for g in groups],
            }
        )
    return events


def _coverage_evidence(
    events: list[dict[str, Any]], month: date, workspace: Path | None, audience: Audience
) -> list[dict[str, Any]]:
    """When the month has no event of its own to cite: the month of the newest the lake holds (None without any),
    and the event sources whose data end before ``month`` (there, no event is "no data", not calm)."""
    newest = max((str(e["date"]) for e in events if e.get("date")), default=None)
    if newest is not None and newest[:7] == f"{month:%Y-%m}":
        return []
    ended = lake_coverage(workspace, audience).ended_before(month)
    return [
        {
            "kind": "coverage",
            "month": f"{month:%Y-%m}",
            "newest": None if newest is None else newest[:7],
            "ended": [
                {"source": source, "last_month": f"{span.last:%Y-%m}", "remedy": remedy(source)}
                for source, span in ended.items()
            ],
        }
    ]


def signals_for(
    unit: str, month: str | date, *, workspace: Path | None = None, audience: Audience = Audience.centre
) -> dict[str, Any]:
    """The reading of a country (ISO3) or border dyad (``A-B``) in a month (``YYYY-MM`` or a date), from the events
    ``audience`` may see."""
    kind, code = resolve_unit(unit)
    first = Month.parse(month).first_day if isinstance(month, str) else month.replace(day=1)
    built = board(workspace, audience)
    frame = built.country if kind == "country" else built.dyad
    row = _row(frame, code, first)
    groups = {g: int(row[f"pg_{g}"]) for g in PRIORITY_GROUPS}
    groups["unclassified"] = int(row["unclassified"])
    indicators = {c: _plain(row[c]) for c in frame.columns if c not in _NOT_INDICATORS}
    evidence = [
        _rule_evidence(row),
        *_series_evidence(row, built, kind),
        _trend_evidence(frame, row),
    ]
    events = _event_evidence(built, kind, code, first, audience)
    evidence += [*_coverage_evidence(events, first, workspace, audience), *events]
    return {
        "unit": code,
        "month": f"{first:%Y-%m}",
        "stage": row["stage"],
        "instrument": row["instrument"],
        "trend": row["trend"],
        "priority_groups": groups,
        "indicators": indicators,
        "evidence": evidence,
    }
