"""``/water``: a basin's scenarios side by side and its benefit-sharing deal."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.briefs.locale import say
from prevdip.errors import NotFound
from prevdip.situation import section
from prevdip.web._schemas import DealSection, ScenariosSection, Water, WaterDeal

BASINS = ("syr-darya", "amu-darya")
SCENARIOS = ("irrigation", "energy", "cooperative")
YEARS = ("dry", "normal", "wet")


@lru_cache(maxsize=16)
def water_page(basin: str, year: str) -> Water:
    """The three regimes of ``basin`` in a ``year`` (solved once per process: the data are the package's own); the
    deal, a few seconds of coalition solves, is its own page (``deal_url``), which the water page loads once shown."""
    from prevdip.water import solve_basin

    _known_basin(basin)
    if year not in YEARS:
        raise NotFound(f"unknown water year {year!r}", hint=f"years: {', '.join(YEARS)}")
    return Water(
        basin=basin,
        year=year,
        basins=list(BASINS),
        years=list(YEARS),
        scenarios=section(
            ScenariosSection, lambda: {"runs": {s: solve_basin(basin, s, year).as_dict() for s in SCENARIOS}}
        ),
        deal_url=f"/water/deal?basin={basin}",
    )


def _known_basin(basin: str) -> None:
    if basin not in BASINS:
        raise NotFound(f"unknown basin {basin!r}", hint=f"basins: {', '.join(BASINS)}")


@lru_cache(maxsize=4)
def deal_page(basin: str) -> WaterDeal:
    """The benefit-sharing deal of ``basin``: allocations of the gain of cooperation with their side payments."""
    from prevdip.water import deal

    _known_basin(basin)
    return WaterDeal(basin=basin, basins=list(BASINS), deal=section(DealSection, lambda: dict(deal(basin))))


def benefit_rows(runs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per scenario and country with its benefit, for the side-by-side chart."""
    return [
        {"scenario": scenario, "country": iso3, "benefit": value}
        for scenario, run in runs.items()
        for iso3, value in (run.get("benefit_by_country") or {}).items()
    ]


def water_charts(data: Water, *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """The basin map, and benefit by country under each scenario when the water model is there (titles in
    ``lang``)."""
    specs = {"basin-map": charts.basin_map(data.basin, title=say("water.map_title", lang), bundle=bundle, lang=lang)}
    if data.scenarios.available:
        rows = benefit_rows(data.scenarios.runs or {})
        specs["benefits"] = charts.grouped_bars(
            rows, x="country", y="benefit", colour="scenario", title=say("water.chart_title", lang)
        )
    return specs
