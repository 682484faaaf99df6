"""The pages' data as typed models: the JSON twins print them and ``/api/docs`` documents them.

The situation pages (``/``, a country, a dyad, a brief) are the situation read model itself
(:mod:`prevdip.situation.models`); the others add their own parts here. Each part that rests on one capability is a
:class:`~prevdip.situation.models.Section`: ``available`` or not and ``reason``, then its own fields. Where a part
carries a domain's own JSON (a GMCR analysis, a basin run, the ledger's records) its fields are named here and their
values are the domain's, as its CLI prints them with ``--json``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ConfigDict, Field

from prevdip.forecast.views import (
    BarVerdict,
    CalibrationRecord,
    ForecastHorizon,
    RecalibrationRecord,
    RegionalTable,
    VintageCalibration,
)
from prevdip.situation.models import (
    DisputeName,
    MonthlyBrief,
    ReadModel,
    RegionSituation,
    Scalar,
    Section,
    UnitSituation,
)

M = TypeVar("M", bound=ReadModel)


def extended(page: type[M], base: ReadModel, **more: Any) -> M:
    """A page model made of a read model's fields (those it set) and the page's own."""
    return page(**{name: getattr(base, name) for name in base.model_fields_set}, **more)


class Overview(RegionSituation):
    """``/``: the region in a month."""

    disputes: list[DisputeName] | None = Field(None, description="the register's disputes, each with its phase")


class CountryInfo(ReadModel):
    iso3: str
    iso2: str
    isonum: int
    gw: int
    fips: str
    cameo: str
    name: str


class EventsSection(Section):
    """Events from the lake in the order asked (canonical columns, dates as ISO text, ``attributes`` the source's
    other fields by name)."""

    count: int | None = Field(None, description="how many events match in all")
    pages: int | None = Field(None, description="pages of a list shown whole (a unit's events); None on /events")
    events: list[dict[str, Scalar | dict[str, Scalar]]] | None = Field(
        None, description="canonical columns; ``attributes`` is the source's own fields as a mapping"
    )
    withheld: dict[str, int] | None = Field(None, description="by source, matching events a licence keeps unlisted")
    attributions: list[str] | None = Field(None, description="what the sources of the matching events ask")


class Unit(UnitSituation):
    """``/countries/{iso3}`` and ``/dyads/{a}-{b}``: one unit in a month. A country page adds ``country``, its
    ``dyads`` and ``notable_events``; a dyad page adds its ``countries``, border ``incidents`` and ``water_events``."""

    country: CountryInfo | None = None
    disputes: list[DisputeName] | None = Field(None, description="the disputes living on this unit (a party to them)")
    dyads: list[str] | None = None
    notable_events: EventsSection | None = None
    countries: list[str] | None = None
    incidents: EventsSection | None = None
    water_events: dict[str, EventsSection] | None = None


class EventFilters(ReadModel):
    """The filters of ``/events`` as understood: a region preset or countries (ISO3), categories and priority
    groups (any of each), a source, a border dyad, a date range, an audience, and the order."""

    region: str | None = Field(description="the region preset the countries come from; None: chosen one by one")
    countries: list[str] = Field(description="ISO3 codes: events with any of them as place or actor; [] for all")
    categories: list[str]
    groups: list[str] = Field(description="priority groups: events the centre's classification files under any")
    source: str | None
    dyad: str | None
    since: str | None = Field(description="YYYY-MM-DD")
    until: str | None = Field(description="YYYY-MM-DD")
    audience: str | None
    sort: str = Field(description="date (newest first), deaths (most first) or source")


class Links(ReadModel):
    """The next and previous pages (keyset cursors in ``after``/``before``), and the filtered set as files."""

    previous: str | None
    next: str | None
    csv: str | None = None
    parquet: str | None = None


class Choice(ReadModel):
    """A value a filter may take, with its name in the page's language."""

    value: str
    name: str


