"""The one service that answers "the region (or a unit) in month M for audience A", for every face.

It asks each domain for one thing through its public names — signals for stages and evidence, forecast for the
frozen vintages, response for the warnings and agenda blocks — and returns the typed read model
(:mod:`prevdip.situation.models`). Stages, counts, evidence and warnings are computed from the events the audience
may see; the crisis forecast is withheld from an audience the lake hides reports from (see
:func:`prevdip.response.crisis_withheld`); an unknown unit or month is a :class:`~prevdip.errors.NotFound`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from prevdip.events import EventFilter, lake_stamp, query_events
from prevdip.events.coverage import SERIES_SOURCES, lake_coverage, remedy
from prevdip.events.licences import lake_attributions
from prevdip.events.sharing import Audience, tiers_of
from prevdip.forecast import province_forecasts, unit_forecast
from prevdip.forecast.views import ForecastHorizon, LatestVintage, UnitForecast
from prevdip.geo import country, home_region
from prevdip.months import Month
from prevdip.response import agenda_blocks, crisis_withheld, warnings_raised, watch_record
from prevdip.signals import PRIORITY_GROUPS, Kind, signals_for, stage_panel
from prevdip.situation.disputes import disputes_section
from prevdip.situation.models import (
    BasinOutcome,
    Coverage,
    CoverageGap,
    CoverageSection,
    FieldReport,
    FieldReportsSection,
    ForecastRow,
    ForecastRowsSection,
    GroupCountsSection,
    GroupGlance,
    GroupMonth,
    MonthlyBrief,
    MonthSpan,
    Named,
    PriorityGroupsSection,
    ProvincesSection,
    RegionSituation,
    SignalSection,
    StageHistorySection,
    StageMonth,
    StageRow,
    StagesSection,
    UnitForecastSection,
    UnitSignal,
    UnitSituation,
    WarningsSection,
    WatchRecordSection,
    WaterOutlookSection,
)
from prevdip.situation.sections import S, Unavailable, asked, section

#: A forecast read model a crisis probability may be withheld from.
F = TypeVar("F", UnitForecast, LatestVintage)

HISTORY_MONTHS = 24
NO_LAKE = "No event lake in the workspace {workspace}: run `prevdip ingest bundle` (or `prevdip demo`) first."


def require_lake(workspace: Path) -> None:
    """Readings of the lake make sense once it holds a committed file (its provenance stamp is not empty)."""
    if lake_stamp(workspace).empty:
        raise Unavailable(NO_LAKE.format(workspace=workspace))


def latest_month(*, workspace: Path) -> Month:
    """The latest month the signals cover."""
    require_lake(workspace)
    panel = stage_panel("country", workspace=workspace)
    if panel.empty:
        raise Unavailable(NO_LAKE.format(workspace=workspace))
    return Month.of(panel["month"].max().date())


def default_month(*, workspace: Path) -> Month:
    """The latest month the signals cover, or the last complete month when they are not there yet."""
    try:
        return asked(lambda: latest_month(workspace=workspace))
    except Unavailable:
        return Month.current().previous()


def coverage(*, workspace: Path, audience: Audience = Audience.centre, countries: Iterable[str] = ()) -> list[Coverage]:
    """Which months each source in the lake covers (its first and last month with data), and in each of
    ``countries``, from what ``audience`` may see."""
    found = lake_coverage(workspace, audience)
    asked_for = tuple(countries)
    return [
        Coverage(
            source=source,
            kind="series" if source in SERIES_SOURCES else "events",
            first_month=_month(span.first),
            last_month=_month(span.last),
            remedy=remedy(source),
            countries={
                iso3: MonthSpan(first_month=_month(s.first), last_month=_month(s.last))
                for iso3 in asked_for
                if (s := found.countries.get((source, iso3)))
            },
        )
        for source, span in found.sources.items()
    ]


def coverage_section(
    month: Month, *, workspace: Path, audience: Audience, countries: Iterable[str] = ()
) -> CoverageSection:
    """What the month's counts cover, and the event sources whose data end before it (their zero is no data)."""

    def gather() -> dict[str, object]:
        require_lake(workspace)
        found = lake_coverage(workspace, audience)
        ended = found.ended_before(month.first_day)
        events = [s for s in found.sources if s not in SERIES_SOURCES]
        return {
            "month": str(month),
            "sources": coverage(workspace=workspace, audience=audience, countries=countries),
            "ended": [
                CoverageGap(source=source, last_month=_month(span.last), remedy=remedy(source))
                for source, span in ended.items()
            ],
            "events_covered": any(found.sources[s].covers(month.first_day) for s in events),
        }

    return section(CoverageSection, gather)


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


