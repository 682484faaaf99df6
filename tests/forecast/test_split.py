"""PanelTimeSplit: rolling origins, expanding window, a gap of one horizon, never shuffled."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import BaseCrossValidator

from prevdip.forecast import PanelTimeSplit
from prevdip.forecast.features import training_rows


@settings(max_examples=40, deadline=None)
@given(
    origins=st.lists(st.integers(30, 120), min_size=1, max_size=30, unique=True),
    horizon=st.integers(1, 12),
    refit_every=st.integers(1, 12),
)
def test_no_training_target_lies_after_its_block_origin(origins: list[int], horizon: int, refit_every: int) -> None:
    rows = training_rows(3, 0, 130)
    month = rows["month"].to_numpy()
    split = PanelTimeSplit(origins=origins, horizon=horizon, refit_every=refit_every)
    seen: list[int] = []
    previous_train = -1
    for train, test in split.split(rows):
        block = sorted(set(month[test]))
        assert month[train].max() + horizon <= min(block)  # every training target is observed at the origin
        assert len(train) >= previous_train  # the window expands
        assert list(train) == sorted(train)  # never shuffled
        previous_train = len(train)
        seen += block
    assert seen == sorted(origins)
    assert split.get_n_splits() == len(split.blocks())


def test_yearly_blocks_follow_calendar_years() -> None:
    split = PanelTimeSplit(origins=range(10, 40), horizon=1, refit_every=12)
    assert [b[0] for b in split.blocks()] == [10, 12, 24, 36]


def test_splitter_protocol_is_scikit_learns() -> None:
    split = PanelTimeSplit(origins=[50, 51], horizon=3)
    assert split.get_n_splits() == 2
    rows = pd.DataFrame({"month": np.arange(60)})
    folds = list(split.split(rows))
    assert [list(test) for _, test in folds] == [[50], [51]]
    assert not isinstance(split, BaseCrossValidator) or hasattr(split, "split")
