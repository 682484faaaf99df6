"""``/forecasts`` and ``/backtests``: the latest frozen forecast vintage and the published backtest scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prevdip.briefs import charts, readings
from prevdip.briefs.readings import section
from prevdip.briefs.situation import without_crisis
from prevdip.events.sharing import Audience
from prevdip.forecast.bar import bar_verdict
from prevdip.web._cache import while_workspace_unchanged


@while_workspace_unchanged()
def forecasts_page(audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """The latest forecast vintage, as ``prevdip forecast --json`` prints it; P(crisis) is withheld from an
    audience the lake hides field reports from (it is learnt from stages that count them all)."""
    return {
        "vintage": section(lambda: without_crisis(readings.latest_vintage(workspace=workspace), audience, workspace))
    }


@while_workspace_unchanged()
def backtests_page(*, workspace: Path) -> dict[str, Any]:
    """The published backtest, as ``prevdip backtest --json`` prints it, with the bar's verdict (worked out again
    for a backtest published before the verdict was part of it)."""

    def published() -> dict[str, Any]:
        data = readings.published_backtest(workspace=workspace)
        return {**data, "bar": data.get("bar") or bar_verdict(data)}

    return {"backtest": section(published)}


def crps_rows(scores: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per model and horizon with its CRPS, for the chart, horizons in ascending order of months."""
    rows = [
        (int(h), {"model": model, "horizon": f"h={h}", "crps": row.get("crps")})
        for model, by_horizon in scores.items()
        for h, row in by_horizon.items()
        if row.get("crps") is not None
    ]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def backtests_charts(data: dict[str, Any]) -> dict[str, Any]:
    """CRPS by model and horizon, when a backtest is published."""
    backtest = data["backtest"]
    if not backtest["available"]:
        return {}
    rows = crps_rows(backtest.get("scores", {}))
    return {"crps": charts.grouped_bars(rows, x="horizon", y="crps", colour="model", title="CRPS")}
