"""What the lake covers, per source and per source in each country: computed once per state of the lake, and said
as "no data after" past a source's last month (issue 16 §1), on the reference bundle ingested."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prevdip.events.coverage import SERIES_SOURCES, Span, lake_coverage, remedy
from prevdip.events.sharing import Audience

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(bundle_lake: dict[str, Any]) -> Path:
    return Path(bundle_lake["workspace"])


def test_each_source_spans_its_months_and_the_series_reach_further(workspace: Path) -> None:
    found = lake_coverage(workspace)
    assert {"ucdp-ged", "gdelt", "tfdd-bar", "ucdp-cm", "ucdp-brd"} <= set(found.sources)
    assert found.sources["ucdp-ged"] == Span(date(1989, 1, 1), date(2022, 12, 1))  # the bundle's GED ends 2022
    assert found.sources["ucdp-cm"].last == date(2026, 5, 1)  # the country-month series runs to 2026-05
    assert found.sources["ucdp-cm"].last > found.sources["ucdp-ged"].last
    for span in found.sources.values():
        assert span.first <= span.last and span.first.day == span.last.day == 1


def test_a_country_has_its_own_months_within_the_source(workspace: Path) -> None:
    found = lake_coverage(workspace)
    kyrgyzstan = found.in_country("KGZ")
    # GED records fatal events only: Kyrgyzstan's last is the Osh violence of June 2010 (issue 16's example)
    assert kyrgyzstan["ucdp-ged"].last == date(2010, 6, 1)
    assert kyrgyzstan["ucdp-brd"] == Span(date(2021, 1, 1), date(2022, 12, 1))  # the border war's two years
    overall = found.sources["ucdp-ged"]
    assert all(
        overall.first <= s.first and s.last <= overall.last
        for (src, _), s in found.countries.items()
        if src == "ucdp-ged"
    )


def test_past_a_source_its_zero_is_no_data(workspace: Path) -> None:
    found = lake_coverage(workspace)
    ended = found.ended_before(date(2026, 5, 1))
    assert {"ucdp-ged", "gdelt", "tfdd-bar"} <= set(ended)
    assert not set(ended) & set(SERIES_SOURCES)  # the series are not event counts
    assert "ucdp-ged" not in found.ended_before(date(2022, 12, 1))
    assert remedy("ucdp-ged") == "ucdp" and remedy("acled") == "acled" and remedy("unheard-of") == "import"


def test_computed_once_per_state_of_the_lake(workspace: Path) -> None:
    first = lake_coverage(workspace)
    assert lake_coverage(workspace) is first  # a page view reads the summary, it does not scan the lake again
    assert lake_coverage(workspace, Audience.public) is not first  # each audience its own (what it may see)
