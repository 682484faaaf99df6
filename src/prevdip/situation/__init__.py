"""The situation read model: "the region, or a unit, in month M for audience A", typed, for every face.

Between the domains and the faces (the CLI, the dashboard, the brief, the monthly cycle): one service
(:mod:`prevdip.situation.service`) asks signals, forecast and response for what a reader of that audience may see
and answers with pydantic models (:mod:`prevdip.situation.models`) — stages with their evidence, forecasts,
warnings, agenda blocks, the brief's parts — whose JSON form the dashboard's twins print. A part whose data are not
there is a :class:`~prevdip.situation.models.Section` that says why (:mod:`prevdip.situation.sections`).
"""

from prevdip.situation.models import (
    MonthlyBrief,
    ReadModel,
    RegionSituation,
    Section,
    StageRow,
    UnitSignal,
    UnitSituation,
)
from prevdip.situation.sections import Unavailable, asked, section
from prevdip.situation.service import (
    coverage,
    default_month,
    forecast_section,
    latest_month,
    monthly_brief,
    region_situation,
    region_units,
    require_lake,
    unit_signal,
    unit_situation,
    warnings_section,
    without_crisis,
)

__all__ = [
    "MonthlyBrief",
    "ReadModel",
    "RegionSituation",
    "Section",
    "StageRow",
    "Unavailable",
    "UnitSignal",
    "UnitSituation",
    "asked",
    "coverage",
    "default_month",
    "latest_month",
    "monthly_brief",
    "region_situation",
    "region_units",
    "require_lake",
    "section",
    "unit_signal",
    "unit_situation",
    "warnings_section",
    "forecast_section",
    "without_crisis",
]
