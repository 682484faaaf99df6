"""``/water``: a basin's scenarios side by side and its benefit-sharing deal."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from prevdip.briefs import charts
from prevdip.briefs.locale import say
from prevdip.errors import NotFound, RefusedInput
from prevdip.situation import asked, section
from prevdip.web._schemas import DealSection, ScenariosSection, Water, WaterDeal

BASINS = ("syr-darya", "amu-darya")
SCENARIOS = ("irrigation", "energy", "cooperative")
YEARS = ("dry", "normal", "wet")


@lru_cache(maxsize=16)
def water_page(basin: str, year: str, planned: tuple[str, ...] = ()) -> Water:
    """The three regimes of ``basin`` in a ``year``, with the ``planned`` facilities built (each run then says what
    they change by year type), solved once per process (the data are the package's own); the deal, a few seconds
    of coalition solves, is its own page (``deal_url``), which the water page loads once it is shown."""
    from prevdip.water import solve_basin

    _known_basin(basin)
    if year not in YEARS:
        raise NotFound(f"unknown water year {year!r}", hint=f"years: {', '.join(YEARS)}")
    options = _options(basin, planned)

    def runs() -> dict[str, Any]:
        return {"runs": {s: solve_basin(basin, s, year, planned=planned).as_dict() for s in SCENARIOS}}

    return Water(
        basin=basin,
        year=year,
        basins=list(BASINS),
        years=list(YEARS),
        planned=list(planned),
        planned_options=options,
        scenarios=section(ScenariosSection, runs),
        deal_url=f"/water/deal?basin={basin}{_with(planned)}",
    )


def _with(planned: tuple[str, ...]) -> str:
    return "".join(f"&{urlencode({'with': p})}" for p in planned)


def _known_basin(basin: str) -> None:
    if basin not in BASINS:
        raise NotFound(f"unknown basin {basin!r}", hint=f"basins: {', '.join(BASINS)}")


def _options(basin: str, planned: tuple[str, ...]) -> dict[str, str]:
    """The basin's planned facilities and variants; a name that is none of them is refused (422), not solved."""
    from prevdip.water import planned_options

    options = dict(asked(lambda: planned_options(basin)))
    unknown = [p for p in planned if options and p not in options]
    if unknown:
        raise RefusedInput(
            f"unknown planned facility {unknown[0]!r} in {basin}", hint=f"choose from {', '.join(options)}"
        )
    return options


@lru_cache(maxsize=8)
def deal_page(basin: str, planned: tuple[str, ...] = ()) -> WaterDeal:
    """The benefit-sharing deal of ``basin`` (with the ``planned`` facilities built): allocations of the gain of
    cooperation with their side payments."""
    from prevdip.water import deal

    _known_basin(basin)
    options = _options(basin, planned)
    return WaterDeal(
        basin=basin,
        basins=list(BASINS),
        planned=list(planned),
        planned_options=options,
        deal=section(DealSection, lambda: dict(deal(basin, planned=planned))),
    )


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
