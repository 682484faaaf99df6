"""``/``: the region this month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prevdip.briefs.charts import region_map
from prevdip.briefs.locale import say
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import default_month, region_situation
from prevdip.situation.models import RegionSituation
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Overview, extended


@while_workspace_unchanged()
def overview(month: Month | None, audience: Audience, *, workspace: Path) -> Overview:
    """Stages, trends, forecast risk, open warnings and priority groups of every country and border dyad, from
    what ``audience`` may see."""
    chosen = month or default_month(workspace=workspace)
    return extended(Overview, region_situation(chosen, workspace=workspace, audience=audience))


def unit_stages(data: RegionSituation) -> dict[str, dict[str, Any]]:
    """Stage and trend of every country and border dyad by code, each unit there (an empty entry, drawn as "no
    data", when signals are missing) so the map shows every dyad whatever the lake holds."""
    known = {u.unit: u.as_json() for u in data.stages.units or []}
    return {u.unit: known.get(u.unit, {}) for u in (*data.countries, *data.dyads)}


def overview_charts(data: RegionSituation, *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """The region map coloured by stage, with trend arrows and the border dyads, worded in ``lang``; a click on a
    country or a dyad opens its page for the same month."""
    iso3s = tuple(c.unit for c in data.countries)
    title = say("overview.map_title", lang) + f" — {data.month}"
    links = {"links": f"/countries/{{iso3}}?month={data.month}", "dyad_links": f"/dyads/{{dyad}}?month={data.month}"}
    return {"region-map": region_map(iso3s, unit_stages(data), title=title, bundle=bundle, lang=lang, **links)}
