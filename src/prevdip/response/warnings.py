"""Early warnings: the unit-months of a staged panel that call for the centre's attention.

A warning is raised where the centre's instrument changes from peacetime diplomacy to something active: an
**alert** when a country or border dyad stands at crisis or war (crisis diplomacy, peacemaking), a **watch** when
it deteriorated this month, sits in unstable peace with events in a priority group, or when the forecast puts the
probability of crisis or worse next month at or above ``risk_threshold``. Each warning keeps the stage rule and
values that raised it, so the reader of a brief can check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_serializer

from prevdip.signals import AGENDA_ORDER, CRISIS_STAGES, Kind

DEFAULT_RISK_THRESHOLD = 0.25
Scalar = int | float | str | bool | None


class ReasonCode(BaseModel):
    """Why a warning was raised, as a key of :data:`REASON_TEXT` and its figures (worded by each brief or page)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    values: dict[str, Scalar]


class EarlyWarning(BaseModel):
    """One open warning for a country or border dyad in a month."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str
    kind: Kind
    month: date = Field(description="YYYY-MM")
    level: Literal["alert", "watch"]
    stage: str
    trend: str
    instrument: str
    priority_groups: tuple[str, ...]
    reasons: tuple[str, ...] = Field(description="in English, for the JSON's readers; reason_codes for wording")
    risk: float | None = Field(None, description="forecast P(crisis or worse) next month, when one is frozen")
    values: dict[str, int | float] = Field(default_factory=dict, description="deaths, deaths_12m, events")
    reason_codes: tuple[ReasonCode, ...] = ()

    @field_serializer("month")
    def _month(self, month: date) -> str:
        return month.strftime("%Y-%m")

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a warning."""
        return self.model_dump(mode="json")


def _groups(row: Mapping[str, Any], kind: str) -> tuple[str, ...]:
    active = tuple(g for g in AGENDA_ORDER if (row.get(f"pg_{g}") or 0) > 0)
    if active:
        return active
    # A dyad's fatal month with no classified event is still an interstate matter; a country's is instability.
    return ("border_disputes",) if kind == "dyad" else ("internal_instability",)


#: The English wording of each reason code; the catalogues word them again under ``[warning_reason]``.
REASON_TEXT = {
    "stage": "stage {stage} (rule {rule})",
    "deteriorated": "deteriorated since last month",
    "unstable_with_events": "unstable peace with events in a priority group",
    "risk": "forecast P(crisis or worse) next month {risk:.0%} ≥ {threshold:.0%}",
}


def _reason_codes(row: Mapping[str, Any], risk: float | None, threshold: float) -> tuple[ReasonCode, ...]:
    codes: list[ReasonCode] = []
    if row["stage"] in CRISIS_STAGES:
        codes.append(ReasonCode(key="stage", values={"stage": row["stage"], "rule": row.get("stage_rule", "?")}))
    if row["trend"] == "deteriorated":
        codes.append(ReasonCode(key="deteriorated", values={}))
    if row["stage"] == "unstable_peace" and any((row.get(f"pg_{g}") or 0) > 0 for g in AGENDA_ORDER):
        codes.append(ReasonCode(key="unstable_with_events", values={}))
    if risk is not None and risk >= threshold:
        codes.append(ReasonCode(key="risk", values={"risk": risk, "threshold": threshold}))
    return tuple(codes)


def open_warnings(
    panel: pd.DataFrame,
    month: date,
    *,
    kind: Kind,
    risks: Mapping[str, float] | None = None,
    risk_threshold: float = DEFAULT_RISK_THRESHOLD,
) -> list[EarlyWarning]:
    """The warnings of ``month`` in a staged panel (columns unit, month, stage, trend, instrument, pg_*...).

    ``risks`` maps unit → forecast P(stage ≥ crisis) next month; units without one are judged on signals alone.
    Alerts come first, then watches, each by unit.
    """
    rows = panel[pd.to_datetime(panel["month"]) == pd.Timestamp(month)]
    warnings = []
    records: list[dict[str, Any]] = rows.to_dict("records")  # type: ignore[assignment]
    for row in records:
        risk = (risks or {}).get(row["unit"])
        codes = _reason_codes(row, risk, risk_threshold)
        if not codes:
            continue
        values: dict[str, Any] = {
            k: row[k] for k in ("deaths", "deaths_12m", "events") if k in row and pd.notna(row[k])
        }
        warnings.append(
            EarlyWarning(
                unit=row["unit"],
                kind=kind,
                month=month,
                level="alert" if row["stage"] in CRISIS_STAGES else "watch",
                stage=row["stage"],
                trend=row["trend"],
                instrument=row["instrument"],
                priority_groups=_groups(row, kind),
                reasons=tuple(REASON_TEXT[code.key].format(**code.values) for code in codes),
                risk=risk,
                values=values,
                reason_codes=codes,
            )
        )
    return sorted(warnings, key=lambda w: (w.level != "alert", w.unit))
