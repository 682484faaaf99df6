"""``/forecasts`` and ``/backtests``: the region's forecasts and the latest global vintage, the published backtests
of every target with the bar's verdict and their calibration."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prevdip.briefs import charts
from prevdip.briefs.locale import say, strings
from prevdip.events.sharing import Audience
from prevdip.forecast import latest_vintage, published_backtest, regional_forecasts
from prevdip.forecast.targets import CRISIS_TARGET, DEATHS_TARGET, DYAD_TARGET, PROVINCE_TARGET
from prevdip.forecast.views import ForecastHorizon, LatestVintage
from prevdip.geo import home_region
from prevdip.situation import forecast_section, section
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import (
    Backtests,
    BacktestSection,
    Forecasts,
    RegionalSection,
    VintageRow,
    VintageSection,
)

MORE_TARGETS = (DYAD_TARGET, PROVINCE_TARGET, CRISIS_TARGET)
CALIBRATION_HORIZONS = ("1", "3", "6")
EXPORT_COLUMNS = ("unit", "name", "horizon", "month", "p_any", "median", "low50", "high50", "low90", "high90", "mean")
CALIBRATED_EXPORT_COLUMNS = (*EXPORT_COLUMNS[:5], "p_any_raw", *EXPORT_COLUMNS[5:])


def _named(row: ForecastHorizon) -> VintageRow:
    from prevdip.forecast.target import unit_name

    fields = {name: getattr(row, name) for name in row.model_fields_set}
    return VintageRow(**fields, name=unit_name(row.unit or ""))


def _named_rows(found: LatestVintage) -> dict[str, object]:
    """The vintage's fields with each row named, as the page shows it."""
    fields = {name: getattr(found, name) for name in found.model_fields_set}
    return fields | {"forecasts": [_named(row) for row in found.forecasts]}


@while_workspace_unchanged()
def forecasts_page(audience: Audience, *, workspace: Path) -> Forecasts:
    """The region first — countries, border dyads, provinces, with the change since the previous vintage and what
    moved it — then the latest global vintage (as ``prevdip forecast --json`` names it, units named); P(crisis) is
    withheld from an audience the lake hides field reports from (it is learnt from stages that count them all)."""

    return Forecasts(
        region=section(RegionalSection, lambda: regional_forecasts(workspace=workspace)),
        vintage=forecast_section(
            VintageSection,
            lambda: latest_vintage(workspace=workspace),
            workspace=workspace,
            audience=audience,
            shown=_named_rows,
        ),  # fmt: skip
    )


