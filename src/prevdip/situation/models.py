"""The situation read model: what the region or a unit looks like in a month, for an audience, as typed values.

These are the shapes the faces receive and the JSON twins print (``/openapi.json`` documents them). A part that
rests on one capability is a :class:`Section`: ``available``, or not and ``reason``; its other fields are there
only when it is available. Every model is dumped with :meth:`ReadModel.as_json`, which leaves out the fields that
were never set — so a section that is not available prints ``available`` and ``reason`` alone, and a row prints
exactly the keys its source gave it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from prevdip.forecast.views import Explanation, ForecastHorizon, ProvinceRow, VintageCalibration
from prevdip.response import ActionRecord, AgendaBlock, CommitmentReport, EarlyWarning, MeetingEntry

Scalar = int | float | str | bool | None


class ReadModel(BaseModel):
    """A typed answer with one JSON form (fields never set are left out; unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def as_json(self) -> dict[str, Any]:
        """The JSON twin's shape."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class Section(ReadModel):
    """A part of a page fed by one capability."""

    available: bool = Field(description="False when the capability or its data are not in this installation yet")
    reason: str | None = Field(None, description="Why the section is not available, in plain words")


class Named(ReadModel):
    unit: str = Field(description="ISO3 code of a country, or A-B code of a border dyad")
    name: str


# --- a unit's signal and the evidence behind it (as `prevdip signals --json`) -------------------------------------


class RuleEvidence(ReadModel):
    """The stage rule that decided, with the indicator values it tested."""

    kind: Literal["rule"]
    rule: str
    stage: str
    reason: str
    condition: str
    values: dict[str, Scalar]


class SeriesEvidence(ReadModel):
    """The country-month deaths figure that entered, and where it came from."""

    kind: Literal["series"]
    series: Literal["country_month_deaths"]
    source: str = Field(description="lake:series/country_month_deaths, or lake:events/ucdp-ged after the series ends")
    value: Scalar
    note: str


class ConflictYearEvidence(ReadModel):
    """UCDP's conflict-year figures for the unit's year."""

    kind: Literal["series"]
    series: Literal["conflict_years"]
    source: str
    year: int
    battle_deaths: Scalar
    intensity_level: Scalar
    interstate: bool


class TrendEvidence(ReadModel):
    kind: Literal["trend"]
    trend: str
    previous_month: str | None
    previous_stage: str | None
    previous_deaths: Scalar
    deaths: Scalar


class EventEvidence(ReadModel):
    """One of the cell's weightiest events (``sharing`` only for a field report that carries a tier)."""

    kind: Literal["event"]
    event_uid: str
    source: str
    date: str | None
    category: str | None
    fatalities_best: Scalar
    goldstein: Scalar
    water_scale: Scalar
    actor1: str | None
    actor2: str | None
    location: str | None
    description: str | None
    groups: list[str]
    sharing: str | None = None


class CoverageEvidence(ReadModel):
    """Why the events cited are not the month's own: the newest month the lake holds events of the unit in, and the
    event sources whose data end before the month (their silence there is no data, not calm)."""

    kind: Literal["coverage"]
    month: str = Field(description="YYYY-MM, the unit-month read")
    newest: str | None = Field(description="YYYY-MM of the events cited; None when the lake holds none")
    ended: list[CoverageGap] = Field(description="the event sources whose data end before the month")


def _evidence_kind(item: Any) -> str:
    kind = item.get("kind") if isinstance(item, dict) else getattr(item, "kind", None)
    series = item.get("series") if isinstance(item, dict) else getattr(item, "series", None)
    return f"series:{series}" if kind == "series" else str(kind)


Evidence = Annotated[
    Annotated[RuleEvidence, Tag("rule")]
    | Annotated[SeriesEvidence, Tag("series:country_month_deaths")]
    | Annotated[ConflictYearEvidence, Tag("series:conflict_years")]
    | Annotated[TrendEvidence, Tag("trend")]
    | Annotated[CoverageEvidence, Tag("coverage")]
    | Annotated[EventEvidence, Tag("event")],
    Discriminator(_evidence_kind),
]


class UnitSignal(ReadModel):
    """A country's or border dyad's reading in a month, as ``prevdip signals --json`` prints it."""

    unit: str
    month: str = Field(description="YYYY-MM")
    stage: str
    instrument: str
    trend: str
    priority_groups: dict[str, int] = Field(description="events this month by priority group, and unclassified")
    indicators: dict[str, Scalar]
    evidence: list[Evidence]


class SignalSection(Section):
    """A unit's signal (as ``prevdip signals --json``), when the signals are there."""

    unit: str | None = None
    month: str | None = None
    stage: str | None = None
    instrument: str | None = None
    trend: str | None = None
    priority_groups: dict[str, int] | None = None
    indicators: dict[str, Scalar] | None = None
    evidence: list[Evidence] | None = None


# --- the region in a month -------------------------------------------------------------------------------------


class StageRow(ReadModel):
    """A unit's stage on the overview and in the brief."""

    unit: str
    name: str
    kind: Literal["country", "dyad"]
    stage: str | None
    instrument: str | None
    trend: str | None
    priority_groups: dict[str, int] | None
    evidence: list[Evidence] | None


class StagesSection(Section):
    units: list[StageRow] | None = None


class ForecastRow(ReadModel):
    """A unit's forecast for the next month on the overview and in the brief."""

    unit: str
    name: str
    month: str | None
    median: float | None
    low90: float | None
    high90: float | None
    p_any: float | None
    p_any_raw: float | None = Field(None, description="the model's own P(any) where a recalibration map was applied")
    p_crisis: float | None = Field(description="withheld (null) for an audience the lake hides reports from")
    p_crisis_raw: float | None = Field(None, description="the model's own P(crisis) where a map was applied; withheld")
    explanation: Explanation | None = Field(description="what moved next month's forecast since last month")


class ProvincesSection(Section):
    """Next month's forecast per province of the region, from the newest provinces vintage, riskiest first."""

    origin: str | None = None
    units: list[ProvinceRow] | None = None
    calibration: VintageCalibration | None = None


class ForecastRowsSection(Section):
    units: list[ForecastRow] | None = None
    moved: ForecastRow | None = Field(None, description="the unit whose next-month risk moved most since last month")
    provinces: ProvincesSection | None = None


class WarningsSection(Section):
    """Open warnings of the month and the agenda blocks they suggest for the deputy foreign ministers."""

    warnings: list[EarlyWarning] | None = None
    agenda: list[AgendaBlock] | None = None


class GroupGlance(ReadModel):
    events: int | float = Field(description="the group's events this month over the countries")
    countries: dict[str, int | float] = Field(description="the countries where it had any, with their figure")


class PriorityGroupsSection(Section):
    groups: dict[str, GroupGlance] | None = None


class MonthSpan(ReadModel):
    first_month: str = Field(description="YYYY-MM, the first month with data")
    last_month: str = Field(description="YYYY-MM, the last month with data")


class Coverage(ReadModel):
    """Which months a source in the lake covers (first and last month with data), in all and in each country."""

    source: str
    kind: Literal["events", "series"]
    first_month: str | None
    last_month: str | None
    remedy: str = Field(description="what would bring newer data: a key the faces word (ucdp, acled, gdelt...)")
    countries: dict[str, MonthSpan] = Field(
        default_factory=dict, description="ISO3 → the source's months in that country (the countries asked about)"
    )


class CoverageGap(ReadModel):
    """An event source whose data end before the month: its zero there means "no data", not calm."""

    source: str
    last_month: str = Field(description="YYYY-MM, the source's last month with data")
    remedy: str


class CoverageSection(Section):
    """What the month's counts cover: every source's months, and the event sources that end before the month."""

    month: str | None = Field(None, description="YYYY-MM")
    sources: list[Coverage] | None = None
    ended: list[CoverageGap] | None = Field(None, description="event sources with no data in or after the month")
    events_covered: bool | None = Field(None, description="whether any event source has data in the month")


class RegionSituation(ReadModel):
    """The region in a month for one audience: stages, forecast risk, open warnings and priority groups."""

    month: str = Field(description="YYYY-MM")
    region: str
    countries: list[Named]
    dyads: list[Named]
    stages: StagesSection = Field(description="every country and border dyad with its stage and evidence")
    forecast: ForecastRowsSection = Field(description="next month's forecast of each unit")
    warnings: WarningsSection
    priority_groups: PriorityGroupsSection = Field(description="each group's events this month, by country")
    coverage: CoverageSection = Field(description="which months each source covers; the sources ended before it")
    crisis_withheld: bool = Field(description="true when the crisis forecast is withheld from this audience")


# --- a unit in a month -----------------------------------------------------------------------------------------


class StageMonth(ReadModel):
    month: str = Field(description="YYYY-MM-DD, the first day")
    stage: str
    trend: str


class StageHistorySection(Section):
    months: list[StageMonth] | None = None


class GroupMonth(ReadModel):
    month: str = Field(description="YYYY-MM-DD, the first day")
    group: str
    events: int


class GroupCountsSection(Section):
    months: list[GroupMonth] | None = None


class UnitForecastSection(Section):
    """A unit's forecast from the newest frozen vintages (deaths and P(crisis or worse); P(crisis) withheld,
    ``crisis_withheld``, from an audience the lake hides field reports from)."""

    unit: str | None = None
    origin: str | None = None
    horizons: list[ForecastHorizon] | None = None
    explanation: Explanation | None = None
    calibration: VintageCalibration | None = None
    crisis_withheld: bool | None = None


class UnitSituation(ReadModel):
    """A country or border dyad in a month: its signal, stage history, events by priority group, forecast."""

    unit: str
    name: str
    month: str = Field(description="YYYY-MM")
    signal: SignalSection
    stage_history: StageHistorySection = Field(description="the unit's stage in each of the last 24 months")
    events_by_group: GroupCountsSection = Field(description="events per month and priority group")
    forecast: UnitForecastSection
    coverage: CoverageSection = Field(description="which months each source covers in the unit's countries")


class WatchRecordSection(Section):
    """How a watch on forecast risk has done in the published crisis backtest (``prevdip.response.WatchRecord``)."""

    threshold: float | None = None
    origins: list[str] | None = None
    n_units: int | None = None
    at: dict[str, float | int | None] | None = None
    rows: list[dict[str, float | int | None]] | None = None


# --- the monthly brief ------------------------------------------------------------------------------------------


class BasinOutcome(ReadModel):
    total_benefit: float | None
    benefit_by_country: dict[str, float] | None


class WaterOutlookSection(Section):
    """Each basin's non-cooperative (energy) and cooperative regime in a normal year: the season's stakes."""

    basins: dict[str, dict[str, BasinOutcome]] | None = None


class FieldReport(ReadModel):
    """A field report of the month as the brief's audience may read it (the reporter only for the centre)."""

    date_start: str | None
    country_iso3: str | None
    location: str | None
    category: str | None
    fatalities_best: int | None
    description: str | None
    sharing: str | None
    confidence: str | None
    reporter: str | None = None


class FieldReportsSection(Section):
    count: int | None = Field(None, description="how many reports the month had in all")
    reports: list[FieldReport] | None = Field(None, description="the latest of them, newest first")


# --- disputes ----------------------------------------------------------------------------------------------------


class LedgerSection(Section):
    """What the centre did on a dispute: actions on its dyads, meetings whose agenda named its units or that its
    record cites, and the commitments made in those actions and meetings (or cited)."""

    actions: list[ActionRecord] | None = Field(None, description="as `prevdip response action list --json`")
    meetings: list[MeetingEntry] | None = Field(None, description="as recorded, with their agenda blocks")
    commitments: list[CommitmentReport] | None = Field(None, description="as `prevdip response commitment list`")


class DisputeName(ReadModel):
    id: str
    name: str = Field(description="in English")
    name_ru: str
    phase: str = Field(description="the phase the dispute is in now")


class PhaseChange(DisputeName):
    """A transition recorded with a date in the brief's month."""

    to: str = Field(description="the phase it moved into")
    came_from: str | None = Field(description="the phase before (none for a dispute's first recorded phase)")
    date: str = Field(description="YYYY-MM-DD, or YYYY-MM where the sources give only the month")
    note: str | None = Field(description="the register's note (the brief prints the outlets, not the note)")
    sources: list[str] = Field(description="the outlets it was read in")


class WarnedDispute(DisputeName):
    units: list[str] = Field(description="its units that raised a warning in the month")


class CommitmentDue(ReadModel):
    dispute: str
    partner: str
    what: str
    due: str
    status: str


class DisputesSection(Section):
    """The brief's "Disputes": phase changes in the month, disputes whose units raised warnings in it, and (the
    centre's brief only) the commitments on those disputes that are due by the month's end."""

    changes: list[PhaseChange] | None = None
    warned: list[WarnedDispute] | None = None
    commitments: list[CommitmentDue] | None = Field(None, description="the centre's brief only (the ledger's)")


class MonthlyBrief(RegionSituation):
    """The monthly situation brief's content for one audience: the region, the water season outlook, the field
    reports, how watches have done, and what changed."""

    water_outlook: WaterOutlookSection
    audience: str = Field(
        description="centre, governments, partners or public: who may read it; hidden reports count nowhere"
    )
    field_reports: FieldReportsSection
    watch_record: WatchRecordSection
    changes: list[StageRow] = Field(description="units whose stage deteriorated or improved, with evidence")
    generated: str
    attributions: list[str] = Field(description="what every source of the lake asks to be cited with")
    workspace: str | None = Field(description="the server's workspace, in the centre's own brief only")
    disputes: DisputesSection = Field(
        description="phase changes, disputes whose units raised warnings, commitments due"
    )
