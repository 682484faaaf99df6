"""The one place where the dashboard and the briefs read the other domains.

Each function below asks one domain for one thing through its public API and returns the JSON shape that domain
prints on the command line. When the domain is not installed yet, or its data are not in the workspace, the function
raises :class:`Unavailable` with a sentence saying so, and the page or brief shows that sentence: nothing is ever made
up. Wiring a domain is a change to one function here (its import and its call).
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from prevdip.briefs.locale import say
from prevdip.errors import NotFound, RefusedInput
from prevdip.events.sharing import Audience

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """A capability or its data is not there yet; the reason is shown to the reader as it is."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def section(gather: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``{"available": true, **data}``, or ``{"available": false, "reason": ...}`` when the data are not there."""
    try:
        return {"available": True, "reason": None, **gather()}
    except Unavailable as missing:
        return {"available": False, "reason": missing.reason}


def _public(module: str, name: str, capability: str) -> Any:
    """A public function of a domain, or :class:`Unavailable` naming the capability that is missing."""
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise Unavailable(
            say("notice.capability_missing", capability=say(f"capability.{capability}"), package=f"{module}.{name}")
        ) from None
    return found


def _asked(call: Callable[[], Any]) -> Any:
    """Run a domain call; its refusals (other than an unknown unit or month, a 404) mean its data are missing.

    A failure inside the domain is logged with its traceback and shown as that section's reason, so one broken
    capability does not take the whole page down with it.
    """
    try:
        return call()
    except NotFound:
        raise
    except RefusedInput as refusal:
        raise Unavailable(str(refusal)) from None
    except Exception as failure:
        log.exception("a domain call failed")
        raise Unavailable(f"this part failed inside prevdip ({type(failure).__name__}: {failure})") from failure


def require_lake(workspace: Path) -> None:
    """The event lake must hold at least one Parquet file before any event-based reading makes sense."""
    events = workspace / "lake" / "events"
    if not events.is_dir() or next(events.rglob("*.parquet"), None) is None:
        raise Unavailable(say("notice.no_lake", workspace=workspace))


# --- signals (issue 4): stage, trend, instrument, priority groups, evidence -------------------------------------


def unit_signal(unit: str, month: date, *, workspace: Path, audience: Audience = Audience.centre) -> dict[str, Any]:
    """The signal of a country or dyad in a month, as ``prevdip signals --json`` prints it, from what ``audience``
    may see."""
    signals_for = _public("prevdip.signals", "signals_for", "signals")
    require_lake(workspace)
    signal = dict(_asked(lambda: signals_for(unit, month, workspace=workspace, audience=audience)))
    return signal | {"evidence": _with_tiers(signal.get("evidence") or [], workspace)}


def _with_tiers(evidence: list[Any], workspace: Path) -> list[Any]:
    """The evidence with each quoted field report's sharing tier, so pages can mark centre-internal ones."""
    from prevdip.events.sharing import tiers_of

    quoted = [(e["source"], e["event_uid"]) for e in evidence if isinstance(e, dict) and e.get("kind") == "event"]
    tiers = tiers_of(quoted, workspace) if quoted else {}
    return [
        e | {"sharing": tiers[e["event_uid"]]} if isinstance(e, dict) and e.get("event_uid") in tiers else e
        for e in evidence
    ]


