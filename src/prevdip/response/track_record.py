"""How a watch has done: the published backtest of P(crisis or worse) read at the warnings' own threshold.

A watch on forecast risk (:data:`~prevdip.response.warnings.DEFAULT_RISK_THRESHOLD`) is only as good as the
forecast behind it. The backtest of the ``stage-crisis`` target already scored that forecast on rolling origins;
read as alarms (:mod:`prevdip.forecast.alarms`) it says how often a watch was followed by crisis or war the next
month, what share of entries into crisis had one before them, and how often a calm unit-month drew a false alarm —
what an officer should know before acting on one, and what the centre weighs when it moves the threshold.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from prevdip.errors import RefusedInput
from prevdip.response.warnings import DEFAULT_RISK_THRESHOLD

HORIZON = "1"  # a watch is about next month
AlarmRow = dict[str, float | int | None]


class WatchRecord(BaseModel):
    """A watch's record at the warnings' threshold, and at the other thresholds beside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float
    origins: list[str] = Field(description="[first, last] origin month of the backtest")
    n_units: int
    at: AlarmRow | None = Field(description="the record at the warnings' threshold")
    rows: list[AlarmRow] = Field(
        description="per threshold: unit_origins, events, alarms, hits, precision, recall, false_alarm_rate"
    )


def watch_record(*, workspace: Path, threshold: float = DEFAULT_RISK_THRESHOLD) -> WatchRecord:
    """The alarm record of the published crisis backtest at ``threshold`` and beside it the other thresholds;
    refused (with what to run) when no such backtest is published or it predates the alarm record."""
    from prevdip.forecast import BEST_MODEL, CRISIS_TARGET, published_backtest

    data = published_backtest(workspace=workspace, target=CRISIS_TARGET)
    rows = (data.alarms or {}).get(BEST_MODEL, {}).get(HORIZON)
    if not rows:
        raise RefusedInput(
            "the published stage-crisis backtest has no alarm record",
            hint="run `prevdip backtest --target stage-crisis` again",
        )
    at = next((r for r in rows if r["threshold"] == threshold), None)
    return WatchRecord(threshold=threshold, origins=data.origins, n_units=data.n_units, at=at, rows=rows)
