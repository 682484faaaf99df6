"""The situation of the region, a country or a border dyad in a month: what the overview page, the country and dyad
pages and the monthly brief show. Each part is a :func:`~prevdip.briefs.readings.section`, so a capability that has
not landed is reported as missing instead of being filled in.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs import readings
from prevdip.briefs.months import current_month, month_label, previous_month
from prevdip.briefs.readings import Unavailable, section
from prevdip.events.sharing import Audience, hides_anything
from prevdip.geo import Dyad, country, region

REGION = "central-asia+afghanistan"
HISTORY_MONTHS = 24


def default_month(workspace: Path) -> date:
    """The latest month the signals cover, or the last complete month when they are not there yet."""
    try:
        return readings.latest_signal_month(workspace=workspace)
    except Unavailable:
        return previous_month(current_month())


def _signal_row(unit: str, name: str, kind: str, month: date, workspace: Path, audience: Audience) -> dict[str, Any]:
    signal = readings.unit_signal(unit, month, workspace=workspace, audience=audience)
    keep = ("stage", "instrument", "trend", "priority_groups", "evidence")
    return {"unit": unit, "name": name, "kind": kind, **{k: signal.get(k) for k in keep}}


def _forecast_row(unit: str, name: str, month: date, workspace: Path, crisis: bool) -> dict[str, Any]:
    forecast = readings.unit_forecast(unit, month, workspace=workspace)
    first = (forecast.get("horizons") or [{}])[0]
    return {
        "unit": unit,
        "name": name,
        **{k: first.get(k) for k in ("month", "median", "low90", "high90", "p_any")},
        "p_crisis": first.get("p_crisis") if crisis else None,
        "explanation": forecast.get("explanation"),
    }


def most_moved(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The unit whose next-month risk moved most since last month, for the brief's one line on why."""
    explained = [r for r in rows if r.get("explanation")]
    if not explained:
        return None
    return max(explained, key=lambda r: abs(r["explanation"]["p_now"] - r["explanation"]["p_before"]))


def _units() -> list[tuple[str, str, str]]:
    """(code, name, kind) of every country and border dyad of the region."""
    the_region = region(REGION)
    countries = [(c.iso3, c.name, "country") for c in the_region.countries]
    dyads = [(d.code, f"{country(d.a).name} – {country(d.b).name}", "dyad") for d in the_region.dyads]
    return countries + dyads


def _group_totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Priority groups at a glance: each group's events this month over the countries (dyads would count events
    twice), and the countries where it had any: ``{group: {"events": n, "countries": {iso3: n}}}``."""
    glance: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["kind"] != "country":
            continue
        for group, figure in (row.get("priority_groups") or {}).items():
            entry = glance.setdefault(group, {"events": 0, "countries": {}})
            if isinstance(figure, int | float) and figure:
                entry["events"] += figure
                entry["countries"][row["unit"]] = figure
    return glance


def regional_situation(
    month: date, *, workspace: Path, water: bool = False, audience: Audience = Audience.centre
) -> dict[str, Any]:
    """The region in a month: stages, forecast risk, open warnings and priority groups; with ``water``, the water
    season outlook too (basin runs take a second, so only the brief asks for them).

    Stages, counts, evidence and warnings are computed from the events ``audience`` may see; forecasts come from
    the frozen vintages. The crisis forecast learns from stages that count every field report, so for an audience
    the lake hides reports from it is withheld (``crisis_withheld``): no P(crisis) and no warning raised on it —
    a watch on a unit the brief shows as calm would point at what the audience may not see. The deaths forecast
    stands on the UCDP series alone and stays."""
    units = _units()
    withheld = hides_anything(workspace, audience)
    stages = section(lambda: {"units": [_signal_row(u, n, k, month, workspace, audience) for u, n, k in units]})

    def forecasts() -> dict[str, Any]:
        rows = [_forecast_row(u, n, month, workspace, not withheld) for u, n, _ in units]
        provinces = section(lambda: readings.province_forecasts(month, workspace=workspace))
        return {"units": rows, "moved": most_moved(rows), "provinces": provinces}

    forecast = section(forecasts)
    codes = {u for u, _, _ in units}
    warnings = section(
        lambda: readings.open_warnings(month, codes, workspace=workspace, audience=audience, forecast_risk=not withheld)
    )
    if stages["available"]:
        groups = {"available": True, "reason": None, "groups": _group_totals(stages["units"])}
    else:
        groups = {"available": False, "reason": stages["reason"]}
    return {
        "month": month_label(month),
        "region": REGION,
        "countries": [{"unit": u, "name": n} for u, n, k in units if k == "country"],
        "dyads": [{"unit": u, "name": n} for u, n, k in units if k == "dyad"],
        "stages": stages,
        "forecast": forecast,
        "warnings": warnings,
        "priority_groups": groups,
        "crisis_withheld": withheld,
    } | ({"water_outlook": section(lambda: {"basins": _water_outlook()})} if water else {})


def _water_outlook() -> dict[str, Any]:
    """Each basin's cooperative and non-cooperative (energy) regime in a normal year: the season's stakes."""
    outlook = {}
    for basin in ("syr-darya", "amu-darya"):
        runs = {s: readings.water_basin(basin, s, "normal") for s in ("energy", "cooperative")}
        outlook[basin] = {
            s: {"total_benefit": r.get("total_benefit"), "benefit_by_country": r.get("benefit_by_country")}
            for s, r in runs.items()
        }
    return outlook


def unit_situation(
    unit: str, name: str, month: date, *, workspace: Path, audience: Audience = Audience.centre
) -> dict[str, Any]:
    """A country or dyad in a month as ``audience`` may see it: its signal, stage history, events by priority group
    and forecast (without P(crisis) where the lake hides reports from the audience, as in the brief)."""
    return {
        "unit": unit,
        "name": name,
        "month": month_label(month),
        "signal": section(lambda: readings.unit_signal(unit, month, workspace=workspace, audience=audience)),
        "stage_history": section(
            lambda: {
                "months": readings.stage_history(
                    unit, until=month, months=HISTORY_MONTHS, workspace=workspace, audience=audience
                )
            }
        ),
        "events_by_group": section(
            lambda: {
                "months": readings.priority_group_counts(
                    unit, until=month, months=HISTORY_MONTHS, workspace=workspace, audience=audience
                )
            }
        ),
        "forecast": section(
            lambda: without_crisis(readings.unit_forecast(unit, month, workspace=workspace), audience, workspace)
        ),
    }


def without_crisis(forecast: dict[str, Any], audience: Audience, workspace: Path) -> dict[str, Any]:
    """A forecast with P(crisis) withheld (``crisis_withheld``) when the lake hides reports from ``audience``."""
    if not hides_anything(workspace, audience):
        return forecast
    rows = {
        key: [row | {"p_crisis": None} for row in forecast[key]] for key in ("horizons", "forecasts") if key in forecast
    }
    return forecast | rows | {"crisis_withheld": True}


def dyad_filter(dyad: Dyad) -> dict[str, Any]:
    """The event-query filter of a border dyad."""
    return {"dyad": dyad.code}
