"""How a warning threshold would have done: the backtest read as alarms, so the centre knows what a watch means.

A watch is raised when the forecast puts P(crisis or worse next month) at or above a threshold (25 % by default,
:mod:`prevdip.response.warnings`) for a unit that is not already there. Read from the backtest, each threshold
gives the alarms it would have raised among such units, how many were followed by the event (precision), what
share of the events had an alarm before them (recall: the warnings the centre would have missed are the rest),
and the share of quiet unit-months that drew a false alarm. The same reading applies to the deaths target, where
the event is a death in a unit with none at the origin. Threshold choice is the centre's trade-off between
missed crises and alarms that cry wolf; these figures put numbers on it instead of a judgement call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from prevdip.forecast.scoring import Scored

THRESHOLDS = (0.1, 0.25, 0.5)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def alarm_record(values: np.ndarray, scored: Scored, thresholds: Sequence[float] = THRESHOLDS) -> list[dict[str, Any]]:
    """Per threshold, among unit-origins without the event at the origin: alarms, hits, precision, recall and the
    false-alarm rate for the event at origin + h."""
    calm = values[scored.unit, scored.origin] <= 0  # not already in the state a warning is about
    event, p = scored.observed[calm] > 0, scored.p_positive[calm]
    record = []
    for threshold in thresholds:
        alarm = p >= threshold
        hits = int((alarm & event).sum())
        record.append(
            {
                "threshold": float(threshold),
                "unit_origins": int(calm.sum()),
                "events": int(event.sum()),
                "alarms": int(alarm.sum()),
                "hits": hits,
                "precision": _share(hits, int(alarm.sum())),
                "recall": _share(hits, int(event.sum())),
                "false_alarm_rate": _share(int((alarm & ~event).sum()), int((~event).sum())),
            }
        )
    return record
