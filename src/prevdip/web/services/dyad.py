"""``/dyads/{a}-{b}``: a border dyad's incidents, water events, stage and forecast."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs.situation import default_month, unit_situation
from prevdip.events.sharing import Audience
from prevdip.geo import country, dyad
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web.services.country import month_end, notable_events

WATER_CATEGORIES = ("water_conflict", "water_cooperation")


@while_workspace_unchanged()
def dyad_page(code: str, month: date | None, audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """Everything the dyad page shows to ``audience``; a pair that is not a border dyad raises NotFound (404)."""
    found = dyad(code)
    month = month or default_month(workspace)
    name = f"{country(found.a).name} – {country(found.b).name}"
    until = month_end(month)
    return {
        **unit_situation(found.code, name, month, workspace=workspace, audience=audience),
        "countries": [found.a, found.b],
        "incidents": notable_events(
            {"dyad": found.code, "category": "border_incident", "until": until}, audience, workspace=workspace
        ),
        "water_events": {
            category: notable_events(
                {"dyad": found.code, "category": category, "until": until}, audience, workspace=workspace
            )
            for category in WATER_CATEGORIES
        },
    }
