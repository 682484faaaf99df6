"""``/countries/{iso3}``: one country's stage history, events by priority group, forecast, notable events."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs import charts, readings
from prevdip.briefs.locale import say, strings, terms
from prevdip.briefs.months import month_end  # notable events: those up to the end of the month shown
from prevdip.briefs.readings import section
from prevdip.briefs.situation import REGION, default_month, unit_situation
from prevdip.events.sharing import Audience
from prevdip.geo import BORDER_DYADS, country, region
from prevdip.web._cache import while_workspace_unchanged

NOTABLE_EVENTS = 10


def notable_events(filters: dict[str, Any], audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """The latest events of a unit that ``audience`` may see, deadliest first among the latest few (a section)."""
    chosen = filters | {"audience": audience}
    return section(lambda: readings.events(chosen, limit=NOTABLE_EVENTS, workspace=workspace))


@while_workspace_unchanged()
def country_page(code: str, month: date | None, audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """Everything the country page shows to ``audience``; an unknown code raises :class:`~prevdip.errors.NotFound`
    (404)."""
    found = country(code)
    month = month or default_month(workspace)
    situation = unit_situation(found.iso3, found.name, month, workspace=workspace, audience=audience)
    latest = {"country": found.iso3, "until": month_end(month)}
    return {
        **situation,
        "country": found.as_dict(),
        "dyads": [d.code for d in BORDER_DYADS if found.iso3 in d],
        "notable_events": notable_events(latest, audience, workspace=workspace),
    }


def unit_charts(data: dict[str, Any], highlight: list[str], *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """Locator map, stage history, events by group and forecast, for whatever is available, worded in ``lang``."""
    iso3s = tuple(dict.fromkeys([*region(REGION).iso3s, *highlight]))
    name = terms.place(data["unit"], data["name"], strings(lang))
    locator = say("country.locator", lang, name=name)
    specs = {"locator": charts.locator_map(iso3s, highlight, title=locator, bundle=bundle, lang=lang)}
    if data["stage_history"]["available"]:
        specs["stage-history"] = charts.stage_history_chart(
            data["stage_history"]["months"], title=say("country.stage_history", lang), lang=lang
        )
    if data["events_by_group"]["available"]:
        specs["events-by-group"] = charts.group_counts_chart(
            data["events_by_group"]["months"], title=say("country.events_by_group", lang), lang=lang
        )
    if data["forecast"]["available"]:
        horizons = data["forecast"].get("horizons", [])
        specs["forecast"] = charts.forecast_chart(horizons, title=say("country.forecast", lang))
    return specs
