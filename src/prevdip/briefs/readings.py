"""The one place where the dashboard and the briefs read the other domains.

Each function below asks one domain for one thing through its public API and returns the JSON shape that domain
prints on the command line. When the domain is not installed yet, or its data are not in the workspace, the function
raises :class:`Unavailable` with a sentence saying so, and the page or brief shows that sentence: nothing is ever made
up. Wiring a domain is a change to one function here (its import and its call).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs.locale import say
from prevdip.errors import NotFound, RefusedInput


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


def _public(module: str, name: str, capability: str) -> Callable[..., Any]:
    """A public function of a domain, or :class:`Unavailable` naming the capability that is missing."""
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise Unavailable(
            say("notice.capability_missing", capability=say(f"capability.{capability}"), package=f"{module}.{name}")
        ) from None
    return found  # type: ignore[no-any-return]


def _asked(call: Callable[[], Any]) -> Any:
    """Run a domain call; its refusals (other than an unknown unit or month, a 404) mean its data are missing."""
    try:
        return call()
    except NotFound:
        raise
    except RefusedInput as refusal:
        raise Unavailable(str(refusal)) from None


def require_lake(workspace: Path) -> None:
    """The event lake must hold at least one Parquet file before any event-based reading makes sense."""
    events = workspace / "lake" / "events"
    if not events.is_dir() or next(events.rglob("*.parquet"), None) is None:
        raise Unavailable(say("notice.no_lake", workspace=workspace))


# --- signals (issue 4): stage, trend, instrument, priority groups, evidence -------------------------------------


def unit_signal(unit: str, month: date, *, workspace: Path) -> dict[str, Any]:
    """The signal of a country or dyad in a month, as ``prevdip signals --json`` prints it."""
    signals_for = _public("prevdip.signals", "signals_for", "signals")
    require_lake(workspace)
    return dict(_asked(lambda: signals_for(unit, month, workspace=workspace)))


def stage_history(unit: str, *, until: date, months: int, workspace: Path) -> list[dict[str, Any]]:
    """The unit's stage for each of the ``months`` months up to ``until``: ``[{"month", "stage", "trend"}]``."""
    history = _public("prevdip.signals", "stage_history", "signals")
    require_lake(workspace)
    return list(_asked(lambda: history(unit, until=until, months=months, workspace=workspace)))


def priority_group_counts(unit: str, *, until: date, months: int, workspace: Path) -> list[dict[str, Any]]:
    """Events per month and priority group for the unit: ``[{"month", "group", "events"}]``."""
    counts = _public("prevdip.signals", "priority_group_counts", "signals")
    require_lake(workspace)
    return list(_asked(lambda: counts(unit, until=until, months=months, workspace=workspace)))


def latest_signal_month(*, workspace: Path) -> date:
    """The latest month the signals cover."""
    latest = _public("prevdip.signals", "latest_month", "signals")
    require_lake(workspace)
    return _asked(lambda: latest(workspace=workspace))  # type: ignore[no-any-return]


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


def published_backtest(*, workspace: Path) -> dict[str, Any]:
    """The published backtest scores, as ``prevdip backtest --json`` prints them."""
    backtest = _public("prevdip.forecast", "published_backtest", "forecast")
    return dict(_asked(lambda: backtest(workspace=workspace)))


# --- events (issue 3): the lake ---------------------------------------------------------------------------------


def events(filters: dict[str, Any], *, limit: int, workspace: Path) -> dict[str, Any]:
    """Events matching ``filters`` (country, dyad, source, category, since, until), as ``prevdip events --json``."""
    query_events = _public("prevdip.events", "query_events", "events")
    require_lake(workspace)
    return dict(_asked(lambda: query_events(**filters, limit=limit, workspace=workspace)))


# --- response: warnings (no issue yet) --------------------------------------------------------------------------


def open_warnings(*, workspace: Path) -> list[dict[str, Any]]:
    """Open warnings: ``[{"unit", "priority_group", "title", "issued", "stage"}]``."""
    warnings = _public("prevdip.response", "open_warnings", "response")
    return list(_asked(lambda: warnings(workspace=workspace)))


# --- water (issue 6) and gmcr (issue 5): stand-alone analysis tools ----------------------------------------------


def water_basin(basin: str, scenario: str, year: str) -> dict[str, Any]:
    """One basin scenario, as ``prevdip water basin --json`` prints it."""
    run = _public("prevdip.water", "run_basin", "water")
    return dict(_asked(lambda: run(basin, scenario=scenario, year=year)))


def water_deal(basin: str) -> dict[str, Any]:
    """The benefit-sharing deal of a basin, as ``prevdip water deal --json`` prints it."""
    deal = _public("prevdip.water", "benefit_sharing_deal", "water")
    return dict(_asked(lambda: deal(basin)))


def gmcr_examples() -> dict[str, dict[str, Any]]:
    """The shipped example models by name, each as its JSON document."""
    examples = _public("prevdip.gmcr", "examples", "gmcr")
    return dict(_asked(examples))


def gmcr_analysis(document: dict[str, Any], from_state: str | None) -> dict[str, Any]:
    """Analyse a model document: ``{"analysis": <gmcr analyze --json>, "status_quo": <gmcr status-quo --json>}``.

    A malformed document is refused by the domain with :class:`RefusedInput`; that refusal is passed on untouched,
    so the upload form can show it.
    """
    read_model = _public("prevdip.gmcr", "read_model", "gmcr")
    analyze = _public("prevdip.gmcr", "analyze", "gmcr")
    status_quo = _public("prevdip.gmcr", "status_quo", "gmcr")
    model = read_model(document)
    analysis = dict(analyze(model))
    start = from_state or analysis["states"][0]
    return {"analysis": analysis, "status_quo": dict(status_quo(model, start))}