class Events(ReadModel):
    """``/events``: a page of events, found by keyset cursor (``after``/``before``) or ``page``, with no cap."""

    filters: EventFilters
    page: int | None = Field(description="the page asked for by number, if it was")
    page_size: int
    first: int | None = Field(None, description="1-based number of the first event shown")
    restarted: bool = Field(False, description="the cursor was from an earlier state of the lake: list restarted")
    categories: list[str]
    choices: dict[str, list[Choice]] = Field(description="regions, countries, categories, groups, sorts by name")
    links: Links
    results: EventsSection


class VintageRow(ForecastHorizon):
    """A row of the latest global vintage, with the unit's name."""

    name: str


class VintageSection(Section):
    """The newest frozen deaths vintage, as ``prevdip forecast --json`` names it, each row with the unit's name,
    riskiest first (P(crisis) withheld, ``crisis_withheld``, from an audience the lake hides field reports from)."""

    target: str | None = None
    model: str | None = None
    origin: str | None = None
    data_through: str | None = None
    n_units: int | None = None
    vintage: str | None = None
    calibration: VintageCalibration | None = None
    forecasts: list[VintageRow] | None = None
    crisis_withheld: bool | None = None


class RegionalSection(Section):
    """Next month's forecast of the region's countries, border dyads and provinces, each from its target's newest
    vintage (no field at all where none is frozen), with the change since the previous vintage and what moved it."""

    countries: RegionalTable | None = None
    dyads: RegionalTable | None = None
    provinces: RegionalTable | None = None


class Forecasts(ReadModel):
    """``/forecasts``: the region first, then the latest frozen global vintage."""

    region: RegionalSection
    vintage: VintageSection


class BacktestSection(Section):
    """The published backtest, as ``prevdip backtest --json`` prints it, with the bar's verdict."""

    target: str | None = None
    origins: list[str] | None = None
    n_units: int | None = None
    scores: dict[str, dict[str, dict[str, float | None]]] | None = None
    skill_vs_conflictology12: dict[str, dict[str, dict[str, float | None]]] | None = None
    bar: BarVerdict | None = None
    alarms: dict[str, dict[str, list[dict[str, float | int | None]]]] | None = None
    calibration: dict[str, dict[str, dict[str, CalibrationRecord]]] | None = None
    recalibration: dict[str, dict[str, RecalibrationRecord]] | None = None
    fingerprint: str | None = None
    lake: str | None = None
    published_at: str | None = None


class Backtests(ReadModel):
    """``/backtests``: the published backtest scores of the deaths target against the baselines; under ``more``
    those of the other targets."""

    backtest: BacktestSection
    more: dict[str, BacktestSection] = Field(description="the same for border-dyads, provinces and stage-crisis")


class Case(ReadModel):
    name: str
    title: str


class CasesSection(Section):
    cases: list[Case] | None = None


class StatusQuoSection(Section):
    """Where the status quo can go (as ``prevdip gmcr status-quo --json``); refused for a large model."""

    model_config = ConfigDict(populate_by_name=True)

    start: str | None = Field(None, alias="from", description="the status-quo state")
    reachable_equilibria: dict[str, list[str]] | None = None
    paths: list[list[str]] | None = None
    coalition_improvements: dict[str, list[str]] | None = Field(
        None, description="coalition → its joint improvements from the status quo"
    )


class Sanction(ReadModel):
    path: list[str] = Field(description="the shortest deterring sequence, from the improvement's target")
    movers: list[str] = Field(description="who moves at each step")


class ConceptVerdict(ReadModel):
    stable: bool
    text: str = Field(description="the verdict in plain words")
    sanctions: dict[str, Sanction | None] = Field(description="improvement → its sanction; null when none exists")


class StateExplanation(ReadModel):
    """Why a state is stable, or not, for one decision maker under each concept."""

    improvements: list[str]
    nash: ConceptVerdict
    gmr: ConceptVerdict
    smr: ConceptVerdict
    seq: ConceptVerdict


