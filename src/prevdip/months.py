"""The month: the unit of time of everything the centre reports — stages, forecasts, warnings, briefs.

:class:`Month` is a value (``2022-09``) with one parser, :meth:`Month.parse`, used by every face (CLI options,
query strings, import files) and one error for text that is not a month: :class:`~prevdip.errors.NotFound` (a 404
on the web, exit status 2 on the command line). Inside the domains a month is also handled as the date of its first
day (``Month.first_day``), which is what pandas, DuckDB and the stored records hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from prevdip.errors import NotFound

_SHAPE = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; ``str(month)`` is ``YYYY-MM``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12:
            raise NotFound(f"unknown month '{self.year:04d}-{self.number:02d}'", hint="months run from 01 to 12")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2022-09"`` (or ``"2022-9"``) → ``Month(2022, 9)``; anything else is refused, naming the text."""
        found = _SHAPE.fullmatch(str(text).strip())
        if found is None:
            raise NotFound(f"bad month {text!r}: it is not YYYY-MM", hint="write the month as YYYY-MM, e.g. 2022-09")
        year, number = int(found.group(1)), int(found.group(2))
        if not 1 <= number <= 12:
            raise NotFound(f"unknown month {text!r}", hint="write the month as YYYY-MM, e.g. 2022-09")
        return cls(year, number)

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day falls in."""
        return cls(day.year, day.month)

    @classmethod
    def current(cls, today: date | None = None) -> Month:
        """The running month."""
        return cls.of(today or date.today())

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        return self.plus(1).first_day - timedelta(days=1)

    def plus(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.number - 1 + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.plus(-1)

    def reported(self, today: date | None = None) -> Month:
        """This month, if the centre's record covers it (:data:`RECORD_START` to the running month); refused
        otherwise, so a page or brief for a month without data is a clear "no data", never an empty page."""
        latest = Month.current(today)
        if not RECORD_START <= self <= latest:
            raise NotFound(f"no data for month {self}", hint=f"choose a month from {RECORD_START} to {latest}")
        return self

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"


#: The first month of the record: UCDP's event data begin in January 1989.
RECORD_START = Month(1989, 1)