def forecasts_charts(data: Forecasts, *, bundle: Path | None, lang: str) -> dict[str, Any]:
    """The region's map of P(any death) next month: countries coloured, provinces as dots."""
    regional = data.region
    if not regional.available or regional.countries is None or not regional.countries.units:
        return {}
    from prevdip.forecast.province_target import read_label_points

    risk = {r.unit: r.p_any for r in regional.countries.units}
    points: list[dict[str, Any]] = []
    provinces = regional.provinces.units if regional.provinces is not None else None
    if bundle is not None and provinces:
        located = read_label_points(bundle)
        by_province = {r.unit: r for r in provinces}
        seen = set()
        for province, lon, lat in zip(located.province, located.longitude, located.latitude, strict=True):
            if province in by_province and province not in seen:
                seen.add(province)
                points.append({"lon": lon, "lat": lat, "name": by_province[province].name,
                               "p": by_province[province].p_any})  # fmt: skip
    words = strings(lang)["forecasts"]
    spec = charts.risk_map(
        home_region().iso3s,
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
    no row when none is frozen (the page says why). Where the vintage's P(any) is calibrated, ``p_any_raw`` (the
    model's own, empty at horizons without a map) follows ``p_any``."""
    import pandas as pd  # only a download needs it: the dashboard starts without it

    vintage = forecasts_page(audience, workspace=workspace).vintage
    rows = [row.as_json() for row in vintage.forecasts or []]
    calibrated = any("p_any_raw" in row for row in rows)  # the model's own P beside it, only where a map applied
    frame = pd.DataFrame(rows, columns=list(CALIBRATED_EXPORT_COLUMNS if calibrated else EXPORT_COLUMNS))
    frame.insert(0, "origin", vintage.origin)
    frame.insert(0, "vintage", vintage.vintage)
    if form == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@while_workspace_unchanged()
def backtests_page(*, workspace: Path) -> Backtests:
    """The published backtest of the deaths target, as ``prevdip backtest --json`` prints it, with the bar's
    verdict; under ``more`` those of the other targets."""

    def published(target: str) -> BacktestSection:
        return section(BacktestSection, lambda: published_backtest(workspace=workspace, target=target))

    return Backtests(backtest=published(DEATHS_TARGET), more={target: published(target) for target in MORE_TARGETS})


def crps_rows(scores: Mapping[str, Mapping[str, Mapping[str, Any]]], lang: str = "en") -> list[dict[str, Any]]:
    """One row per model and horizon with its CRPS, for the chart, horizons in ascending order of months."""
    rows = [
        (int(h), {"model": model, "horizon": _horizon(h, lang), "crps": row.get("crps")})
        for model, by_horizon in scores.items()
        for h, row in by_horizon.items()
        if row.get("crps") is not None
    ]
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _horizon(h: object, lang: str) -> str:
    """A horizon in words for a chart's axis or legend ("1 mo ahead")."""
    return say("chart.horizon_months", lang, h=h)


def _scope(scope: str, lang: str) -> str:
    """A calibration scope (``global``, ``region``) in words for a chart's legend."""
    return str(strings(lang)["chart"].get(f"scope_{scope}", scope))


def calibration_rows(backtest: BacktestSection, lang: str = "en") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The best model's reliability and PIT rows by horizon and scope (global, region), for the charts."""
    reliability, pit = [], []
    for model in (backtest.calibration or {}).values():
        for h in CALIBRATION_HORIZONS:
            for scope, record in model.get(h, {}).items():
                named = {"horizon": _horizon(h, lang), "scope": _scope(scope, lang)}
                for b in record.reliability:
                    reliability.append({**named, **b.as_json()})
                for k, share in enumerate(record.pit):
                    pit.append({**named, "bin": f"{k / len(record.pit):.1f}", "share": share})
    return reliability, pit


def recalibrated_rows(backtest: BacktestSection, lang: str = "en") -> list[dict[str, Any]]:
    """The best model's reliability on the test origins after the map fitted on the validation origins."""
    rows: list[dict[str, Any]] = []
    for model in (backtest.recalibration or {}).values():
        for h in CALIBRATION_HORIZONS:
            record = model.get(h)
            for scope, bins in record.reliability.items() if record else ():
                named = {"horizon": _horizon(h, lang), "scope": _scope(scope, lang)}
                rows.extend({**named, **b.as_json()} for b in bins)
    return rows


def _calibration_charts(key: str, backtest: BacktestSection, lang: str) -> dict[str, Any]:
    reliability, pit = calibration_rows(backtest, lang)
    if not reliability:
        return {}
    target = backtest.target or key
    drawn = {
        f"reliability_{key}": charts.reliability_chart(
            reliability, title=say("chart.reliability_title", lang, target=target), lang=lang
        ),
        f"pit_{key}": charts.pit_chart(pit, title=say("chart.pit_title", lang, target=target), lang=lang),
    }
    recalibrated = recalibrated_rows(backtest, lang)
    if recalibrated:
        title = say("chart.recalibrated_title", lang, target=target)
        drawn[f"recalibrated_{key}"] = charts.reliability_chart(recalibrated, title=title, lang=lang)
    return drawn


def backtests_charts(data: Backtests, lang: str = "en") -> dict[str, Any]:
    """CRPS by model and horizon, and the calibration of every published target, in ``lang``."""
    drawn: dict[str, Any] = {}
    said = strings(lang)["chart"]
    if data.backtest.available:
        rows = crps_rows(data.backtest.scores or {}, lang)
        names = {"horizon": said["horizon"], "model": said["model"], "crps": "CRPS"}
        drawn["crps"] = charts.grouped_bars(
            rows, x="horizon", y="crps", colour="model", title="CRPS", unit=said["crps"], names=names
        )
        drawn.update(_calibration_charts("main", data.backtest, lang))
    for target, more in data.more.items():
        if more.available:
            drawn.update(_calibration_charts(target.replace("-", "_"), more, lang))
    return drawn