class RemovedBy(ReadModel):
    dm: str
    swap: list[list[str]] = Field(description="the two adjacent tie classes swapped")


class Robustness(ReadModel):
    """Of all swaps of two adjacent tie classes in one ranking, how many remove the equilibrium."""

    swaps_tested: int
    swaps_removing: int
    kept_share: float
    removed_by: list[RemovedBy]


class Coalitions(ReadModel):
    """Coalitional stability (no field at all when it was left out; the notes say why)."""

    coalitions: list[str] | None = Field(None, description="every coalition of two or more, as A+B")
    stability: dict[str, dict[str, list[str]]] | None = Field(None, description="concept → coalition → states")
    equilibria: dict[str, list[str]] | None = Field(
        None, description="concept → states stable for every coalition and decision maker"
    )
    improvements: dict[str, dict[str, list[str]]] | None = Field(
        None, description="coalition → state → its joint improvements (states that have some)"
    )


class GmcrReport(ReadModel):
    """A model's analysis, as ``prevdip gmcr analyze --json`` prints it (``docs/gmcr.md``)."""

    model: str
    description: str | None
    decision_makers: list[str]
    states: list[str]
    options: dict[str, dict[str, str]] | None = Field(None, description="option form only: state → option → Y/N/-")
    status_quo: str | None
    rankings: dict[str, list[list[str]]] = Field(description="decision maker → tie classes, most preferred first")
    stability: dict[str, dict[str, list[str]]] = Field(description="concept → decision maker → stable states")
    equilibria: dict[str, list[str]]
    explanations: dict[str, dict[str, StateExplanation]] = Field(description="decision maker → state → why")
    robustness: dict[str, dict[str, Robustness]] = Field(description="concept → equilibrium → its robustness")
    coalitions: Coalitions
    limited_move: dict[str, dict[str, list[str]]] | None = Field(
        None, description="horizon → decision maker → L_h-stable states (two decision makers only)"
    )
    notes: list[str]


class StabilityRow(ReadModel):
    state: str
    options: str = Field(description="the state's options as one Y/N string (option form only)")
    stable: dict[str, list[bool]] = Field(description="concept → stable for each decision maker, in order")
    equilibrium: dict[str, bool]


class StabilityTable(ReadModel):
    """The rows the page draws: the first states of the model (the JSON's analysis has them all)."""

    rows: list[StabilityRow]
    shown: int
    total: int


class GmcrAnalysis(Section):
    """A model's analysis (as ``prevdip gmcr analyze --json``), where its status quo can go, and the page's table."""

    analysis: GmcrReport | None = None
    status_quo: StatusQuoSection | None = None
    table: StabilityTable | None = None


class GmcrModel(GmcrAnalysis):
    """The open model: its name and reading, with its analysis."""

    name: str
    example: str | None
    id: str | None
    reading: str


class FormErrors(ReadModel):
    """A refused form: the field the refusal names (``None``: the form as a whole), what is wrong, what to do."""

    form: str
    field: str | None
    message: str
    hint: str | None


class DisputeLinkForm(ReadModel):
    """The officers' form on an uploaded model's page: link it to a dispute of the register."""

    gmcr: str = Field(description="the reference a dispute keeps for this model: upload:<model id>")
    disputes: list[DisputeName] = Field(description="the register's disputes that do not link it yet")
    linked: list[DisputeName] = Field(description="the disputes that link it")
    dispute: str = Field("", description="the dispute chosen, kept when the form is refused")
    errors: FormErrors | None = Field(None, description="why the last link was refused")


class Gmcr(ReadModel):
    """``/gmcr``: an example or uploaded model with its stability analysis."""

    examples: CasesSection = Field(description="the shipped example models")
    model: GmcrModel | None
    errors: list[str] = Field(description="validation errors of a refused upload")
    link: DisputeLinkForm | None = Field(None, description="link the uploaded model to a dispute (the centre's staff)")


