"""Sections of the situation read model: a missing lake or refused reading becomes a stated reason, never made-up
content; an unknown unit or month stays a 404. Months as the pages take them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from prevdip.errors import NotFound, RefusedInput
from prevdip.events.schema import EVENT_SCHEMA
from prevdip.months import Month
from prevdip.situation import Unavailable, asked, require_lake, section
from prevdip.situation.models import StageHistorySection, StageMonth


def test_section_carries_data_or_the_reason() -> None:
    month = StageMonth(month="2022-09-01", stage="war", trend="deteriorated")
    found = section(StageHistorySection, lambda: {"months": [month]})
    assert found.as_json() == {"available": True, "reason": None, "months": [month.as_json()]}

    def missing() -> dict[str, object]:
        raise Unavailable("the forecast is not built yet")

    assert section(StageHistorySection, missing).as_json() == {
        "available": False,
        "reason": "the forecast is not built yet",
    }


def test_a_domain_refusal_is_a_reason_but_not_found_stays_a_404() -> None:
    from prevdip.errors import RefusedInput

    def refuse() -> None:
        raise RefusedInput("no forecast vintage in the workspace", hint="run prevdip forecast")

    with pytest.raises(Unavailable, match="run prevdip forecast"):
        asked(refuse)
    with pytest.raises(NotFound):
        asked(lambda: Month.parse("2022-13"))


def test_lake_is_required_before_event_readings(tmp_path: Path, initialised: Callable[[Path], Path]) -> None:
    with pytest.raises(RefusedInput, match="no prevdip workspace at .* run `prevdip init`"):
        require_lake(tmp_path)  # a folder that is no workspace is refused, not read as an empty lake
    initialised(tmp_path)
    with pytest.raises(Unavailable, match="No event lake"):
        require_lake(tmp_path)
    part = tmp_path / "lake" / "events" / "source=ucdp-ged" / "year=2022"
    part.mkdir(parents=True)
    with pytest.raises(Unavailable):
        require_lake(tmp_path)  # an empty folder is not a lake
    pq.write_table(pa.Table.from_pylist([], schema=EVENT_SCHEMA), part / "run-0.parquet")
    require_lake(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"), [("2022-09", date(2022, 9, 1)), (" 1989-01 ", date(1989, 1, 1)), ("2010-6", date(2010, 6, 1))]
)
def test_months(text: str, expected: date) -> None:
    assert Month.parse(text).reported(date(2026, 11, 27)).first_day == expected


@pytest.mark.parametrize("text", ["2022-13", "2022", "Sept 2022", "1988-12", "2026-12", ""])
def test_bad_months_are_not_found(text: str) -> None:
    with pytest.raises(NotFound):
        Month.parse(text).reported(date(2026, 11, 27))
