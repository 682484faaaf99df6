"""``/forecasts`` and ``/backtests``: the region's forecasts and the latest global vintage, the published backtests
of every target with the bar's verdict and their calibration."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from prevdip.briefs import charts, readings
from prevdip.briefs.locale import strings
from prevdip.briefs.readings import section
from prevdip.briefs.situation import without_crisis
from prevdip.events.sharing import Audience
from prevdip.forecast.bar import bar_verdict
from prevdip.geo import region
from prevdip.web._cache import while_workspace_unchanged

REGION = "central-asia+afghanistan"
MORE_TARGETS = ("border-dyads", "provinces", "stage-crisis")
CALIBRATION_HORIZONS = ("1", "3", "6")
EXPORT_COLUMNS = ("unit", "name", "horizon", "month", "p_any", "median", "low50", "high50", "low90", "high90", "mean")


@while_workspace_unchanged()
def forecasts_page(audience: Audience, *, workspace: Path) -> dict[str, Any]:
    """The region first — countries, border dyads, provinces, with the change since the previous vintage and what
    moved it — then the latest global vintage (as ``prevdip forecast --json`` prints it, units named); P(crisis) is
    withheld from an audience the lake hides field reports from (it is learnt from stages that count them all)."""

    def vintage() -> dict[str, Any]:
        from prevdip.forecast.target import unit_name

        data = without_crisis(readings.latest_vintage(workspace=workspace), audience, workspace)
        return {**data, "forecasts": [{**r, "name": unit_name(r["unit"])} for r in data["forecasts"]]}

    return {
        "region": section(lambda: readings.regional_forecasts(workspace=workspace)),
        "vintage": section(vintage),
    }


def forecasts_charts(data: dict[str, Any], *, bundle: Path | None, lang: str) -> dict[str, Any]:
    """The region's map of P(any death) next month: countries coloured, provinces as dots."""
    regional = data["region"]
    if not regional["available"] or not regional.get("countries"):
        return {}
    from prevdip.forecast.province_target import read_label_points

    risk = {r["unit"]: r["p_any"] for r in regional["countries"]["units"]}
    points: list[dict[str, Any]] = []
    if bundle is not None and regional.get("provinces"):
        located = read_label_points(bundle)
        by_province = {r["unit"]: r for r in regional["provinces"]["units"]}
        seen = set()
        for province, lon, lat in zip(located.province, located.longitude, located.latitude, strict=True):
            if province in by_province and province not in seen:
                seen.add(province)
                points.append({"lon": lon, "lat": lat, "name": by_province[province]["name"],
                               "p": by_province[province]["p_any"]})  # fmt: skip
    words = strings(lang)["forecasts"]
    spec = charts.risk_map(
        region(REGION).iso3s,
        risk,
        points,
        title=words["map_title"],
        legend=words["col_p_any"],
        bundle=bundle,
        lang=lang,
    )
    return {"risk_map": spec}


def export_table(audience: Audience, *, workspace: Path, form: str) -> bytes:
    """The latest global vintage as a table — every unit and horizon, named — in CSV or Parquet; the columns and
    no row when none is frozen (the page says why)."""
    import pandas as pd  # only a download needs it: the dashboard starts without it

    rows = forecasts_page(audience, workspace=workspace)["vintage"]
    frame = pd.DataFrame(rows.get("forecasts", []), columns=list(EXPORT_COLUMNS))
    frame.insert(0, "origin", rows.get("origin"))
    frame.insert(0, "vintage", rows.get("vintage"))
    if form == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@while_workspace_unchanged()
def backtests_page(*, workspace: Path) -> dict[str, Any]:
    """The published backtest of the deaths target, as ``prevdip backtest --json`` prints it, with the bar's
    verdict (worked out again for a backtest published before the verdict was part of it); under ``more`` those
    of the other targets."""

    more = {target: _published(workspace, target) for target in MORE_TARGETS}
    return {"backtest": _published(workspace, "ucdp-best"), "more": more}


def _published(workspace: Path, target: str) -> dict[str, Any]:
    def gather() -> dict[str, Any]:
        data = readings.published_backtest(workspace=workspace, target=target)
        return {**data, "bar": data.get("bar") or bar_verdict(data)}

    return section(gather)


def crps_rows(scores: dict[str, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per model and horizon with its CRPS, for the chart, horizons in ascending order of months."""
    rows = [
        (int(h), {"model": model, "horizon": f"h={h}", "crps": row.get("crps")})
        for model, by_horizon in scores.items()
        for h, row in by_horizon.items()
        if row.get("crps") is not None
    ]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def calibration_rows(backtest: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The best model's reliability and PIT rows by horizon and scope (global, region), for the charts."""
    reliability, pit = [], []
    for model in backtest.get("calibration", {}).values():
        for h in CALIBRATION_HORIZONS:
            for scope, record in model.get(h, {}).items():
                for b in record["reliability"]:
                    reliability.append({"horizon": f"h={h}", "scope": scope, **b})
                for k, share in enumerate(record["pit"]):
                    pit.append({"horizon": f"h={h}", "scope": scope, "bin": f"{k / len(record['pit']):.1f}",
                                "share": share})  # fmt: skip
    return reliability, pit


def _calibration_charts(key: str, backtest: dict[str, Any]) -> dict[str, Any]:
    reliability, pit = calibration_rows(backtest)
    if not reliability:
        return {}
    target = backtest.get("target", key)
    return {
        f"reliability_{key}": charts.reliability_chart(reliability, title=f"{target}: reliability of P(any)"),
        f"pit_{key}": charts.pit_chart(pit, title=f"{target}: PIT histogram"),
    }


def backtests_charts(data: dict[str, Any]) -> dict[str, Any]:
    """CRPS by model and horizon, and the calibration of every published target."""
    backtest = data["backtest"]
    drawn: dict[str, Any] = {}
    if backtest["available"]:
        rows = crps_rows(backtest.get("scores", {}))
        drawn["crps"] = charts.grouped_bars(rows, x="horizon", y="crps", colour="model", title="CRPS")
        drawn.update(_calibration_charts("main", backtest))
    for target, more in data.get("more", {}).items():
        if more["available"]:
            drawn.update(_calibration_charts(target.replace("-", "_"), more))
    return drawn
