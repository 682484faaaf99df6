"""Rolling-origin splits over a unit × month panel, in scikit-learn's splitter protocol.

Each split trains on every row whose *target* is already observed at the origin — feature month ≤ origin − h,
the gap of one horizon — and tests on the rows at the origins of its block. The window expands; nothing is ever
shuffled. ``refit_every`` groups consecutive origins into one block so a model is refitted, say, yearly (the
VIEWS practice) rather than every month: a stale model never sees the future, it only sees less of the past.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd


class PanelTimeSplit:
    """Expanding-window, rolling-origin splitter; ``X`` must carry an integer ``month`` column (the origin row)."""

    def __init__(
        self, *, origins: Sequence[int], horizon: int, refit_every: int = 1, anchor: int = 0, min_train_month: int = 0
    ) -> None:
        self.origins = origins
        self.horizon = horizon
        self.refit_every = refit_every
        self.anchor = anchor
        self.min_train_month = min_train_month

    def blocks(self) -> list[list[int]]:
        """The origins, sorted, grouped by ``(origin − anchor) // refit_every`` (anchor a January: calendar years)."""
        if self.horizon < 1 or self.refit_every < 1:
            raise ValueError("horizon and refit_every must be ≥ 1")
        groups: dict[int, list[int]] = {}
        for origin in sorted(set(self.origins)):
            groups.setdefault((origin - self.anchor) // self.refit_every, []).append(origin)
        return list(groups.values())

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return len(self.blocks())

    def split(self, X: pd.DataFrame, y: Any = None, groups: Any = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        month = np.asarray(X["month"])
        for block in self.blocks():
            last_target = block[0]
            train = np.flatnonzero((month >= self.min_train_month) & (month <= last_target - self.horizon))
            test = np.flatnonzero(np.isin(month, block))
            yield train, test
