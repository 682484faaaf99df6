"""Heavy work for a page, done in a separate process with a time and memory limit.

A thread would not do: pure-Python analysis holds the interpreter lock, so the server would still stall, and a
thread cannot be stopped when it runs too long. A process can: it answers within ``seconds`` or is killed, and
the page says so instead of the server hanging. Processes come from a fork server (started once, with the
analysis modules already imported), so each task costs a fork, not a fresh interpreter.

The task is any importable function; what it returns or raises comes back pickled (an exception that cannot be
pickled comes back as :class:`RuntimeError` with its text). As with any multiprocessing, a script that calls this
must guard its own work with ``if __name__ == "__main__":`` (the server's entry points do).
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from collections.abc import Callable
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
# Imported once by the fork server, so that a worker starts with them: the dashboard (a task's function is found
# through its module, and importing anything under prevdip.web imports the app), the command line, whose script
# multiprocessing runs again in every worker as its main module (cheap once its imports are there), and the domains
# whose work is sent to workers (the dashboard imports them only when first asked).
PRELOAD = ["prevdip.web", "prevdip.cli.app", "prevdip.gmcr"]


class OverTimeLimit(Exception):
    """The task did not finish within its time limit (or ran out of its memory) and was stopped."""

    def __init__(self, seconds: float, why: str = "time") -> None:
        self.seconds = seconds
        self.why = why
        super().__init__(f"stopped: over the {why} limit ({seconds:g} s)")


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


_warming: list[threading.Thread] = []
_warming_lock = threading.Lock()


def warm_up() -> None:
    """Start the fork server in the background, once: the first task then need not wait for its imports."""
    with _warming_lock:
        if _warming:
            return
        _context()
        _warming.append(threading.Thread(target=forkserver.ensure_running, name="fork-server", daemon=True))
    _warming[0].start()


def run_with_time_limit(task: Callable[..., T], *args: Any, seconds: float, memory_bytes: int | None = None) -> T:
    """``task(*args)`` in a separate process; :class:`OverTimeLimit` when it takes longer than ``seconds`` or runs out
    of ``memory_bytes`` of address space; :class:`RuntimeError` when the worker dies another way."""
    context = _context()
    reader, writer = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(writer, task, args, memory_bytes), daemon=True)
    worker.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            raise OverTimeLimit(seconds)
        outcome, payload = reader.recv()
    except EOFError:  # the worker ended without answering
        worker.join()
        if worker.exitcode == 0:  # it caught MemoryError under its limit and left quietly
            raise OverTimeLimit(seconds, why="memory") from None
        raise RuntimeError(f"the worker stopped unexpectedly (exit code {worker.exitcode})") from None
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        reader.close()
    if outcome == "raised":
        raise payload
    return payload  # type: ignore[no-any-return]


def _work(writer: Connection, task: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int | None) -> None:
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        answer: tuple[str, Any] = ("returned", task(*args))
    except MemoryError:
        return  # the parent reads end-of-file and reports the memory limit
    except Exception as problem:
        answer = ("raised", problem)
    try:
        writer.send(answer)
    except Exception as unpicklable:
        writer.send(("raised", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({unpicklable})")))
    finally:
        writer.close()