class GmcrUpload(ReadModel):
    model_id: str | None = Field(description="id to open the stored model with /gmcr?model=ID; null when refused")
    errors: list[str]


class ScenariosSection(Section):
    runs: dict[str, dict[str, Any]] | None = Field(
        None,
        description="scenario → as `prevdip water basin --json [--with ...]`, with `water_values` (US$ per m³ by node "
        "and month) and, when facilities are planned, `planned_effect_by_year`",
    )


class BasinPage(ReadModel):
    """What every water page says of its basin: which one, the others, the planned facilities built and buildable,
    and the names of its places (a page shows a name, never an id)."""

    basin: str
    basins: list[str]
    planned: list[str] = Field(description="the planned facilities or variants built (`with=`)")
    planned_options: dict[str, str] = Field(description="every planned facility and variant of the basin: id → name")
    node_names: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="every node and variant of the basin: id → its name by language (en, ru)"
    )
    map_places: list[dict[str, Any]] = Field(
        default_factory=list,
        description="the places the basin map marks, numbered in this order: `id`, `symbol` (reservoir, hydropower, "
        "irrigation, lake, planned) and `lon`, `lat`",
    )


class Water(BasinPage):
    """``/water``: a basin's scenarios side by side."""

    year: str
    years: list[str]
    scenarios: ScenariosSection
    deal_url: str = Field(description="the basin's benefit-sharing deal (add .json for its data)")


class DealSection(Section):
    """The benefit-sharing deal of a basin, as ``prevdip water deal --json [--with ...]`` prints it."""

    basin: str | None = None
    players: list[str] | None = None
    years: list[str] | None = None
    planned: list[str] | None = None
    disagreement: dict[str, float] | None = None
    cooperative_benefit: dict[str, float] | None = None
    barter_in_cooperative_plan_gwh: dict[str, float] | None = None
    coalition_values: dict[str, float] | None = None
    gains_from_cooperation: float | None = None
    core_nonempty: bool | None = None
    least_core_epsilon: float | None = None
    allocations: dict[str, dict[str, Any]] | None = None
    most_stable: str | None = None
    assumption: str | None = None
    prices: dict[str, float] | None = None
    units: str | None = None


class WaterDeal(BasinPage):
    """``/water/deal``: the benefit-sharing deal of a basin, with side payments."""

    deal: DealSection


class Brief(MonthlyBrief):
    """``/briefs/{month}``: the monthly situation brief's content."""


class GlossaryTerm(ReadModel):
    key: str = Field(description="the anchor of the term on /glossary (#key)")
    term: str
    explanation: str


class Glossary(ReadModel):
    """``/glossary``: every term the pages use, in plain words (the JSON in English; the page in its language)."""

    terms: list[GlossaryTerm]


class EventRun(ReadModel):
    """The ingest run that wrote an event version: when, which files (by name), with what outcome."""

    id: str
    source: str | None = None
    started: str | None = None
    status: str | None = None
    files: list[str] = Field(default_factory=list, description="the files the run read, by name")


class EventProvenance(ReadModel):
    """Where an event came from: its run, the file and line of its row, and the row as the source wrote it."""

    run: EventRun
    file: str | None = None
    line: int | None = Field(None, description="the row's line in the file, the header being line 1")
    raw: dict[str, str] = Field(default_factory=dict, description="the row's fields as the source names them")
    missing: str | None = Field(None, description="why the raw row cannot be shown, when it cannot")


class EventPage(ReadModel):
    """``/events/{uid}``: one version of an event — every canonical field — its versions, and its provenance."""

    uid: str
    event: dict[str, Scalar | dict[str, str]]
    latest: bool = Field(description="this is the event's latest version")
    deleted: bool = Field(description="the source has since deleted or retracted the event")
    versions: list[dict[str, Scalar]]
    provenance: EventProvenance
    attributions: list[str]
