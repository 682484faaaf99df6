"""Heavy work in a worker process with a time and memory limit: it answers, or is stopped and says why."""

from __future__ import annotations

import multiprocessing
import operator
import time

import numpy as np
import pytest

from prevdip.errors import RefusedInput
from prevdip.gmcr import load_model
from prevdip.web._time_limit import OverTimeLimit, run_with_time_limit


def test_a_task_s_answer_comes_back() -> None:
    assert run_with_time_limit(operator.add, 2, 3, seconds=60) == 5


def test_a_task_s_refusal_comes_back_as_it_was_raised() -> None:
    with pytest.raises(RefusedInput, match="form"):
        run_with_time_limit(load_model, {"form": "nonsense"}, seconds=60)


def test_a_task_over_its_time_is_stopped_and_leaves_no_process() -> None:
    started = time.monotonic()
    with pytest.raises(OverTimeLimit) as stopped:
        run_with_time_limit(time.sleep, 30, seconds=0.5)
    assert stopped.value.why == "time" and time.monotonic() - started < 30
    assert not multiprocessing.active_children()


def test_a_task_over_its_memory_is_stopped() -> None:
    with pytest.raises(OverTimeLimit) as stopped:
        run_with_time_limit(np.ones, 2_000_000_000, seconds=60, memory_bytes=2 * 1024**3)  # 16 GB asked, 2 GB given
    assert stopped.value.why == "memory"


def test_a_worker_that_dies_is_reported_as_such() -> None:
    import os

    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        run_with_time_limit(os.abort, seconds=60)
