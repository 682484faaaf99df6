"""``/water``: a basin's scenarios side by side and its benefit-sharing deal."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from prevdip.briefs import charts
from prevdip.briefs.locale import say, strings
from prevdip.briefs.locale.terms import place
from prevdip.errors import NotFound, RefusedInput
from prevdip.situation import asked, section
from prevdip.web._schemas import DealSection, ScenariosSection, Water, WaterDeal

BASINS = ("syr-darya", "amu-darya")
SCENARIOS = ("irrigation", "energy", "cooperative")
YEARS = ("dry", "normal", "wet")
# the basin map's symbol (a key of charts.BASIN_SYMBOLS) of each kind of node it marks; inflows and junctions are
# points on the rivers the map already draws
MAP_SYMBOLS = {"reservoir": "reservoir", "plant": "hydropower", "demand": "irrigation", "sink": "lake", "spill": "lake"}


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
        node_names=_names(basin),
        map_places=_map_places(basin),
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


def _names(basin: str) -> dict[str, dict[str, str]]:
    """Every node and variant of the basin by id with its English and Russian names: what a page shows for an id."""
    from prevdip.water import load_basin

    return asked(lambda: load_basin(basin).names())


def _map_places(basin: str) -> list[dict[str, Any]]:
    """The basin's places the map marks — reservoirs, power plants, irrigation zones, terminal lakes and the
    planned facilities — where its data place them, upstream first (the order of the basin's file), each with the
    symbol of the map's legend."""
    from prevdip.water import load_basin

    places = []
    for node in asked(lambda: load_basin(basin)).nodes:
        symbol = "planned" if node.planned else MAP_SYMBOLS.get(node.kind.value)
        if symbol and node.at:
            places.append({"id": node.id, "symbol": symbol, "lon": node.at[0], "lat": node.at[1]})
    return places


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
        node_names=_names(basin),
        deal=section(DealSection, lambda: dict(deal(basin, planned=planned))),
    )


def benefit_rows(runs: dict[str, dict[str, Any]], lang: str = "en") -> list[dict[str, Any]]:
    """One row per scenario and country with its benefit, for the side-by-side chart (both named in ``lang``, the
    scenario by its short name: the chart's legend must fit a phone; the table beside it gives the long one)."""
    words = strings(lang)
    return [
        {
            "scenario": words["scenario"].get(f"{scenario}_short", scenario),
            "country": place(iso3, iso3, words),
            "benefit": value,
        }
        for scenario, run in runs.items()
        for iso3, value in (run.get("benefit_by_country") or {}).items()
    ]


def water_charts(data: Water, *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """The basin map with the model's places marked and numbered as the page's key names them, and benefit by
    country under each scenario when the water model is there (words in ``lang``)."""
    nodes = [
        {**place, "key": str(number), "name": data.node_names[place["id"]][lang]}
        for number, place in enumerate(data.map_places, start=1)
    ]
    title = say("water.map_title", lang)
    specs = {"basin-map": charts.basin_map(data.basin, title=title, bundle=bundle, lang=lang, nodes=nodes)}
    if data.scenarios.available:
        specs["benefits"] = charts.grouped_bars(
            benefit_rows(data.scenarios.runs or {}, lang),
            x="country",
            y="benefit",
            colour="scenario",
            title=say("water.chart_title", lang),
            unit=say("water.unit_musd", lang),
            whole=True,
        )
    return specs
