"""``/dyads/{a}-{b}``: a border dyad's incidents, water events, stage and forecast."""

from __future__ import annotations

from pathlib import Path

from prevdip.events import EventFilter
from prevdip.events.sharing import Audience
from prevdip.geo import country, dyad
from prevdip.months import Month
from prevdip.situation import default_month, unit_situation
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Unit, extended
from prevdip.web.services.country import notable_events

WATER_CATEGORIES = ("water_conflict", "water_cooperation")


@while_workspace_unchanged()
def dyad_page(code: str, month: Month | None, audience: Audience, *, workspace: Path) -> Unit:
    """Everything the dyad page shows to ``audience``; a pair that is not a border dyad raises NotFound (404)."""
    found = dyad(code)
    month = month or default_month(workspace=workspace)
    name = f"{country(found.a).name} – {country(found.b).name}"
    until = month.last_day
    return extended(
        Unit,
        unit_situation(found.code, name, month, workspace=workspace, audience=audience),
        countries=[found.a, found.b],
        incidents=notable_events(
            EventFilter(dyad=found.code, category="border_incident", until=until), audience, workspace=workspace
        ),
        water_events={
            category: notable_events(
                EventFilter(dyad=found.code, category=category, until=until), audience, workspace=workspace
            )
            for category in WATER_CATEGORIES
        },
    )
