"""Months as the pages and the brief take them: a :class:`~prevdip.months.Month` the record covers, as the date of
its first day."""

from __future__ import annotations

from datetime import date

from prevdip.months import Month


def parse_month(text: str, *, today: date | None = None) -> date:
    """``"2022-09"`` → ``date(2022, 9, 1)``; refuse anything else or any month outside 1989-01 … this month."""
    return Month.parse(text).reported(today).first_day


def current_month(today: date | None = None) -> date:
    """The first day of the running month."""
    return Month.current(today).first_day


def previous_month(month: date) -> date:
    """The first day of the month before ``month``."""
    return Month.of(month).previous().first_day


def month_label(month: date) -> str:
    """``date(2022, 9, 1)`` → ``"2022-09"``."""
    return str(Month.of(month))


def month_end(month: date) -> date:
    """The last day of ``month``."""
    return Month.of(month).last_day
