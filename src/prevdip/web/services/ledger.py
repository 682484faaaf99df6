"""The response ledger's own pages: each list with its filters (and its CSV), the forms that add to it, and the
calendar of what is coming — the data each shows. The rules and refusals are the ledger's (:mod:`prevdip.response`,
the same ones ``prevdip response`` applies); a page only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from prevdip import response
from prevdip.errors import RefusedInput
from prevdip.response.ledger import Ledger
from prevdip.response.vocabulary import (
    ACTION_KINDS,
    BLOCK_GROUPS,
    COMMITMENT_STATUSES,
    GROUP_NAMES,
    INSTRUMENT_NAMES,
    PARTNER_KINDS,
    PROGRAMME_STATUSES,
    day,
    month,
)
from prevdip.store import Store


@contextmanager
def ledger(store: Store, who: str) -> Iterator[Ledger]:
    """One unit of work on the ledger in the name of ``who``: every write with its audit entry, or nothing."""
    with store.session() as session:
        yield Ledger(session, store.audit, who)


def _day(field: str, text: str | None) -> date | None:
    return day(field, text) if text else None


@dataclass(frozen=True)
class LedgerList:
    """One list of the ledger: its columns (CSV and table), and how it is read with the page's filters."""

    columns: tuple[str, ...]
    read: Callable[[Ledger, Mapping[str, str | None], date], Sequence[Mapping[str, Any]]]
    filters: tuple[str, ...] = ()


def _actions(led: Ledger, filters: Mapping[str, str | None], today: date) -> list[dict[str, Any]]:
    return [a.as_dict() for a in response.list_actions(led, unit_code=filters.get("unit"))]


def _meetings(led: Ledger, filters: Mapping[str, str | None], today: date) -> list[dict[str, Any]]:
    since, until = _day("since", filters.get("since")), _day("until", filters.get("until"))
    return [m.as_dict() for m in response.list_meetings(led, since=since, until=until)]


def _commitments(led: Ledger, filters: Mapping[str, str | None], today: date) -> list[response.CommitmentReport]:
    status, partner = filters.get("status"), filters.get("partner")
    if not status and not partner:
        return response.open_commitments(led, today=today)  # what is still to keep: late ones first
    return response.list_commitments(led, status=status, partner=partner, today=today)


def _programme(led: Ledger, filters: Mapping[str, str | None], today: date) -> list[dict[str, Any]]:
    return [p.as_dict() for p in response.list_programme(led, priority_group=filters.get("group") or None)]


def _partners(led: Ledger, filters: Mapping[str, str | None], today: date) -> list[dict[str, Any]]:
    return [p.as_dict() for p in response.list_partners(led, kind=filters.get("kind") or None)]


LISTS: dict[str, LedgerList] = {
    "actions": LedgerList(
        ("id", "date", "unit", "month", "instrument", "kind", "partners", "description"), _actions, ("unit",)
    ),
    "meetings": LedgerList(
        ("id", "date", "title", "place", "participants", "agenda_blocks", "outcome"), _meetings, ("since", "until")
    ),
    "commitments": LedgerList(
        ("id", "due", "status", "partner", "what", "action_id", "meeting_id", "recorded_status"),
        _commitments,
        ("status", "partner"),
    ),
    "programme": LedgerList(
        ("id", "priority_group", "title", "start_year", "end_year", "status"), _programme, ("group",)
    ),
    "partners": LedgerList(("id", "name", "kind", "country_iso3"), _partners, ("kind",)),
}

CHOICES = {
    "instruments": INSTRUMENT_NAMES,
    "action_kinds": ACTION_KINDS,
    "groups": GROUP_NAMES,
    "block_groups": BLOCK_GROUPS,  # an agenda block may gather the unattributed warnings (issue 16)
    "partner_kinds": PARTNER_KINDS,
    "programme_statuses": PROGRAMME_STATUSES,
    "commitment_statuses": COMMITMENT_STATUSES,
}


def list_page(
    store: Store,
    kind: str,
    filters: Mapping[str, str | None],
    today: date,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A ledger list with its filters, the partners, meetings and actions its forms refer to, and — after a
    refused form — what was typed and why it was refused."""
    chosen = LISTS[kind]
    shown = {name: filters.get(name) for name in chosen.filters}
    with ledger(store, "dashboard") as led:
        rows = chosen.read(led, shown, today)
    partners, programme = _named(store)
    return {
        "kind": kind,
        "filters": shown,
        "columns": list(chosen.columns),
        "count": len(rows),
        "rows": rows,
        "today": today.isoformat(),
        "partners": partners,
        "programme": programme,
        "choices": {k: list(v) for k, v in CHOICES.items()},
        "values": dict(values or {}),
        "errors": dict(errors or {}),
    }


def _named(store: Store) -> tuple[list[str], list[str]]:
    """The partners' names and the programme's titles the forms offer."""
    with ledger(store, "dashboard") as led:
        return [p.name for p in response.list_partners(led)], [p.title for p in response.list_programme(led)]


def action_form(
    store: Store,
    workspace: Any,
    unit: str | None,
    warning_month: str | None,
    *,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The form of an action answering a warning: its unit, month and instrument taken from the open warning."""
    prefilled: dict[str, Any] = {"unit": unit or "", "month": warning_month or "", "instrument": "", "date": ""}
    if unit and warning_month:
        raised = response.warnings_raised(month("month", warning_month), workspace=workspace)
        found = next((w for w in raised if w.unit == unit.strip().upper()), None)
        if found is not None:
            prefilled |= {"instrument": found.instrument, "warning": found.as_dict()}
    partners, programme = _named(store)
    return {
        "values": prefilled | dict(values or {}),
        "errors": dict(errors or {}),
        "partners": partners,
        "programme": programme,
        "choices": {k: list(v) for k, v in CHOICES.items()},
    }


def meeting_form(
    store: Store,
    workspace: Any,
    agenda_from: str | None,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The form of a meeting: its agenda blocks proposed from the month's warnings (to edit, drop or add to),
    participants from the partners, the outcome once it was held."""
    blocks: list[response.BlockDraft] = []
    refused = None
    if agenda_from:
        try:
            blocks = response.proposed_blocks(agenda_from, workspace=workspace)
        except RefusedInput as none:
            refused = str(none)
    partners, _ = _named(store)
    shown = dict(values or {})
    return {
        "agenda_from": agenda_from,
        "no_blocks": refused,
        "values": shown or {"blocks": blocks, "participants": []},
        "errors": dict(errors or {}),
        "partners": partners,
        "choices": {k: list(v) for k, v in CHOICES.items()},
    }
