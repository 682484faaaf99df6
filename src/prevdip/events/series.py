"""The country-month deaths series: UCDP GED + Candidate ``best`` deaths summed by country and month.

The bundle's file is wide — a month-end date column, then one column per country named the UCDP or Natural Earth
way — and it is the only sub-annual series after 2020 (to 2026), so signals and forecasts read it beside the
events. This reader turns it long (iso3, month, best_deaths) and reports, rather than drops, what it cannot use:
a nameless column (the export leaves one, all zero), an unknown country name, a bad date, a count that is not a
whole number (``2.5``, ``inf``, ``1e400``), or a country-month given twice with different counts (both are set aside:
keeping either would pick one at random).
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from prevdip.errors import NotFound, RefusedInput
from prevdip.geo import world_iso3


@dataclass(frozen=True)
class SeriesProblem:
    """Something in the file that was not taken, with where and why."""

    file: str
    row_number: int  # 1-based line in the file; 1 is the header
    raw: str
    reason: str


@dataclass
class CountryMonthSeries:
    """The long series and what was set aside while reading it."""

    frame: pd.DataFrame  # columns: iso3 (str), month (datetime64, first day), best_deaths (int64)
    problems: list[SeriesProblem] = field(default_factory=list)
    rows_read: int = 0

    @property
    def countries(self) -> list[str]:
        return sorted(self.frame["iso3"].unique())


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _shown(text: str) -> str:
    """Text with the bytes that were not UTF-8 written as ``\\xe1`` (they are kept as surrogates while reading)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _count(value: str) -> int:
    """A whole number of deaths; ``4.0`` is 4, while ``2.5``, ``nan``, ``inf`` and ``1e400`` raise ValueError."""
    if value.isdigit():
        return int(value)
    number = float(value)
    if not math.isfinite(number) or not number.is_integer() or abs(number) > 2**53:
        raise ValueError(value)
    return int(number)


def _month_of(text: str) -> date:
    day = date.fromisoformat(text.strip())
    return day.replace(day=1)


def _columns(path: Path, header: list[str], problems: list[SeriesProblem]) -> dict[int, str]:
    """Index → ISO3 for every usable country column; the rest is reported."""
    usable: dict[int, str] = {}
    for index, name in enumerate(header[1:], start=1):
        clean = name.strip()
        if not clean or clean.startswith("Unnamed"):
            problems.append(SeriesProblem(str(path), 1, name, f"column {index + 1} has no country name"))
            continue
        try:
            iso3 = world_iso3(clean)
        except NotFound:
            problems.append(SeriesProblem(str(path), 1, name, f"unknown country name {_shown(clean)!r}"))
            continue
        if iso3 in usable.values():
            problems.append(SeriesProblem(str(path), 1, name, f"second column for {iso3}"))
            continue
        usable[index] = iso3
    return usable


def read_country_month_series(path: Path) -> CountryMonthSeries:
    """Read the wide country-month file into a long frame; a file of another shape is refused whole."""
    problems: list[SeriesProblem] = []
    # Bytes that are not UTF-8 are kept (as surrogates) so that only their row is set aside, not the whole file.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if header is None or len(header) < 2:
            raise RefusedInput(
                f"{path}: empty or not a country-month table", hint="expected a date column and one column per country"
            )
        columns = _columns(path, header, problems)
        if not columns:
            raise RefusedInput(
                f"{path}: no column names a known country", hint="is this the country-month deaths series?"
            )
        cells, rows_read = _cells(path, rows, header, columns, problems)
    records = _consistent(path, cells, problems)
    if rows_read and not records:
        raise RefusedInput(f"{path}: no row could be read", hint="check the date column (yyyy-mm-dd) and counts")
    frame = pd.DataFrame.from_records(records, columns=["iso3", "month", "best_deaths"])
    frame["month"] = pd.to_datetime(frame["month"])
    frame["best_deaths"] = frame["best_deaths"].astype("int64")
    frame = frame.sort_values(["iso3", "month"], ignore_index=True)
    return CountryMonthSeries(frame=frame, problems=problems, rows_read=rows_read)


Cell = tuple[str, date, int, int, str]  # iso3, month, deaths, line, raw


def _cells(
    path: Path, rows: Iterator[list[str]], header: list[str], columns: dict[int, str], problems: list[SeriesProblem]
) -> tuple[list[Cell], int]:
    """Every readable country-month cell with the line it came from; the rest reported."""
    cells: list[Cell] = []
    rows_read = 0
    for line_number, row in enumerate(rows, start=2):
        rows_read += 1
        raw = ",".join(row)
        if _UNDECODABLE.search(raw):
            problems.append(SeriesProblem(str(path), line_number, _shown(raw), "undecodable bytes: not UTF-8 text"))
            continue
        if len(row) != len(header):
            problems.append(SeriesProblem(str(path), line_number, raw, f"{len(row)} fields, expected {len(header)}"))
            continue
        try:
            month = _month_of(row[0])
        except ValueError:
            problems.append(SeriesProblem(str(path), line_number, raw, f"bad date {row[0]!r}"))
            continue
        for index, iso3 in columns.items():
            value = row[index].strip()
            try:
                deaths = _count(value) if value else 0
            except ValueError:
                problems.append(SeriesProblem(str(path), line_number, raw, f"bad count {value!r} for {iso3}"))
                continue
            if deaths < 0:
                problems.append(SeriesProblem(str(path), line_number, raw, f"negative count {deaths} for {iso3}"))
                continue
            cells.append((iso3, month, deaths, line_number, raw))
    return cells, rows_read


def _consistent(path: Path, cells: list[Cell], problems: list[SeriesProblem]) -> list[tuple[str, date, int]]:
    """The cells, except a country-month the file gives twice with different counts: all its cells are set aside."""
    lines: dict[tuple[str, date], list[Cell]] = defaultdict(list)
    for cell in cells:
        lines[(cell[0], cell[1])].append(cell)
    kept: list[tuple[str, date, int]] = []
    for (iso3, month), found in lines.items():
        if len({cell[2] for cell in found}) == 1:
            kept.extend((iso3, month, cell[2]) for cell in found)  # an identical repeat is a duplicate, not an error
            continue
        where = ", ".join(str(cell[3]) for cell in found)
        for cell in found:
            reason = f"duplicate key: {iso3} {month:%Y-%m} is given on lines {where} with different counts"
            problems.append(SeriesProblem(str(path), cell[3], cell[4], reason))
    return kept
