"""Who may read what: the audiences of the centre's outputs and the sharing tiers of field reports each may see.

The centre's monitors give every field report a sharing tier (``public``, ``governments`` or ``centre-internal``,
the lake's ``sharing`` column); published sources carry none (NULL: public data). Anything that leaves the centre
is written for an :class:`Audience`:

========== ======================================================
audience    sees
========== ======================================================
centre      everything
governments published sources, ``public`` and ``governments`` reports
public      published sources and ``public`` reports
========== ======================================================

This module is the one place that decides; the brief, the dashboard and ``prevdip events`` ask it
(:func:`visible_sql` inside a query, :func:`audience_workspace` for whole computations such as stages). It fails
closed: a tier outside the vocabulary is seen by nobody, and the **latest** version of a report decides — a report
reclassified as centre-internal disappears with all its earlier revisions, never falling back to an older, wider one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from prevdip.errors import RefusedInput


class Audience(StrEnum):
    """Who a page, list or brief is for."""

    centre = "centre"
    governments = "governments"
    public = "public"


#: The sharing tiers each audience may see; NULL (a published source) is seen by all.
TIERS: dict[Audience, tuple[str, ...]] = {
    Audience.centre: ("public", "governments", "centre-internal"),
    Audience.governments: ("public", "governments"),
    Audience.public: ("public",),
}


def audience(text: str | Audience) -> Audience:
    """``centre``, ``governments`` or ``public``; anything else is refused, naming the allowed values."""
    try:
        return Audience(text.strip().lower() if isinstance(text, str) else text)
    except ValueError:
        allowed = ", ".join(a.value for a in Audience)
        raise RefusedInput(f"unknown audience {text!r}", hint=f"use one of: {allowed}") from None


def may_see(reader: Audience, sharing: str | None) -> bool:
    """Whether ``reader`` may see an event with this sharing tier."""
    return sharing is None or sharing in TIERS[reader]


def visible_sql(reader: Audience, column: str = "sharing") -> str:
    """A SQL condition true for the rows ``reader`` may see (tiers are fixed words, never user text)."""
    tiers = ", ".join(f"'{tier}'" for tier in TIERS[reader])
    return f"({column} is null or {column} in ({tiers}))"


def hidden_reports(workspace: Path, reader: Audience) -> dict[str, set[str]]:
    """``{source: {source_event_id}}`` of the events whose latest version ``reader`` may not see."""
    import duckdb

    from prevdip.events.lake import event_files
    from prevdip.events.query import events_relation  # the lake's reader filters with this module: import late

    files = [str(f) for f in event_files(workspace)]
    if not files:
        return {}
    hide = f"not {visible_sql(reader)}"
    con = duckdb.connect()
    try:
        stored = con.read_parquet(files, union_by_name=True, hive_partitioning=False)
        if "sharing" not in stored.columns or not stored.filter(hide).limit(1).fetchall():
            return {}  # one column read: no version of anything is hidden (a lake of published sources)
        rows = events_relation(con, workspace=workspace).filter(hide).project("source, source_event_id").fetchall()
    finally:
        con.close()
    hidden: dict[str, set[str]] = {}
    for source, source_event_id in rows:
        hidden.setdefault(source, set()).add(source_event_id)
    return hidden


def tiers_of(events: Iterable[tuple[str, str]], workspace: Path) -> dict[str, str]:
    """The sharing tier of each ``(source, event_uid)`` that has one (field reports); published events are absent.

    Reads only the named sources' files, and an ``event_uid`` names one version, so no latest-version step is
    needed: this is how a list of events computed elsewhere (a signal's evidence) gets its badges.
    """
    import duckdb

    from prevdip.events.lake import event_files

    wanted = list(events)
    files = [str(f) for source in sorted({s for s, _ in wanted}) for f in event_files(workspace, source)]
    if not files:
        return {}
    con = duckdb.connect()
    try:
        stored = con.read_parquet(files, union_by_name=True, hive_partitioning=False)
        if "sharing" not in stored.columns:
            return {}
        stored.create_view("stored_events")
        rows = con.execute(
            "select event_uid, sharing from stored_events "
            "where sharing is not null and event_uid in (select unnest(?))",
            [[uid for _, uid in wanted]],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


_building = threading.Lock()


def audience_workspace(workspace: Path, reader: Audience) -> Path:
    """A workspace whose lake holds only what ``reader`` may see, for computations over the whole lake (stages,
    counts, evidence): run them on this workspace and nothing in their output can come from a hidden report.

    When nothing is hidden this is ``workspace`` itself. Otherwise it is a folder outside the workspace (so backups,
    the dashboard's cache and the cycle's freshness checks never see it) whose lake links every file that holds no
    hidden report and holds filtered copies of the others; it is rebuilt whenever a file of the lake changes.
    """
    workspace = workspace.resolve()
    hidden = hidden_reports(workspace, reader)
    if not hidden:
        return workspace
    from prevdip.events.lake import event_files, lake_root

    series = lake_root(workspace) / "series"
    events, aggregates = event_files(workspace), sorted(series.glob("*.parquet")) if series.is_dir() else []
    stamp = json.dumps([[str(f), f.stat().st_size, f.stat().st_mtime_ns] for f in [*events, *aggregates]])
    key = hashlib.sha256(f"{workspace}\n{reader}".encode()).hexdigest()[:16]
    home = Path(tempfile.gettempdir()) / f"prevdip-{os.getuid()}" / "audiences"
    target = home / key
    with _building:
        if _stamped(target, stamp):
            return target
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = Path(tempfile.mkdtemp(dir=home, prefix=f"{key}-"))
        _link(workspace, fresh, aggregates)
        _copy_visible(workspace, fresh, events, hidden)
        (fresh / "stamp.json").write_text(stamp, encoding="utf-8")
        stale = Path(tempfile.mkdtemp(dir=home, prefix=f"{key}-stale-"))
        try:
            if target.exists():
                target.rename(stale / "old")
            fresh.rename(target)
        except OSError:  # another process put its view in place meanwhile: use it if it is the same lake's
            shutil.rmtree(fresh, ignore_errors=True)
            if not _stamped(target, stamp):
                raise
        finally:
            shutil.rmtree(stale, ignore_errors=True)
    return target


def _stamped(view: Path, stamp: str) -> bool:
    marker = view / "stamp.json"
    return marker.is_file() and marker.read_text(encoding="utf-8") == stamp


def _link(workspace: Path, into: Path, files: Iterable[Path]) -> None:
    for original in files:
        link = into / original.relative_to(workspace)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(original)


def _copy_visible(workspace: Path, into: Path, files: Iterable[Path], hidden: dict[str, set[str]]) -> None:
    """Link each event file into ``into``; a file holding a hidden report (any revision) is copied without it."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    for original in files:
        source = original.parent.parent.name.removeprefix("source=")  # .../source=<source>/year=<yyyy>/<file>
        if source not in hidden:
            _link(workspace, into, [original])
            continue
        table = pq.read_table(original)
        gone = pc.is_in(table["source_event_id"], value_set=pa.array(sorted(hidden[source]), pa.string()))
        if not pc.any(gone).as_py():
            _link(workspace, into, [original])
            continue
        copy = into / original.relative_to(workspace)
        copy.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.filter(pc.invert(gone)), copy, compression="zstd")
