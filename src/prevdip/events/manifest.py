"""The lake's manifest: which committed runs — which files — readers see, replaced in one atomic step.

``lake/manifest.json`` lists every published run and the event files it added, by source, and the events page's
listing of that state (:mod:`prevdip.events.listing`)::

    {"format": 1, "runs": ["<run_id>", ...], "events": {"gdelt": ["events/source=gdelt/year=2015/<run>-0.parquet"]},
     "listing": "listing/<run_id>.parquet"}

An ingest renames its files into the lake first, where readers do not look for them yet, and then replaces the
manifest (written beside it, flushed, renamed over it): the one step that makes the whole run visible. A crash before
it leaves the lake as readers knew it; the next ingest finishes the run (:func:`prevdip.events.lake.recover`).

:func:`lake_state` is the one reader of it — ``events_relation``, ``series_relation``, the sharing checks, the events
page, ``backup`` all go through it — and :attr:`LakeState.stamp` changes exactly when what readers see changes, so
caches and vintages can key on it. A lake without a manifest (made by an older prevdip, or written by hand in the
documented layout) is read as before: every file in it counts; the next ingest writes its first manifest.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prevdip.catalogue import Workspace
from prevdip.durability import write_atomically
from prevdip.errors import RefusedInput

MANIFEST = "manifest.json"
FORMAT = 1

_cache: dict[Path, tuple[tuple[int, int, int, str], LakeState]] = {}
_guard = threading.Lock()


@dataclass(frozen=True)
class LakeState:
    """What readers may see of one lake: the committed runs' event files, the series, the page listing."""

    lake: Path
    runs: tuple[str, ...]
    events: Mapping[str, tuple[str, ...]]  # source -> event files, relative to the lake
    listing: str | None  # the page listing of exactly this state, relative to the lake
    stamp: str  # changes whenever what readers see changes
    managed: bool  # False: no manifest yet; every file in the documented layout counts

    def event_files(self, source: str | None = None) -> list[Path]:
        """The visible event files (of one source), in a stable order."""
        chosen = [source] if source is not None else sorted(self.events)
        return [self.lake / name for each in chosen for name in self.events.get(each, ())]

    def series_file(self, name: str) -> Path | None:
        """A series' file, or None before it was first ingested (series are replaced by one rename, so whole)."""
        path = self.lake / Workspace.SERIES / f"{name}.parquet"
        return path if path.is_file() else None

    def series_files(self) -> list[Path]:
        """Every series' file, by name."""
        return sorted((self.lake / Workspace.SERIES).glob("*.parquet"))

    def listing_file(self) -> Path | None:
        return None if self.listing is None else self.lake / self.listing


def lake_state(workspace: Path) -> LakeState:
    """The committed state of the workspace's lake, after finishing a restore a crash interrupted (which may have
    left the workspace under another name for a moment). A folder that is no workspace is refused
    (:func:`prevdip.store.require_workspace`), never read as an empty lake: events, signals, forecasts and the
    dashboard would otherwise answer "nothing happened" — or "ingest the bundle" — about a path that is wrong."""
    from prevdip.store import require_workspace

    lake = Workspace(require_workspace(workspace.resolve())).lake
    path = lake / MANIFEST
    series = _series_stats(lake)
    try:
        info = path.stat()
    except FileNotFoundError:
        return _unmanaged(lake, series)
    key = (info.st_ino, info.st_mtime_ns, info.st_size, series)
    with _guard:
        known = _cache.get(path)
    if known is not None and known[0] == key:
        return known[1]
    state = _parse(lake, path.read_bytes(), series)
    with _guard:
        _cache[path] = (key, state)
    return state


def _series_stats(lake: Path) -> str:
    """Size and time of each series file: a series run publishes by renaming its one file over the old one."""
    stats = []
    for path in sorted((lake / Workspace.SERIES).glob("*.parquet")):
        try:
            info = path.stat()
        except FileNotFoundError:  # replaced while listing: the next look sees the new one
            continue
        stats.append(f"{path.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stats)


def _parse(lake: Path, data: bytes, series: str) -> LakeState:
    try:
        document = json.loads(data)
        events = {str(source): tuple(str(f) for f in files) for source, files in document["events"].items()}
        runs, listing, version = tuple(document["runs"]), document.get("listing"), int(document["format"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RefusedInput(
            f"the lake's manifest {lake / MANIFEST} is damaged", hint="restore the workspace from a backup"
        ) from None
    if version > FORMAT:
        raise RefusedInput(f"the lake {lake} was written by a newer prevdip", hint="upgrade prevdip")
    stamp = hashlib.sha256(data + series.encode()).hexdigest()[:32]
    return LakeState(lake, runs, events, listing, stamp, managed=True)


def _unmanaged(lake: Path, series: str) -> LakeState:
    """A lake without a manifest: every file in the documented layout is visible."""
    events: dict[str, list[str]] = {}
    digest = hashlib.sha256(series.encode())
    for path in sorted((lake / Workspace.EVENTS).glob("source=*/year=*/*.parquet")):
        events.setdefault(path.parent.parent.name.removeprefix("source="), []).append(path.relative_to(lake).as_posix())
        info = path.stat()
        digest.update(f"{path.relative_to(lake)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    frozen = {source: tuple(files) for source, files in events.items()}
    return LakeState(lake, (), frozen, None, digest.hexdigest()[:32], managed=False)


# --- writing (only under the lake's writer lock: see prevdip.events.lake) -----------------------------------------


def publish_run(
    lake: Path, run_id: str, files: Iterable[str], *, listing: str | None, listing_known: bool
) -> LakeState:
    """Make a run's files (already renamed into the lake) visible, with the listing of the new state: one atomic
    replacement of the manifest. ``listing_known`` False means the run did not build one: the pages then read the
    lake itself until the next ingest rebuilds it. Publishing a run twice changes nothing."""
    state = lake_state(lake.parent)
    if run_id in state.runs:
        return state
    events = {source: list(names) for source, names in state.events.items()}
    added = sorted(files)
    for name in (n for n in added if n.startswith("events/")):
        listed = events.setdefault(name.split("/")[1].removeprefix("source="), [])
        if name not in listed:
            listed.append(name)
    if listing_known:
        chosen = listing
    else:
        chosen = None if any(n.startswith("events/") for n in added) else state.listing
    document = {"format": FORMAT, "runs": [*state.runs, run_id], "events": events, "listing": chosen}
    write_atomically(lake / MANIFEST, json.dumps(document, indent=0).encode("utf-8"))
    return lake_state(lake.parent)


def document_of(state: LakeState) -> dict[str, Any]:
    """The manifest of ``state`` as JSON (for a lake read without one, the manifest it would have)."""
    return {
        "format": FORMAT,
        "runs": list(state.runs),
        "events": {s: list(f) for s, f in state.events.items()},
        "listing": state.listing,
    }
