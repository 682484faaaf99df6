"""Actions: what the centre did about a warning — a visit, a statement, consultations, good offices — with whom,
under which line of the Programme of Action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from typing_extensions import TypedDict  # pydantic reads a TypedDict in a model's field only from here on Python 3.11

from prevdip.response.ledger import Ledger
from prevdip.response.partners import find_partner, find_programme_item
from prevdip.response.raised import warnings_raised
from prevdip.response.vocabulary import ACTION_KINDS, INSTRUMENT_NAMES, choice, day, month, refuse, text, unit
from prevdip.store.models import Action


def _answering(when: Any, warning_month: date) -> date:
    """The action's date, refused when it precedes the month of the warning it answers."""
    done = day("date", when)
    if done < warning_month:
        raise refuse("date", f"{done} is before the warning month {warning_month:%Y-%m}", "an action answers a warning")
    return done


def add_action(
    ledger: Ledger,
    *,
    unit_code: Any,
    warning_month: Any,
    instrument: Any,
    kind: Any,
    when: Any,
    description: Any,
    programme_item: Any = None,
    partners: Sequence[Any] = (),
) -> Action:
    """Record an action answering the warning on ``unit_code`` in ``warning_month``."""
    unit_kind, code = unit("unit", unit_code)
    first = month("month", warning_month)
    done = _answering(when, first)
    action = Action(
        unit=code,
        unit_kind=unit_kind,
        month=first,
        instrument=choice("instrument", instrument, INSTRUMENT_NAMES),
        kind=choice("kind", kind, ACTION_KINDS),
        date=done,
        description=text("description", description),
        programme_item_id=None
        if programme_item in (None, "")
        else find_programme_item(ledger, "programme_item", programme_item).id,
    )
    action.partners = list({p.id: p for p in (find_partner(ledger, "partners", ref) for ref in partners)}.values())
    return ledger.add("action", action)


def action_from_warning(
    ledger: Ledger,
    unit_code: Any,
    warning_month: Any,
    *,
    kind: Any,
    when: Any,
    description: Any,
    instrument: Any = None,
    programme_item: Any = None,
    partners: Sequence[Any] = (),
    workspace: Path | None = None,
) -> Action:
    """Turn an open warning into an action in one call: its unit, month and instrument come from the warning.

    A unit-month without an open warning is refused (the centre may still record it with :func:`add_action`).
    """
    _, code = unit("unit", unit_code)
    first = month("month", warning_month)
    warning = next((w for w in warnings_raised(first, workspace=workspace) if w.unit == code), None)
    if warning is None:
        raise refuse(
            "unit",
            f"no open warning for {code} in {first:%Y-%m}",
            "record it without --from-warning, naming the instrument",
        )
    return add_action(
        ledger,
        unit_code=code,
        warning_month=first,
        instrument=instrument or warning.instrument,
        kind=kind,
        when=when,
        description=description,
        programme_item=programme_item,
        partners=partners,
    )


def list_actions(ledger: Ledger, *, unit_code: Any = None, since: date | None = None) -> list[Action]:
    """Actions, newest first, optionally for one unit."""
    query = select(Action).order_by(Action.date.desc(), Action.id.desc())
    if unit_code not in (None, ""):
        query = query.where(Action.unit == unit("unit", unit_code)[1])
    if since is not None:
        query = query.where(Action.date >= since)
    return list(ledger.session.scalars(query))


def update_action(
    ledger: Ledger,
    action_id: Any,
    *,
    description: Any = None,
    when: Any = None,
    kind: Any = None,
    partners: Sequence[Any] = (),
    expected_version: Any = None,
) -> Action:
    """Correct what was done, when, or its kind, and add partners; the unit, month and instrument stay as recorded
    (they say which warning the action answered — record another action for another warning). Refused when the
    action changed since it was read."""
    action = ledger.get(Action, "action", action_id)
    ledger.expect("action", action, expected_version)
    if all(v in (None, "") for v in (description, when, kind)) and not partners:
        raise refuse("description", "nothing to change", "give --description, --date, --kind or --partner")
    before = action.as_dict()
    if description not in (None, ""):
        action.description = text("description", description)
    if when not in (None, ""):
        done = day("date", when)
        if done < action.month:
            raise refuse(
                "date", f"{done} is before the warning month {action.month:%Y-%m}", "an action answers a warning"
            )
        action.date = done
    if kind not in (None, ""):
        action.kind = choice("kind", kind, ACTION_KINDS)
    added = [find_partner(ledger, "partners", ref) for ref in partners]
    action.partners = list({p.id: p for p in [*action.partners, *added]}.values())
    ledger.written("action", action, before)
    return action


class ActionRecord(TypedDict):
    """An action as recorded, as ``prevdip response action list --json`` shows it (its ``as_dict`` keys, in that
    order)."""

    id: int
    unit: str
    unit_kind: str
    month: str  # YYYY-MM: the month whose warning it answered
    instrument: str
    kind: str
    date: str  # YYYY-MM-DD
    description: str
    programme_item_id: int | None
    partners: list[str]
    version: int


def action_record(action: Action) -> ActionRecord:
    """The record of ``action``: its ``as_dict``, the one place its keys are written (the CLI, the audit log and the
    pages print it), read here under its type."""
    return cast(ActionRecord, action.as_dict())
