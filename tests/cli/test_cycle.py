"""``prevdip cycle``: the monthly cycle for a timer — one at a time (a lock), and a clear refusal of a bad month."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.cycle import LOCK_FILE, cycle_lock, run_cycle
from prevdip.errors import RefusedInput

runner = CliRunner()


def test_a_second_cycle_is_told_another_is_running(workspace: Path) -> None:
    with cycle_lock(workspace):
        assert (workspace / LOCK_FILE).is_file()
        with pytest.raises(RefusedInput, match="another cycle is running"):
            run_cycle(wait=False)
        result = runner.invoke(app, ["cycle", "--no-wait"])
    assert result.exit_code == 2 and "another cycle is running" in result.output


def test_a_second_cycle_waits_for_the_first(workspace: Path) -> None:
    held = threading.Event()
    order: list[str] = []

    def first() -> None:
        with cycle_lock(workspace):
            held.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    waited: list[bool] = []
    with cycle_lock(workspace, waiting=lambda: waited.append(True)):
        order.append("second in")
    thread.join()
    assert waited == [True] and order == ["first done", "second in"]
    with cycle_lock(workspace, wait=False):  # released: a later cycle is not refused
        pass


def test_a_month_that_is_not_a_month_is_refused(workspace: Path) -> None:
    result = runner.invoke(app, ["cycle", "--month", "May 2026"])
    assert result.exit_code == 2 and "is not YYYY-MM" in result.output
