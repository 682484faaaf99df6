"""Pages are read far more often than the workspace changes: each page's answer is kept until the data behind it
change (a new ingest run, a frozen vintage, a published backtest), so a page costs a dictionary lookup once it has
been built.

The data are stamped by the lake's provenance stamp (:func:`prevdip.events.lake_stamp`) and the forecast domain's
stamp of what it has published (:func:`prevdip.forecast.published_stamp`), re-read at most every few seconds; any
change to them gives a new stamp, and with it fresh answers. Records of the system of record (the response ledger)
are not stamped: the pages that show them are not cached.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prevdip.events import lake_stamp
from prevdip.forecast import published_stamp

P = ParamSpec("P")
R = TypeVar("R")

RESTAMP_SECONDS = 2.0

_stamps: dict[Path, tuple[float, tuple[str, str]]] = {}
_lock = threading.Lock()
_restamping: set[Path] = set()  # workspaces one reader is stamping now


def workspace_stamp(workspace: Path) -> tuple[str, str]:
    """The stamps of the lake and of the published forecasts (re-read at most every 2 s, by one reader at a time:
    the others keep the stamp they know meanwhile rather than all walk the lake at once)."""
    now = time.monotonic()
    with _lock:
        known = _stamps.get(workspace)
        fresh = known is not None and now - known[0] <= RESTAMP_SECONDS
        if known is not None and not fresh and workspace in _restamping:
            return known[1]  # another reader is re-reading it
        if not fresh:
            _restamping.add(workspace)
    if fresh and known is not None:
        return known[1]
    try:
        known = (now, (lake_stamp(workspace).digest, published_stamp(workspace).digest))
    finally:
        with _lock:
            _restamping.discard(workspace)
    with _lock:
        _stamps[workspace] = known
    return known[1]


def workspace_changed(workspace: Path) -> None:
    """Forget the workspace's stamp: the dashboard changed the workspace itself (a verified field report entered
    the lake), so the next page walks it again rather than serve what it cached up to 2 s before."""
    with _lock:
        _stamps.pop(workspace, None)


def while_workspace_unchanged(maxsize: int = 256) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a page service (hashable arguments, a ``workspace`` keyword) until the workspace's data change."""

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
