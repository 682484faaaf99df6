"""``/``: the region this month."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs.charts import region_map
from prevdip.briefs.locale import say
from prevdip.briefs.situation import default_month, regional_situation
from prevdip.events.sharing import Audience
from prevdip.web._cache import while_workspace_unchanged


@while_workspace_unchanged()
def overview(month: date | None, audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """Stages, trends, forecast risk, open warnings and priority groups of every country and border dyad, from
    what ``audience`` may see."""
    return regional_situation(month or default_month(workspace), workspace=workspace, audience=audience)


def country_stages(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Stage and trend by ISO3 from a regional situation (empty when signals are missing)."""
    return {u["unit"]: u for u in data["stages"].get("units", []) if u["kind"] == "country"}


def overview_charts(data: dict[str, Any], *, bundle: Path | None, lang: str = "en") -> dict[str, Any]:
    """The region map coloured by stage, with trend arrows, worded in ``lang``."""
    iso3s = tuple(c["unit"] for c in data["countries"])
    title = say("overview.map_title", lang) + f" — {data['month']}"
    return {"region-map": region_map(iso3s, country_stages(data), title=title, bundle=bundle, lang=lang)}
