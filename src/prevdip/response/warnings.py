"""Early warnings: the unit-months of a staged panel that call for the centre's attention.

A warning is raised where the centre's instrument changes from peacetime diplomacy to something active: an
**alert** when a country or border dyad stands at crisis or war (crisis diplomacy, peacemaking), a **watch** when
it deteriorated this month, sits in unstable peace with events in a priority group, or when the forecast puts the
probability of crisis or worse next month at or above ``risk_threshold``. Each warning keeps the stage rule and
values that raised it, so the reader of a brief can check it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from prevdip.signals import AGENDA_ORDER, CRISIS_STAGES

DEFAULT_RISK_THRESHOLD = 0.25


@dataclass(frozen=True)
class EarlyWarning:
    """One open warning for a country or border dyad in a month."""

    unit: str
    kind: str  # "country" or "dyad"
    month: date
    level: str  # "alert" or "watch"
    stage: str
    trend: str
    instrument: str
    priority_groups: tuple[str, ...]
    reasons: tuple[str, ...]
    risk: float | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    #: ``reasons`` as codes and figures, ``(key, values)`` with a key of :data:`REASON_TEXT`, so a brief or a page
    #: can word them in its own language (``reasons`` stays the English wording, for the JSON's readers).
    reason_codes: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "kind": self.kind,
            "month": self.month.strftime("%Y-%m"),
            "level": self.level,
            "stage": self.stage,
            "trend": self.trend,
            "instrument": self.instrument,
            "priority_groups": list(self.priority_groups),
            "reasons": list(self.reasons),
            "risk": self.risk,
            "values": dict(self.values),
            "reason_codes": [{"key": key, "values": dict(values)} for key, values in self.reason_codes],
        }


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


def _reason_codes(
    row: Mapping[str, Any], risk: float | None, threshold: float
) -> tuple[tuple[str, dict[str, Any]], ...]:
    codes: list[tuple[str, dict[str, Any]]] = []
    if row["stage"] in CRISIS_STAGES:
        codes.append(("stage", {"stage": row["stage"], "rule": row.get("stage_rule", "?")}))
    if row["trend"] == "deteriorated":
        codes.append(("deteriorated", {}))
    if row["stage"] == "unstable_peace" and any((row.get(f"pg_{g}") or 0) > 0 for g in AGENDA_ORDER):
        codes.append(("unstable_with_events", {}))
    if risk is not None and risk >= threshold:
        codes.append(("risk", {"risk": risk, "threshold": threshold}))
    return tuple(codes)


def open_warnings(
    panel: pd.DataFrame,
    month: date,
    *,
    kind: str,
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
                reasons=tuple(REASON_TEXT[key].format(**said) for key, said in codes),
                risk=risk,
                values=values,
                reason_codes=codes,
            )
        )
    return sorted(warnings, key=lambda w: (w.level != "alert", w.unit))
