"""Did it work? Each action's unit on the conflict curve at the warning month and 1, 3 and 6 months after.

Said as what it is: an association. Stages move for many reasons besides the centre's work, and the centre acts
where things are worst, so every figure comes with the number of actions behind it and with a baseline — how often
*any* unit-month at the same stage improved over the same span, action or not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from typing_extensions import TypedDict  # pydantic reads a TypedDict in a model's field only from here on Python 3.11

from prevdip.response.actions import ActionRecord, action_record, list_actions
from prevdip.response.commitments import PartnerTally, kept_by_partner
from prevdip.response.ledger import Ledger
from prevdip.response.vocabulary import unit
from prevdip.signals import stage_panel
from prevdip.signals.stages import SEVERITY
from prevdip.store.models import Action

HORIZONS = (1, 3, 6)
OUTCOMES = ("improved", "held", "deteriorated")
CAVEAT = (
    "Association, not causation: a stage after an action is not the action's effect. Stages move for many reasons, "
    "and the centre acts where things are worst (which tends to improve anyway), so compare with the baseline: how "
    "often any unit-month at the same stage improved over the same span."
)


class BaseRate(TypedDict):
    """How often any unit-month at a stage improved some months later, and how many unit-months were observed."""

    unit_months: int
    improved_share: float | None


class StageAfter(TypedDict):
    """An action's unit some months after the warning month: its stage then, and the outcome against the start."""

    months_after: int
    month: str  # YYYY-MM
    stage: str | None
    outcome: str | None


class ActionReading(ActionRecord):
    """An action as recorded, with its unit's stage at the warning month and at each horizon after it."""

    stage: str | None
    after: list[StageAfter]


class HorizonSummary(TypedDict):
    """At one horizon: the outcomes of the actions observed so far, beside the baseline of any unit-month."""

    months_after: int
    actions: int
    not_yet_observed: int
    improved: int
    held: int
    deteriorated: int
    improved_share: float | None
    baseline_improved_share: float | None


class Review(TypedDict):
    """Did it work? The actions read on the conflict curve, a summary per horizon, and commitments per partner."""

    unit: str | None
    horizons: list[int]
    caveat: str
    actions: list[ActionReading]
    summary: list[HorizonSummary]
    commitments_by_partner: list[PartnerTally]


def outcome(before: str | None, after: str | None) -> str | None:
    """improved / held / deteriorated by the stage's severity; ``None`` when either month has no reading."""
    if before is None or after is None:
        return None
    change = SEVERITY[after] - SEVERITY[before]
    return "improved" if change < 0 else "deteriorated" if change > 0 else "held"


def _later(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class _Curve:
    """The stages of one kind of unit, with the base rates of change from each stage."""

    def __init__(self, panel: pd.DataFrame) -> None:
        self.stage: dict[tuple[str, date], str] = {
            (u, m.date()): s for u, m, s in zip(panel["unit"], panel["month"], panel["stage"], strict=True)
        }
        self._rates: dict[tuple[str, int], BaseRate] = {}

    def at(self, unit: str, month: date) -> str | None:
        return self.stage.get((unit, month))

    def base_rate(self, stage: str, months: int) -> BaseRate:
        """Share of all unit-months at ``stage`` that improved ``months`` later, and how many were observed."""
        key = (stage, months)
        if key not in self._rates:
            seen = [
                outcome(s, self.stage.get((u, _later(m, months))))
                for (u, m), s in self.stage.items()
                if s == stage and (u, _later(m, months)) in self.stage
            ]
            improved = sum(1 for o in seen if o == "improved")
            self._rates[key] = BaseRate(unit_months=len(seen), improved_share=improved / len(seen) if seen else None)
        return self._rates[key]


def _reading(action: Action, curve: _Curve) -> ActionReading:
    start = curve.at(action.unit, action.month)
    after = []
    for months in HORIZONS:
        when = _later(action.month, months)
        stage = curve.at(action.unit, when)
        after.append(StageAfter(months_after=months, month=f"{when:%Y-%m}", stage=stage, outcome=outcome(start, stage)))
    return ActionReading(**action_record(action), stage=start, after=after)


def _summary(readings: list[ActionReading], curves: dict[str, _Curve]) -> list[HorizonSummary]:
    rows = []
    for n, months in enumerate(HORIZONS):
        observed = [r for r in readings if r["after"][n]["outcome"] is not None]
        counts = {o: sum(1 for r in observed if r["after"][n]["outcome"] == o) for o in OUTCOMES}
        starts = [(r["unit_kind"], r["stage"]) for r in observed]  # an outcome is observed only from a known stage
        rates = [curves[kind].base_rate(stage, months)["improved_share"] for kind, stage in starts if stage is not None]
        known = [rate for rate in rates if rate is not None]
        rows.append(
            HorizonSummary(
                months_after=months,
                actions=len(observed),
                not_yet_observed=len(readings) - len(observed),
                improved=counts["improved"],
                held=counts["held"],
                deteriorated=counts["deteriorated"],
                improved_share=counts["improved"] / len(observed) if observed else None,
                baseline_improved_share=sum(known) / len(known) if known else None,
            )
        )
    return rows


def review(
    ledger: Ledger, *, unit_code: Any = None, workspace: Path | None = None, today: date | None = None
) -> Review:
    """Every action (or one unit's) with the stages after it, a summary per horizon and commitments per partner."""
    actions = list_actions(ledger, unit_code=unit_code)
    kinds = {a.unit_kind for a in actions}  # only the panels the actions need: none to read without actions
    curves = {kind: _Curve(stage_panel(kind, workspace=workspace)) for kind in kinds}  # type: ignore[arg-type]
    readings = [_reading(a, curves[a.unit_kind]) for a in reversed(actions)]
    return Review(
        unit=None if unit_code in (None, "") else unit("unit", unit_code)[1],
        horizons=list(HORIZONS),
        caveat=CAVEAT,
        actions=readings,
        summary=_summary(readings, curves),
        commitments_by_partner=kept_by_partner(ledger, today),
    )
