"""Pages are read far more often than the workspace changes: each page's answer is kept until the workspace's data
change (a new ingest run, forecast vintage or record), so a page costs a dictionary lookup once it has been built.

The workspace is stamped by the size and modification time of its files (walked at most every few seconds); any
change to them gives a new stamp, and with it fresh answers. The SQLite system of record in the workspace is left
out: the cached pages never read it, and it is written all the time while the dashboard serves (sessions seen,
reads audited), which would otherwise throw every page away every few seconds.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

RESTAMP_SECONDS = 2.0
SKIPPED = {"briefs", "gmcr", "attachments"}  # written by the dashboard itself; never read by the cached pages
RECORDS = ("prevdip.sqlite", "secret.key")  # the system of record (and its -wal, -shm, -journal) and the key

_stamps: dict[Path, tuple[float, tuple[Any, ...]]] = {}
_lock = threading.Lock()


def _walk(workspace: Path) -> tuple[Any, ...]:
    entries = []
    for root, dirs, names in os.walk(workspace):
        if Path(root) == workspace:
            dirs[:] = [d for d in dirs if d not in SKIPPED]
            names = [n for n in names if not n.startswith(RECORDS)]
        for name in names:
            try:
                info = os.stat(os.path.join(root, name))
            except FileNotFoundError:  # removed while walking: the next stamp sees it
                continue
            entries.append((root, name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


def workspace_stamp(workspace: Path) -> int:
    """A number that changes whenever a file of the workspace changes (re-walked at most every 2 s)."""
    now = time.monotonic()
    with _lock:
        known = _stamps.get(workspace)
    if known is None or now - known[0] > RESTAMP_SECONDS:
        known = (now, _walk(workspace))
        with _lock:
            _stamps[workspace] = known
    return hash(known[1])


def workspace_changed(workspace: Path) -> None:
    """Forget the workspace's stamp: the dashboard changed the workspace itself (a verified field report entered
    the lake), so the next page walks it again rather than serve what it cached up to 2 s before."""
    with _lock:
        _stamps.pop(workspace, None)


def while_workspace_unchanged(maxsize: int = 256) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a page service (hashable arguments, a ``workspace`` keyword) until the workspace changes."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        answers: OrderedDict[Any, R] = OrderedDict()
        guard = threading.Lock()

        @functools.wraps(service)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            workspace = kwargs["workspace"]
            assert isinstance(workspace, Path)
            key = (args, tuple(sorted(kwargs.items())), workspace_stamp(workspace))
            with guard:
                if key in answers:
                    answers.move_to_end(key)
                    return answers[key]
            answer = service(*args, **kwargs)
            with guard:
                answers[key] = answer
                while len(answers) > maxsize:
                    answers.popitem(last=False)
            return answer

        return cached

    return decorate