def _panel_rows(unit: str, *, until: date, months: int, workspace: Path, audience: Audience) -> Any:
    """The unit's rows of its stage panel (a pandas frame) for the ``months`` months up to ``until``, staged on
    what ``audience`` may see."""
    stage_panel = _public("prevdip.signals", "stage_panel", "signals")
    require_lake(workspace)
    kind = "dyad" if "-" in unit else "country"
    panel = _asked(lambda: stage_panel(kind, workspace=workspace, audience=audience))
    index = until.year * 12 + until.month - months  # months since year 0 of the first month shown
    first = date(index // 12, index % 12 + 1, 1)
    stamps = panel["month"].dt.date
    return panel[(panel["unit"] == unit) & (stamps >= first) & (stamps <= until)].sort_values("month")


def stage_history(
    unit: str, *, until: date, months: int, workspace: Path, audience: Audience = Audience.centre
) -> list[dict[str, Any]]:
    """The unit's stage for each of the ``months`` months up to ``until``: ``[{"month", "stage", "trend"}]``."""
    rows = _panel_rows(unit, until=until, months=months, workspace=workspace, audience=audience)
    return [{"month": f"{r.month:%Y-%m-%d}", "stage": r.stage, "trend": r.trend} for r in rows.itertuples(index=False)]


def priority_group_counts(
    unit: str, *, until: date, months: int, workspace: Path, audience: Audience = Audience.centre
) -> list[dict[str, Any]]:
    """Events per month and priority group for the unit: ``[{"month", "group", "events"}]``."""
    groups = _public("prevdip.signals", "PRIORITY_GROUPS", "signals")
    rows = _panel_rows(unit, until=until, months=months, workspace=workspace, audience=audience)
    return [
        {"month": f"{month:%Y-%m-%d}", "group": group, "events": int(count)}
        for group in groups
        for month, count in zip(rows["month"], rows[f"pg_{group}"], strict=True)
    ]


def latest_signal_month(*, workspace: Path) -> date:
    """The latest month the country panel covers."""
    stage_panel = _public("prevdip.signals", "stage_panel", "signals")
    require_lake(workspace)
    panel = _asked(lambda: stage_panel("country", workspace=workspace))
    if panel.empty:
        raise Unavailable(say("notice.no_lake", workspace=workspace))
    return panel["month"].max().date()  # type: ignore[no-any-return]


# --- forecast (issue 4): vintages and backtests -----------------------------------------------------------------


def unit_forecast(unit: str, month: date, *, workspace: Path) -> dict[str, Any]:
    """The latest frozen forecast for a unit made at ``month``: ``{"unit", "origin", "horizons": [{"month",
    "median", "low50", "high50", "low90", "high90", "p_any", "p_crisis"}]}``."""
    forecast_for = _public("prevdip.forecast", "unit_forecast", "forecast")
    return dict(_asked(lambda: forecast_for(unit, month, workspace=workspace)))


def latest_vintage(*, workspace: Path) -> dict[str, Any]:
    """The latest forecast vintage, as ``prevdip forecast --json`` prints it."""
    vintage = _public("prevdip.forecast", "latest_vintage", "forecast")
    return dict(_asked(lambda: vintage(workspace=workspace)))


def published_backtest(*, workspace: Path, target: str = "ucdp-best") -> dict[str, Any]:
    """The published backtest scores of ``target``, as ``prevdip backtest --json`` prints them."""
    backtest = _public("prevdip.forecast", "published_backtest", "forecast")
    return dict(_asked(lambda: backtest(workspace=workspace, target=target)))


def province_forecasts(month: date, *, workspace: Path) -> dict[str, Any]:
    """Next month's forecast per province of the region, from the newest provinces vintage issued by ``month``."""
    provinces = _public("prevdip.forecast", "province_forecasts", "forecast")
    return dict(_asked(lambda: provinces(workspace=workspace, month=month)))


def regional_forecasts(*, workspace: Path) -> dict[str, Any]:
    """Next month's forecast for the region's countries, border dyads and provinces, with the change since the
    previous vintage and what moved it (``prevdip.forecast.regional_forecasts``)."""
    regional = _public("prevdip.forecast", "regional_forecasts", "forecast")
    return dict(_asked(lambda: regional(workspace=workspace)))


# --- events (issue 3): the lake ---------------------------------------------------------------------------------


def events(filters: dict[str, Any], *, limit: int, workspace: Path) -> dict[str, Any]:
    """Events matching ``filters`` (country, dyad, source, category, since, until, audience), as ``prevdip events
    --json``."""
    query_events = _public("prevdip.events", "query_events", "events")
    event_filter = _public("prevdip.events", "EventFilter", "events")
    require_lake(workspace)
    return dict(_asked(lambda: query_events(event_filter(**filters), limit=limit, workspace=workspace)))


def attributions(workspace: Path) -> list[str]:
    """What the sources of the workspace's lake ask outside products to cite them with (empty: no lake yet)."""
    try:
        cited = _public("prevdip.events.licences", "lake_attributions", "events")
    except Unavailable:
        return []
    return list(cited(workspace))


# --- response: open warnings and the agenda blocks they suggest --------------------------------------------------


def open_warnings(
    month: date,
    units: set[str],
    *,
    workspace: Path,
    audience: Audience = Audience.centre,
    forecast_risk: bool = True,
) -> dict[str, Any]:
    """The month's open warnings for ``units`` and the agenda blocks they suggest for the deputy foreign
    ministers: ``{"warnings": [EarlyWarning.as_dict()], "agenda": [AgendaBlock.as_dict()]}``. Stages come from
    the events ``audience`` may see, forecast risks (unless ``forecast_risk`` is off) from the frozen vintages."""
    warnings_of = _public("prevdip.response", "open_warnings", "response")
    agenda_blocks = _public("prevdip.response", "agenda_blocks", "response")
    stage_panel = _public("prevdip.signals", "stage_panel", "signals")
    require_lake(workspace)
    risks = _crisis_risks(month, workspace) if forecast_risk else None

    def of_kind(kind: str) -> list[Any]:
        panel = stage_panel(kind, workspace=workspace, audience=audience)
        return [w for w in warnings_of(panel, month, kind=kind, risks=risks) if w.unit in units]

    found = _asked(lambda: of_kind("country") + of_kind("dyad"))
    return {"warnings": [w.as_dict() for w in found], "agenda": [b.as_dict() for b in agenda_blocks(found)]}


def watch_record(*, workspace: Path) -> dict[str, Any]:
    """How a watch on forecast risk has done in the published crisis backtest (``prevdip.response.watch_record``)."""
    record = _public("prevdip.response", "watch_record", "response")
    return dict(_asked(lambda: record(workspace=workspace)))


def _crisis_risks(month: date, workspace: Path) -> dict[str, float] | None:
    """Forecast P(stage ≥ crisis) next month by unit, from the newest frozen vintage, or None while there is none."""
    crisis_risk = _public("prevdip.forecast", "crisis_risk", "forecast")
    return crisis_risk(workspace=workspace, month=month) or None


# --- water (issue 6) and gmcr (issue 5): stand-alone analysis tools ----------------------------------------------


@lru_cache(maxsize=32)
def water_basin(basin: str, scenario: str, year: str, planned: tuple[str, ...] = ()) -> dict[str, Any]:
    """One basin scenario, as ``prevdip water basin --json [--with ...]`` prints it (solved once per process: the
    data are the package's own)."""
    solve_basin = _public("prevdip.water", "solve_basin", "water")
    return dict(_asked(lambda: solve_basin(basin, scenario, year, planned=planned).as_dict()))


@lru_cache(maxsize=8)
def water_deal(basin: str, planned: tuple[str, ...] = ()) -> dict[str, Any]:
    """The benefit-sharing deal of a basin, as ``prevdip water deal --json [--with ...]`` prints it."""
    deal = _public("prevdip.water", "deal", "water")
    return dict(_asked(lambda: deal(basin, planned=planned)))


def water_planned_options(basin: str) -> dict[str, str]:
    """The planned facilities and variants a basin's scenarios can build, by id, with their names; none while the
    water model is not installed (the page then says so in its scenario section)."""
    try:
        planned_options = _public("prevdip.water", "planned_options", "water")
    except Unavailable:
        return {}
    return dict(_asked(lambda: planned_options(basin)))


def gmcr_examples() -> dict[str, dict[str, Any]]:
    """The shipped example models by name: ``{name: {"title", "description", "reading", "document"}}``."""
    list_cases = _public("prevdip.gmcr", "list_cases", "gmcr")
    return {
        case["case"]: {
            "title": case["title"],
            "description": case["description"],
            "reading": case["reading"],
            "document": json.loads(Path(case["path"]).read_text(encoding="utf-8")),
        }
        for case in _asked(list_cases)
    }


def gmcr_check(document: dict[str, Any]) -> dict[str, Any]:
    """Read a model document the way the analysis will: ``{"name", "states"}``, or :class:`RefusedInput` naming the
    field that is wrong."""
    load_model = _public("prevdip.gmcr", "load_model", "gmcr")
    model = load_model(document)
    return {"name": model.name, "states": model.m}


def gmcr_analysis(document: dict[str, Any], from_state: str | None) -> dict[str, Any]:
    """Analyse a model document: ``{"analysis": <gmcr analyze --json>, "status_quo": <gmcr status-quo --json>}``.

    A malformed document is refused by the domain with :class:`RefusedInput`; that refusal is passed on untouched,
    so the upload form can show it. Status-quo analysis refused for a large model becomes a stated reason.
    """
    load_model = _public("prevdip.gmcr", "load_model", "gmcr")
    analyze = _public("prevdip.gmcr", "analyze", "gmcr")
    status_quo = _public("prevdip.gmcr", "status_quo", "gmcr")
    model = load_model(document)
    analysis = dict(analyze(model).as_dict())
    start = from_state or analysis.get("status_quo") or analysis["states"][0]
    return {"analysis": analysis, "status_quo": section(lambda: dict(_asked(lambda: status_quo(model, str(start)))))}