# --- one unit ---------------------------------------------------------------------------------------------------


def unit_signal(unit: str, month: Month, *, workspace: Path, audience: Audience) -> UnitSignal:
    """The signal of a country or dyad in a month, from what ``audience`` may see, each quoted field report marked
    with its sharing tier."""
    signal = signals_for(unit, month.first_day, workspace=workspace, audience=audience)
    quoted = [(e["source"], e["event_uid"]) for e in signal["evidence"] if e.get("kind") == "event"]
    tiers = tiers_of(quoted, workspace) if quoted else {}
    evidence = [
        e | {"sharing": tiers[e["event_uid"]]} if e.get("event_uid") in tiers else e for e in signal["evidence"]
    ]
    return UnitSignal.model_validate(signal | {"evidence": evidence})


def _unit_rows(unit: str, until: Month, *, workspace: Path, audience: Audience) -> list[dict[str, Any]]:
    """The unit's rows of its stage panel for the :data:`HISTORY_MONTHS` months up to ``until``."""
    require_lake(workspace)
    panel = stage_panel(_kind(unit), workspace=workspace, audience=audience)
    first, last = until.plus(1 - HISTORY_MONTHS).first_day, until.first_day
    stamps = panel["month"].dt.date
    rows = panel[(panel["unit"] == unit) & (stamps >= first) & (stamps <= last)].sort_values("month")
    return rows.to_dict("records")  # type: ignore[return-value]


def stage_history(unit: str, until: Month, *, workspace: Path, audience: Audience) -> list[StageMonth]:
    """The unit's stage and trend in each month up to ``until``."""
    rows = _unit_rows(unit, until, workspace=workspace, audience=audience)
    return [StageMonth(month=f"{r['month']:%Y-%m-%d}", stage=str(r["stage"]), trend=str(r["trend"])) for r in rows]


def group_counts(unit: str, until: Month, *, workspace: Path, audience: Audience) -> list[GroupMonth]:
    """Events per month and priority group for the unit."""
    rows = _unit_rows(unit, until, workspace=workspace, audience=audience)
    return [
        GroupMonth(month=f"{r['month']:%Y-%m-%d}", group=group, events=int(r[f"pg_{group}"]))
        for group in PRIORITY_GROUPS
        for r in rows
    ]


def unit_situation(unit: str, name: str, month: Month, *, workspace: Path, audience: Audience) -> UnitSituation:
    """A country or dyad in a month: its signal, stage history, events by priority group and forecast."""

    def history() -> dict[str, object]:
        return {"months": stage_history(unit, month, workspace=workspace, audience=audience)}

    def groups() -> dict[str, object]:
        return {"months": group_counts(unit, month, workspace=workspace, audience=audience)}

    def forecast() -> UnitForecast:
        return unit_forecast(unit, month.first_day, workspace=workspace)

    def signal() -> UnitSignal:
        require_lake(workspace)
        return unit_signal(unit, month, workspace=workspace, audience=audience)

    return UnitSituation(
        unit=unit,
        name=name,
        month=str(month),
        signal=section(SignalSection, signal),
        stage_history=section(StageHistorySection, history),
        events_by_group=section(GroupCountsSection, groups),
        forecast=forecast_section(UnitForecastSection, forecast, workspace=workspace, audience=audience),
        coverage=coverage_section(month, workspace=workspace, audience=audience, countries=unit.split("-")),
    )


def without_crisis(found: F, *, withheld: bool) -> F:
    """The forecast as found, or, when ``withheld``, with every row's P(crisis) taken out: the crisis forecast
    learns from stages that count every field report, so it would leak them to an audience the lake hides them from."""
    if not withheld:
        return found
    rows = {
        key: [row.model_copy(update=_no_crisis(row)) for row in getattr(found, key)]
        for key in ("horizons", "forecasts")
        if key in type(found).model_fields
    }
    return found.model_copy(update=rows)


def forecast_section(
    kind: type[S],
    gather: Callable[[], F],
    *,
    workspace: Path,
    audience: Audience,
    shown: Callable[[F], BaseModel | dict[str, object]] | None = None,
) -> S:
    """The section ``kind`` holding the forecast ``gather`` finds (``shown`` reshapes it for a face), P(crisis)
    withheld and ``crisis_withheld`` said where the lake hides field reports from ``audience``."""
    withheld = crisis_withheld(workspace, audience)

    def fields() -> BaseModel | dict[str, object]:
        found = without_crisis(gather(), withheld=withheld)
        return shown(found) if shown is not None else found

    made = section(kind, fields)
    return made.model_copy(update={"crisis_withheld": True}) if withheld and made.available else made


