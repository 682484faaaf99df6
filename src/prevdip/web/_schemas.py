"""The documented keys of the JSON twins (shown at ``/api/docs``).

Each part that depends on another capability is a :class:`Section`: ``available`` says whether it is there, and
``reason`` says why not; its other keys are the domain's own JSON (as its CLI prints it with ``--json``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    """A part of a page fed by one capability."""

    model_config = ConfigDict(extra="allow")
    available: bool = Field(description="False when the capability or its data are not in this installation yet")
    reason: str | None = Field(None, description="Why the section is not available, in plain words")


class Named(BaseModel):
    unit: str = Field(description="ISO3 code of a country, or A-B code of a border dyad")
    name: str


class Overview(BaseModel):
    """``/``: the region in a month."""

    month: str = Field(description="YYYY-MM")
    region: str
    countries: list[Named]
    dyads: list[Named]
    stages: Section = Field(
        description="units: [{unit, name, kind, stage, instrument, trend, priority_groups, evidence}]"
    )
    forecast: Section = Field(description="units: [{unit, name, month, median, low90, high90, p_any, p_crisis}]")
    warnings: Section = Field(
        description="warnings: [{unit, kind, month, level, stage, trend, instrument, priority_groups, reasons, "
        "reason_codes: [{key, values}], risk}], agenda: [{priority_group, title, units, instrument, proposal, "
        "proposal_code, warnings}]"
    )
    priority_groups: Section = Field(description="groups: {priority group: {unit: figure}}")


class Unit(BaseModel):
    """``/countries/{iso3}`` and ``/dyads/{a}-{b}``: one unit in a month."""

    model_config = ConfigDict(extra="allow")
    unit: str
    name: str
    month: str
    signal: Section = Field(description="as `prevdip signals --json`: stage, instrument, trend, evidence...")
    stage_history: Section = Field(description="months: [{month, stage, trend}]")
    events_by_group: Section = Field(description="months: [{month, group, events}]")
    forecast: Section = Field(description="horizons: [{month, median, low50, high50, low90, high90, p_any, p_crisis}]")


class Events(BaseModel):
    """``/events``: a page of events."""

    filters: dict[str, Any]
    page: int
    page_size: int
    categories: list[str]
    results: Section = Field(description="count (all matching), pages, events: [canonical events]")


class Forecasts(BaseModel):
    region: Section = Field(
        description="countries, dyads, provinces: each {target, origin, vintage, previous_origin, units: [{unit, "
        "name, month, median, low50, high50, low90, high90, mean, p_any, p_change, explanation: {p_now, p_before, "
        "median_now, median_before, drivers: [{feature, words, p_change, median_change}]}}]}"
    )
    vintage: Section = Field(description="as `prevdip forecast --json`, each row with the unit's name")


class Backtests(BaseModel):
    backtest: Section = Field(
        description="as `prevdip backtest --json`: target, origins, n_units, scores, skill, the bar's verdict, "
        "alarms, calibration: {model: {horizon: {global, region: {n, reliability, pit, coverage50, coverage90}}}}"
    )
    more: dict[str, Section] = Field(description="the same for border-dyads, provinces and stage-crisis")


class Gmcr(BaseModel):
    examples: Section = Field(description="cases: [{name, title}] of the shipped example models")
    model: Section | None = Field(
        description="name, reading, analysis (as `gmcr analyze`) and status_quo (a section: as `gmcr status-quo`)"
    )
    errors: list[str] = Field(description="validation errors of a refused upload")


class GmcrUpload(BaseModel):
    model_id: str | None = Field(description="id to open the stored model with /gmcr?model=ID; null when refused")
    errors: list[str]


class Water(BaseModel):
    basin: str
    year: str
    basins: list[str]
    years: list[str]
    planned: list[str] = Field(description="the planned facilities or variants built in these runs (`with=`)")
    planned_options: dict[str, str] = Field(description="every planned facility and variant of the basin: id → name")
    scenarios: Section = Field(
        description="runs: {scenario: as `prevdip water basin --json [--with ...]`}, with `water_values` (US$ per m³ "
        "by node and month) and, when facilities are planned, `planned_effect_by_year`"
    )
    deal_url: str = Field(description="the basin's benefit-sharing deal (add .json for its data)")


class WaterDeal(BaseModel):
    basin: str
    basins: list[str]
    planned: list[str] = Field(description="the planned facilities or variants built (`with=`)")
    planned_options: dict[str, str] = Field(description="every planned facility and variant of the basin: id → name")
    deal: Section = Field(description="as `prevdip water deal --json [--with ...]`")


class Brief(Overview):
    """``/briefs/{month}``: the monthly situation brief's content."""

    water_outlook: Section = Field(
        description="basins: {basin: {energy|cooperative: {total_benefit, benefit_by_country}}}"
    )
    changes: list[dict[str, Any]] = Field(description="units whose stage deteriorated or improved, with evidence")
    audience: str = Field(
        description="centre, governments, partners or public: who may read it; hidden reports count nowhere"
    )
    field_reports: Section = Field(
        description="count, reports: [{date_start, country_iso3, location, category, fatalities_best, description, "
        "sharing, confidence, reporter (centre only)}]"
    )
    generated: str
    workspace: str | None = Field(description="the server's workspace, in the centre's own brief only")
