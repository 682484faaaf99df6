"""Readings of other domains: a missing capability or lake becomes a stated reason, never made-up content."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from prevdip.briefs import readings
from prevdip.briefs.months import parse_month
from prevdip.briefs.readings import Unavailable, require_lake, section
from prevdip.errors import NotFound
from prevdip.events.schema import EVENT_SCHEMA


def test_section_carries_data_or_the_reason() -> None:
    assert section(lambda: {"x": 1}) == {"available": True, "reason": None, "x": 1}

    def missing() -> dict[str, int]:
        raise Unavailable("the forecast is not built yet")

    assert section(missing) == {"available": False, "reason": "the forecast is not built yet"}


def test_a_missing_public_function_names_the_capability() -> None:
    with pytest.raises(Unavailable, match=r"prevdip\.geo\.no_such_function"):
        readings._public("prevdip.geo", "no_such_function", "signals")
    with pytest.raises(Unavailable, match="signals and stages"):
        readings._public("prevdip.no_such_package", "anything", "signals")
    assert readings._public("prevdip.geo", "country", "signals")("KG").iso3 == "KGZ"


def test_a_domain_refusal_is_a_reason_but_not_found_stays_a_404() -> None:
    from prevdip.errors import RefusedInput

    def refuse() -> None:
        raise RefusedInput("no forecast vintage in the workspace", hint="run prevdip forecast")

    with pytest.raises(Unavailable, match="run prevdip forecast"):
        readings._asked(refuse)
    with pytest.raises(NotFound):
        readings._asked(lambda: parse_month("2022-13"))


def test_lake_is_required_before_event_readings(tmp_path: Path) -> None:
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
    assert parse_month(text, today=date(2026, 11, 27)) == expected


@pytest.mark.parametrize("text", ["2022-13", "2022", "Sept 2022", "1988-12", "2026-12", ""])
def test_bad_months_are_not_found(text: str) -> None:
    with pytest.raises(NotFound):
        parse_month(text, today=date(2026, 11, 27))
