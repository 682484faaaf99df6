"""Who may read what: the audiences of the centre's outputs and the sharing tiers of field reports each may see.

The centre's monitors give every field report a sharing tier (``public``, ``governments``, ``partners`` or
``centre-internal``, the lake's ``sharing`` column); published sources carry none (NULL: public data). Anything
that leaves the centre is written for an :class:`Audience`:

=========== ======================================================
audience    sees
=========== ======================================================
centre      everything
governments published sources, ``public`` and ``governments`` reports
partners    published sources, ``public`` and ``partners`` reports (the partner organisations)
public      published sources and ``public`` reports
=========== ======================================================

Governments and partners are beside each other, not above: neither sees the other's tier. The dashboard gives each
signed-in reader the audience of their role (:mod:`prevdip.accounts.roles`); :func:`narrows` says which audiences a
reader may ask for instead (only ones that see no more than their own).

This module is the one place that decides; the lake's reader asks it (``events_relation(..., audience=...)``), and
through it the signals board a brief is staged on, the dashboard's event lists and ``prevdip events``. It fails
closed: a tier outside the vocabulary is seen by nobody, and the **latest** version of a report decides — a report
reclassified as centre-internal disappears with all its earlier revisions, never falling back to an older, wider one.

A second, different rule covers *rows*: a source's licence may forbid passing its rows on while its numbers may be
shared (ACLED: see :mod:`prevdip.events.licences`). Each event carries its licence's row tier (``row_sharing``,
stored at ingest); :func:`listable_sql` keeps the rows an audience may see listed — event lists and exports ask
for it (``events_relation(..., rows=True)``), counts and stages do not.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from prevdip.errors import RefusedInput


class Audience(StrEnum):
    """Who a page, list or brief is for."""

    centre = "centre"
    governments = "governments"
    partners = "partners"
    public = "public"


#: The sharing tiers each audience may see; NULL (a published source) is seen by all.
TIERS: dict[Audience, tuple[str, ...]] = {
    Audience.centre: ("public", "governments", "partners", "centre-internal"),
    Audience.governments: ("public", "governments"),
    Audience.partners: ("public", "partners"),
    Audience.public: ("public",),
}


def audience(text: str | Audience) -> Audience:
    """``centre``, ``governments``, ``partners`` or ``public``; anything else is refused, naming the allowed
    values."""
    try:
        return Audience(text.strip().lower() if isinstance(text, str) else text)
    except ValueError:
        allowed = ", ".join(a.value for a in Audience)
        raise RefusedInput(f"unknown audience {text!r}", hint=f"use one of: {allowed}") from None


def narrows(asked: Audience, reader: Audience) -> bool:
    """Whether ``asked`` sees nothing ``reader`` may not: the audiences a reader may preview (an officer the
    governments' brief), never one that would widen what they see."""
    return set(TIERS[asked]) <= set(TIERS[reader])


def may_see(reader: Audience, sharing: str | None) -> bool:
    """Whether ``reader`` may see an event with this sharing tier."""
    return sharing is None or sharing in TIERS[reader]


def visible_sql(reader: Audience, column: str = "sharing") -> str:
    """A SQL condition true for the rows ``reader`` may see (tiers are fixed words, never user text)."""
    tiers = ", ".join(f"'{tier}'" for tier in TIERS[reader])
    return f"({column} is null or {column} in ({tiers}))"


def hides_anything(workspace: Path, reader: Audience) -> bool:
    """Whether any stored version of any event is one ``reader`` may not see — one column read, so that views for
    an audience can be shared with the centre's own when a lake of published sources hides nothing. Conservative:
    a report whose *older* revision was hidden counts, so the answer errs towards filtering."""
    import duckdb

    from prevdip.events.manifest import lake_state

    if reader is Audience.centre:
        return False
    files = [
        str(f) for f in lake_state(workspace).event_files()
    ]  # every source: fail closed if another one gains tiers
    if not files:
        return False
    con = duckdb.connect()
    try:
        stored = con.read_parquet(files, union_by_name=True, hive_partitioning=False)
        if "sharing" not in stored.columns:
            return False
        return bool(stored.project("sharing").filter(f"not {visible_sql(reader)}").limit(1).fetchall())
    finally:
        con.close()


def tiers_of(events: Iterable[tuple[str, str]], workspace: Path) -> dict[str, str]:
    """The sharing tier of each ``(source, event_uid)`` that has one (field reports); published events are absent.

    Reads only the named sources' files, and an ``event_uid`` names one version, so no latest-version step is
    needed: this is how a list of events computed elsewhere (a signal's evidence) gets its badges.
    """
    import duckdb

    from prevdip.events.manifest import lake_state

    wanted = list(events)
    files = [str(f) for source in sorted({s for s, _ in wanted}) for f in lake_state(workspace).event_files(source)]
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


def may_list(reader: Audience, row_sharing: str | None, source: str) -> bool:
    """Whether ``reader`` may see an event of ``source`` *listed* (its fields verbatim), by its licence's row tier."""
    return _row_tier(row_sharing, source) in TIERS[reader]


def _row_tier(row_sharing: str | None, source: str) -> str:
    from prevdip.events.licences import licences

    known = licences().get(source)
    return row_sharing or (known.rows if known else "centre-internal")


def listable_sql(reader: Audience, column: str = "row_sharing", source: str = "source") -> str:
    """A SQL condition true for the rows ``reader`` may see listed. A row stored before the column existed takes its
    source's tier from the registry; an unknown source is centre-internal (fail closed)."""
    from prevdip.events.licences import licences

    cases = " ".join(f"WHEN '{name}' THEN '{licence.rows}'" for name, licence in licences().items())
    tiers = ", ".join(f"'{tier}'" for tier in TIERS[reader])
    return f"(coalesce({column}, CASE {source} {cases} ELSE 'centre-internal' END) IN ({tiers}))"
