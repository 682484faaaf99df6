"""Months as the centre reports them: ``YYYY-MM``, the first day of the month inside.

A month that is malformed, in the future or before the data begin is refused as :class:`NotFound`, so the web shows
a 404 and the CLI one line, never an empty page.
"""

from __future__ import annotations

from datetime import date, timedelta

from prevdip.errors import NotFound

FIRST_MONTH = date(1989, 1, 1)  # UCDP's event data begin in January 1989


def parse_month(text: str, *, today: date | None = None) -> date:
    """``"2022-09"`` → ``date(2022, 9, 1)``; refuse anything else or any month outside 1989-01 … this month."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise NotFound(f"unknown month {text!r}", hint="write the month as YYYY-MM, e.g. 2022-09") from None
    latest = current_month(today)
    if not FIRST_MONTH <= first <= latest:
        raise NotFound(f"no data for month {text}", hint=f"choose a month from {FIRST_MONTH:%Y-%m} to {latest:%Y-%m}")
    return first


def current_month(today: date | None = None) -> date:
    """The first day of the running month."""
    today = today or date.today()
    return today.replace(day=1)


def previous_month(month: date) -> date:
    """The first day of the month before ``month``."""
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def month_label(month: date) -> str:
    """``date(2022, 9, 1)`` → ``"2022-09"``."""
    return f"{month:%Y-%m}"


def month_end(month: date) -> date:
    """The last day of ``month``."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)
