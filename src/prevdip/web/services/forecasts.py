"""``/forecasts`` and ``/backtests``: the latest frozen forecast vintage and the published backtest scores."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.events.sharing import Audience
from prevdip.forecast import latest_vintage, published_backtest
from prevdip.situation import section, without_crisis
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Backtests, BacktestSection, Forecasts, VintageSection


@while_workspace_unchanged()
def forecasts_page(audience: Audience, *, workspace: Path) -> Forecasts:
    """The latest forecast vintage, as ``prevdip forecast --json`` names it; P(crisis) is withheld from an
    audience the lake hides field reports from (it is learnt from stages that count them all)."""

    def vintage() -> dict[str, object]:
        return without_crisis(latest_vintage(workspace=workspace), workspace=workspace, audience=audience)

    return Forecasts(vintage=section(VintageSection, vintage))


@while_workspace_unchanged()
def backtests_page(*, workspace: Path) -> Backtests:
    """The published backtest, as ``prevdip backtest --json`` prints it, with the bar's verdict."""
    return Backtests(backtest=section(BacktestSection, lambda: published_backtest(workspace=workspace)))


def crps_rows(scores: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """One row per model and horizon with its CRPS, for the chart, horizons in ascending order of months."""
    rows = [
        (int(h), {"model": model, "horizon": f"h={h}", "crps": row.get("crps")})
        for model, by_horizon in scores.items()
        for h, row in by_horizon.items()
        if row.get("crps") is not None
    ]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def backtests_charts(data: Backtests) -> dict[str, Any]:
    """CRPS by model and horizon, when a backtest is published."""
    if not data.backtest.available:
        return {}
    rows = crps_rows(data.backtest.scores or {})
    return {"crps": charts.grouped_bars(rows, x="horizon", y="crps", colour="model", title="CRPS")}
