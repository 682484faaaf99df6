"""The ledger's words and the checks at its boundary: every refusal names the field and what would be accepted.

Instruments and priority groups are the signals domain's own (the stage ladder and the taxonomy), so an action
is recorded in the same words the warning was raised in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from prevdip.errors import NotFound, RefusedInput
from prevdip.months import Month
from prevdip.signals import INSTRUMENTS, PRIORITY_GROUPS, resolve_unit

PARTNER_KINDS = ("government", "un_agency", "regional_organisation", "ngo", "donor")
ACTION_KINDS = (
    "visit",
    "statement",
    "consultation",
    "meeting",
    "training",
    "good_offices",
    "mediation",
    "early_warning_note",
    "other",
)
PROGRAMME_STATUSES = ("planned", "ongoing", "completed", "dropped")
COMMITMENT_STATUSES = ("open", "kept", "late", "dropped")
INSTRUMENT_NAMES: tuple[str, ...] = tuple(dict.fromkeys(INSTRUMENTS.values()))
GROUP_NAMES: tuple[str, ...] = PRIORITY_GROUPS


def refuse(field: str, problem: str, hint: str) -> RefusedInput:
    """A refusal whose message starts with the field it is about."""
    return RefusedInput(f"{field}: {problem}", hint=hint)


def choice(field: str, value: Any, allowed: Iterable[str]) -> str:
    """``value`` if it is one of ``allowed`` (spaces and dashes read as underscores, any case)."""
    options = tuple(allowed)
    word = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if word not in options:
        raise refuse(field, f"unknown value {value!r}", f"use one of: {', '.join(options)}")
    return word


def text(field: str, value: Any, *, limit: int | None = None) -> str:
    """A non-empty line of text (stripped), at most ``limit`` characters, without NUL (which PostgreSQL cannot
    store: refused on both backends alike, see :mod:`prevdip.store._text`)."""
    said = str(value or "").strip() if not isinstance(value, int | float) else str(value)
    if not said:
        raise refuse(field, "is empty", "say it in a few words")
    if "\x00" in said:
        raise refuse(field, "holds a NUL character (\\x00)", "remove it: the record keeps text only")
    if limit is not None and len(said) > limit:
        raise refuse(field, f"is {len(said)} characters long", f"keep it to {limit}")
    return said


def whole(field: str, value: Any) -> int:
    """A whole number, given as one or as its digits (not True, not 1.9)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise refuse(field, f"{value!r} is not a whole number", "give the number the list command shows")


def day(field: str, value: Any) -> date:
    """A calendar date, given as a date or ``YYYY-MM-DD``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise refuse(field, f"bad date {value!r}", "write the date as YYYY-MM-DD, e.g. 2022-09-20") from None


def month(field: str, value: Any) -> date:
    """The first day of a month, given as a date or ``YYYY-MM``."""
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        return Month.parse(str(value)).first_day
    except NotFound:
        raise refuse(field, f"bad month {value!r}", "write the month as YYYY-MM, e.g. 2022-09") from None


def year(field: str, value: Any) -> int:
    """A plausible year of the centre's work (1990-2100)."""
    try:
        found = int(str(value).strip())
    except ValueError:
        raise refuse(field, f"bad year {value!r}", "write a year such as 2024") from None
    if not 1990 <= found <= 2100:
        raise refuse(field, f"year {found} is out of range", "give a year between 1990 and 2100")
    return found


def unit(field: str, value: Any) -> tuple[str, str]:
    """(kind, code) of a country of the signals panel or a border dyad ``A-B``."""
    try:
        return resolve_unit(str(value or "").strip())
    except RefusedInput as problem:
        raise refuse(
            field, f"unknown unit {value!r} ({problem.message})", problem.hint or "e.g. KGZ or KGZ-TJK"
        ) from None
