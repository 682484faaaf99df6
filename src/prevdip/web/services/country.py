"""``/countries/{iso3}``: one country's stage history, events by priority group, forecast, notable events."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.briefs.locale import say, strings, terms
from prevdip.events import EventFilter, query_events
from prevdip.events.sharing import Audience
from prevdip.geo import BORDER_DYADS, country, home_region
from prevdip.months import Month
from prevdip.situation import default_month, require_lake, section, unit_situation
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import CountryInfo, EventsSection, Unit, extended

NOTABLE_EVENTS = 10


def notable_events(filters: EventFilter, audience: Audience, *, workspace: Path) -> EventsSection:
    """The latest events of a unit up to the end of the month shown that ``audience`` may see (a section)."""

    def gather() -> dict[str, Any]:
        require_lake(workspace)
        found = query_events(replace(filters, audience=audience), limit=NOTABLE_EVENTS, workspace=workspace)
        return {"count": found["count"], "events": found["events"]}  # the section's fields; the footer cites sources

    return section(EventsSection, gather)


@while_workspace_unchanged()
def country_page(code: str, month: Month | None, audience: Audience, *, workspace: Path) -> Unit:
    """Everything the country page shows to ``audience``; an unknown code raises
    :class:`~prevdip.errors.NotFound` (404)."""
    found = country(code)
    month = month or default_month(workspace=workspace)
    situation = unit_situation(found.iso3, found.name, month, workspace=workspace, audience=audience)
    latest = EventFilter(country=found.iso3, until=month.last_day)
    return extended(
        Unit,
        situation,
        country=CountryInfo(**found.as_dict()),
        dyads=[d.code for d in BORDER_DYADS if found.iso3 in d],
        notable_events=notable_events(latest, audience, workspace=workspace),
    )


def unit_charts(data: Unit, highlight: list[str], *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """Locator map, stage history, events by group and forecast, for whatever is available, worded in ``lang``."""
    iso3s = tuple(dict.fromkeys([*home_region().iso3s, *highlight]))
    name = terms.place(data.unit, data.name, strings(lang))
    locator = say("country.locator", lang, name=name)
    specs = {"locator": charts.locator_map(iso3s, highlight, title=locator, bundle=bundle, lang=lang)}
    if data.stage_history.available:
        specs["stage-history"] = charts.stage_history_chart(
            [m.as_json() for m in data.stage_history.months or []], title=say("country.stage_history", lang), lang=lang
        )
    if data.events_by_group.available:
        specs["events-by-group"] = charts.group_counts_chart(
            [m.as_json() for m in data.events_by_group.months or []],
            title=say("country.events_by_group", lang),
            lang=lang,
        )
    if data.forecast.available:
        horizons = [h.as_json() for h in data.forecast.horizons or []]
        specs["forecast"] = charts.forecast_chart(horizons, title=say("country.forecast", lang))
    return specs


def shown_filters(filters: EventFilter) -> dict[str, Any]:
    """An event filter as the pages echo it (dates as ISO text)."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in asdict(filters).items()}