def _no_crisis(row: ForecastHorizon) -> dict[str, None]:
    """P(crisis) withheld, the model's own figure too where the row has one."""
    return {"p_crisis": None, **({"p_crisis_raw": None} if row.p_crisis_raw is not None else {})}


def _kind(unit: str) -> Kind:
    return "dyad" if "-" in unit else "country"


# --- the region -------------------------------------------------------------------------------------------------


def region_units() -> list[Named]:
    """Every country of the home region, then its border dyads, with their names."""
    the_region = home_region()
    countries = [Named(unit=c.iso3, name=c.name) for c in the_region.countries]
    dyads = [Named(unit=d.code, name=f"{country(d.a).name} – {country(d.b).name}") for d in the_region.dyads]
    return countries + dyads


def _stage_row(unit: Named, month: Month, *, workspace: Path, audience: Audience) -> StageRow:
    signal = unit_signal(unit.unit, month, workspace=workspace, audience=audience)
    return StageRow(
        unit=unit.unit,
        name=unit.name,
        kind=_kind(unit.unit),
        stage=signal.stage,
        instrument=signal.instrument,
        trend=signal.trend,
        priority_groups=signal.priority_groups,
        evidence=signal.evidence,
    )


def _forecast_row(unit: Named, month: Month, *, workspace: Path, crisis: bool) -> ForecastRow:
    forecast = unit_forecast(unit.unit, month.first_day, workspace=workspace)
    first = forecast.horizons[0]
    return ForecastRow(
        unit=unit.unit,
        name=unit.name,
        month=first.month,
        median=first.median,
        low90=first.low90,
        high90=first.high90,
        p_any=first.p_any,
        p_crisis=first.p_crisis if crisis else None,
        explanation=forecast.explanation,
        **({"p_any_raw": first.p_any_raw} if first.p_any_raw is not None else {}),
        **({"p_crisis_raw": first.p_crisis_raw} if crisis and first.p_crisis_raw is not None else {}),
    )


def most_moved(rows: Iterable[ForecastRow]) -> ForecastRow | None:
    """The unit whose next-month risk moved most since last month, for the one line on why."""
    explained = [r for r in rows if r.explanation is not None]
    if not explained:
        return None
    return max(explained, key=lambda r: abs(r.explanation.p_now - r.explanation.p_before) if r.explanation else 0.0)


def _glance(rows: Iterable[StageRow]) -> dict[str, GroupGlance]:
    """Priority groups at a glance: each group's events this month over the countries (dyads would count events
    twice), and the countries where it had any."""
    events: dict[str, int | float] = {}
    where: dict[str, dict[str, int | float]] = {}
    for row in rows:
        if row.kind != "country":
            continue
        for group, figure in (row.priority_groups or {}).items():
            events.setdefault(group, 0)
            where.setdefault(group, {})
            if figure:
                events[group] += figure
                where[group][row.unit] = figure
    return {group: GroupGlance(events=events[group], countries=where[group]) for group in events}


def warnings_section(month: Month, units: set[str], *, workspace: Path, audience: Audience) -> WarningsSection:
    """The month's open warnings for ``units`` as ``audience`` may see them, and the agenda blocks they suggest."""

    def gather() -> dict[str, object]:
        require_lake(workspace)
        found = [w for w in warnings_raised(month.first_day, workspace=workspace, audience=audience) if w.unit in units]
        return {"warnings": found, "agenda": agenda_blocks(found)}

    return section(WarningsSection, gather)


def region_situation(month: Month, *, workspace: Path, audience: Audience) -> RegionSituation:
    """The region in a month: stages, forecast risk, open warnings and priority groups, from what ``audience`` may
    see; the crisis forecast withheld where the lake hides reports from it (``crisis_withheld``). The deaths
    forecast stands on the UCDP series alone and stays."""
    units = region_units()
    withheld = crisis_withheld(workspace, audience)

    def stage_rows() -> dict[str, object]:
        require_lake(workspace)
        return {"units": [_stage_row(u, month, workspace=workspace, audience=audience) for u in units]}

    stages = section(StagesSection, stage_rows)

    def forecasts() -> dict[str, object]:
        rows = [_forecast_row(u, month, workspace=workspace, crisis=not withheld) for u in units]
        provinces = section(ProvincesSection, lambda: province_forecasts(workspace=workspace, month=month.first_day))
        return {"units": rows, "moved": most_moved(rows), "provinces": provinces}

    forecast = section(ForecastRowsSection, forecasts)
    if stages.available:
        groups = PriorityGroupsSection(available=True, reason=None, groups=_glance(stages.units or []))
    else:
        groups = PriorityGroupsSection(available=False, reason=stages.reason)
    the_region = home_region()
    return RegionSituation(
        month=str(month),
        region=the_region.name,
        countries=[u for u in units if "-" not in u.unit],
        dyads=[u for u in units if "-" in u.unit],
        stages=stages,
        forecast=forecast,
        warnings=warnings_section(month, {u.unit for u in units}, workspace=workspace, audience=audience),
        priority_groups=groups,
        coverage=coverage_section(
            month, workspace=workspace, audience=audience, countries=[u.unit for u in units if "-" not in u.unit]
        ),
        crisis_withheld=withheld,
    )


# --- the monthly brief ------------------------------------------------------------------------------------------

FIELD_REPORTS = 25  # the month's latest; the count says how many there were in all
WATER_BASINS = ("syr-darya", "amu-darya")
WATER_REGIMES = ("energy", "cooperative")


def field_reports(month: Month, *, workspace: Path, audience: Audience) -> FieldReportsSection:
    """The month's field reports ``audience`` may see, newest first; the reporter only for the centre."""

    def gather() -> dict[str, object]:
        require_lake(workspace)
        filters = EventFilter(source="field", since=month.first_day, until=month.last_day, audience=audience)
        found = query_events(filters, limit=FIELD_REPORTS, workspace=workspace)
        keep = ("date_start", "country_iso3", "location", "category", "fatalities_best", "description", "sharing")
        reports = []
        for event in found["events"]:
            said = dict(p.split(": ", 1) for p in (event["source_reference"] or "").split("; ") if ": " in p)
            named = {"reporter": said.get("reporter")} if audience is Audience.centre else {}
            reports.append(FieldReport(**{k: event[k] for k in keep}, confidence=said.get("confidence"), **named))
        return {"count": found["count"], "reports": reports}

    return section(FieldReportsSection, gather)


@lru_cache(maxsize=8)
def _basin(basin: str, regime: str) -> BasinOutcome:
    """A basin's regime in a normal year (solved once per process: the water data are the package's own)."""
    from prevdip.water import solve_basin

    run = solve_basin(basin, regime, "normal").as_dict()
    return BasinOutcome(total_benefit=run.get("total_benefit"), benefit_by_country=run.get("benefit_by_country"))


def water_outlook() -> WaterOutlookSection:
    """Each basin's non-cooperative (energy) and cooperative regime in a normal year: the season's stakes."""
    return section(
        WaterOutlookSection, lambda: {"basins": {b: {r: _basin(b, r) for r in WATER_REGIMES} for b in WATER_BASINS}}
    )


def _changes(units: Iterable[StageRow]) -> list[StageRow]:
    """Units whose stage deteriorated or improved this month, deteriorations first."""
    moved = [u for u in units if u.trend in ("deteriorated", "improved")]
    return sorted(moved, key=lambda u: (u.trend != "deteriorated", u.unit))


def monthly_brief(
    month: Month, *, workspace: Path, audience: Audience, database_url: str | None = None
) -> MonthlyBrief:
    """The brief's content for ``month`` as ``audience`` may read it: the region, the water season outlook, the
    field reports, how watches have done, what changed, and the disputes (from the register at ``database_url``,
    default: the settings' system of record); the map is drawn when the brief is rendered."""
    region = region_situation(month, workspace=workspace, audience=audience)
    warned = {w.unit for w in region.warnings.warnings or []}
    return MonthlyBrief(
        **{name: getattr(region, name) for name in region.model_fields_set},
        water_outlook=water_outlook(),
        audience=audience.value,
        field_reports=field_reports(month, workspace=workspace, audience=audience),
        watch_record=section(WatchRecordSection, lambda: watch_record(workspace=workspace)),
        changes=_changes(region.stages.units or []) if region.stages.available else [],
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        attributions=lake_attributions(workspace),  # what every source of the lake asks to be cited with
        workspace=str(workspace) if audience is Audience.centre else None,  # a server path stays in the centre
        disputes=disputes_section(month, warned, url=database_url, audience=audience),
    )
