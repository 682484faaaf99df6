"""What the centre publishes from the forecast domain: the latest backtest, the latest vintage, a unit's forecast.

Backtests take a minute or two, so ``prevdip backtest`` (and the demo) publish their result into
``<workspace>/backtests/``, tagged with the fingerprint of its inputs; the dashboard and the brief read the
published file and a run with unchanged inputs reuses it. Forecasts are read from frozen vintages only — never
computed on a page view — so what a reader sees is exactly what was frozen.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import prevdip
from prevdip.catalogue import BUNDLE, Workspace
from prevdip.errors import RefusedInput
from prevdip.events.lake import lake_stamp
from prevdip.forecast.bar import bar_verdict
from prevdip.forecast.calibrated import Maps, published_maps
from prevdip.forecast.forecasters import BEST_MODEL
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import (
    CRISIS_TARGET,
    DEATHS_TARGET,
    DYAD_TARGET,
    EXPLAINED_HORIZON,
    PROVINCE_TARGET,
    TARGETS,
    VALIDATION_ORIGINS,
)
from prevdip.forecast.views import (
    ForecastHorizon,
    FrozenVintage,
    LatestVintage,
    ProvinceForecasts,
    ProvinceRow,
    PublishedBacktest,
    RegionalForecasts,
    RegionalRow,
    RegionalTable,
    UnitForecast,
)
from prevdip.forecast.vintage import freeze, issue, read_vintage
from prevdip.stamps import Stamp, content_digest, stamp


def backtest_fingerprint(
    *,
    target: str,
    origins: str,
    horizons: list[int],
    models: str,
    bundle: Path,
    workspace: Path,
    validation: str = VALIDATION_ORIGINS,
) -> str:
    """A hash of everything a backtest depends on: its settings, prevdip's version, the bundle (through its
    manifest of sha256 sums: covariates, neighbours and the state system) and the lake's provenance stamp (every
    target reads the lake)."""
    digest = hashlib.sha256()
    settings = [target, origins, validation, horizons, models, prevdip.__version__]
    digest.update(json.dumps(settings).encode("utf-8"))
    manifest = bundle / BUNDLE.manifest
    digest.update(manifest.read_bytes() if manifest.is_file() else b"")
    digest.update(lake_stamp(workspace).digest.encode())
    return digest.hexdigest()


def published_stamp(workspace: Path) -> Stamp:
    """The stamp of what the forecast domain has published in ``workspace``: frozen vintages (by name: a vintage's
    name carries its content hash) and published backtests (by content: one file per target, rewritten)."""
    folders = Workspace(workspace)
    entries, changed = [], 0.0
    for path in sorted(folders.vintages.glob("*.json")) if folders.vintages.is_dir() else []:
        entries.append((path.relative_to(folders.root).as_posix(), ""))
        changed = max(changed, path.stat().st_mtime)
    for path in sorted(folders.backtests.glob("*.json")) if folders.backtests.is_dir() else []:
        entries.append((path.relative_to(folders.root).as_posix(), content_digest(path)))
        changed = max(changed, path.stat().st_mtime)
    return stamp(entries, changed)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".backtest-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, allow_nan=False)
    os.replace(temporary, path)


def publish_backtest(result: dict[str, Any], *, workspace: Path, fingerprint: str, lake: str | None = None) -> Path:
    """Write ``result`` (the ``prevdip backtest --json`` shape) as the published backtest of its target, with the
    stamp of the lake it was made from (by default the lake's stamp now): a vintage applies its recalibration maps
    only while the lake is still that one (:mod:`prevdip.forecast.calibrated`)."""
    path = Workspace(workspace).backtests / f"{result['target']}.json"
    made_from = lake if lake is not None else lake_stamp(workspace).digest
    now = datetime.now(UTC).isoformat(timespec="seconds")
    published = {**result, "fingerprint": fingerprint, "lake": made_from, "published_at": now}
    _write_json(path, published)
    return path


def _published_record(workspace: Path, target: str, fingerprint: str | None = None) -> dict[str, Any]:
    """The published backtest file of ``target``; with ``fingerprint``, only if it was made from the same inputs."""
    path = Workspace(workspace).backtests / f"{target}.json"
    if not path.is_file():
        raise RefusedInput(f"no published backtest for {target}", hint="run `prevdip backtest` or `prevdip demo`")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if fingerprint is not None and data.get("fingerprint") != fingerprint:
        raise RefusedInput(f"the published backtest for {target} was made from other inputs", hint="run it again")
    return data


def published_backtest(*, workspace: Path, target: str = DEATHS_TARGET) -> PublishedBacktest:
    """The published backtest of ``target``, with the bar's verdict (worked out again for a backtest published
    before the verdict was part of it)."""
    data = _published_record(workspace, target)
    return PublishedBacktest.model_validate({**data, "bar": data.get("bar") or bar_verdict(data)})


def load_target(target: str, *, bundle: Path, workspace: Path) -> TargetPanel:
    """The target panel: UCDP best deaths over every state of the GW system (global), P(stage ≥ crisis) (Central
    Asia, from the stage panels), deaths near every land border (global) or per province (Central Asia and
    Afghanistan), the last two from the event lake's geolocated events."""
    if target not in TARGETS:
        raise RefusedInput(f"unknown target {target!r}", hint=f"known: {', '.join(TARGETS)}")
    if target == CRISIS_TARGET:
        from prevdip.forecast.stage_target import load_stage_crisis

        return load_stage_crisis(bundle, workspace)
    if target == DYAD_TARGET:
        from prevdip.forecast.dyad_target import load_border_dyads

        return load_border_dyads(bundle, workspace)
    if target == PROVINCE_TARGET:
        from prevdip.forecast.province_target import load_provinces

        return load_provinces(bundle, workspace)
    from prevdip.forecast.target import load_ucdp_best
    from prevdip.forecast.universe import in_state_system

    return in_state_system(load_ucdp_best(workspace, bundle), bundle)


def backtest_and_publish(
    *,
    target: str,
    origins: str,
    horizons: list[int],
    models: str,
    bundle: Path,
    workspace: Path,
    reuse: bool = False,
    validation: str = VALIDATION_ORIGINS,
) -> tuple[PublishedBacktest, bool]:
    """Run a backtest and publish it into an initialised workspace; with ``reuse``, a published backtest of the
    same inputs is returned instead of running again. Returns the result and whether it was reused. The best
    model is also scored on the ``validation`` origins (those before the first origin) for its recalibration."""
    from prevdip.forecast.backtest import parse_origins, run_backtest, validation_origins

    fingerprint = backtest_fingerprint(
        target=target, origins=origins, validation=validation, horizons=horizons, models=models, bundle=bundle,
        workspace=workspace,
    )  # fmt: skip
    if reuse:
        try:
            record = _published_record(workspace, target, fingerprint)
        except RefusedInput:
            pass
        else:
            if "lake" not in record:  # published before backtests named their lake: the same fingerprint proves it
                publish_backtest(record, workspace=workspace, fingerprint=fingerprint)
            return PublishedBacktest.model_validate(record), True
    panel = load_target(target, bundle=bundle, workspace=workspace)
    chosen = None if models.strip() == "all" else [m.strip() for m in models.split(",") if m.strip()]
    scored = parse_origins(origins, panel)
    before = validation_origins(validation, panel, scored)
    result = run_backtest(
        panel, origins=scored, horizons=horizons, models=chosen, bundle=bundle, validation=before
    )  # the best model, when run, is also scored on the validation origins for its recalibration
    if Workspace(workspace).lake.is_dir():  # only an initialised workspace keeps what it publishes
        publish_backtest(result.as_json(), workspace=workspace, fingerprint=fingerprint, lake=panel.lake or None)
    return PublishedBacktest.model_validate(result.as_json()), False


def recalibration_maps(panel: TargetPanel, *, workspace: Path, model: str = BEST_MODEL) -> Maps | None:
    """The recalibration maps a new vintage of ``panel`` by ``model`` applies: those of its target's published
    backtest, stale when that backtest was made from another lake than the panel's; None when none is published."""
    try:
        record = _published_record(workspace, panel.name)
    except RefusedInput:
        return None
    return published_maps(record, model=model, lake=panel.lake)


def forecast_and_freeze(
    panel: TargetPanel, month: str, *, bundle: Path | None, workspace: Path
) -> tuple[FrozenVintage, bool]:
    """The one way a vintage is made (``prevdip forecast`` and the cycle): ``panel``'s forecast from ``month``,
    P(any) through the published backtest's recalibration maps where it recalibrates (never a stale map), frozen
    in ``workspace``. Returns the frozen vintage and whether it was newly written."""
    maps = recalibration_maps(panel, workspace=workspace)
    return freeze(issue(panel, month, bundle=bundle, maps=maps), workspace)


def _latest_vintage_path(workspace: Path, target: str, month: date | None) -> Path:
    folder = Workspace(workspace).vintages
    candidates = sorted(folder.glob(f"{target}-*.json")) if folder.is_dir() else []
    if month is not None:
        candidates = [p for p in candidates if p.name[len(target) + 1 : len(target) + 8] <= f"{month:%Y-%m}"]
    if not candidates:
        raise RefusedInput(f"no frozen {target} forecast vintage", hint="run `prevdip forecast --month YYYY-MM`")
    return candidates[-1]  # names sort by origin month


def _display(row: dict[str, Any], crisis: dict[str, Any] | None = None) -> ForecastHorizon:
    """A vintage row in the words of a page: median, 50 % and 90 % intervals, P(any fatality), and P(crisis) from
    the ``crisis`` vintage's row; the model's own figures beside those a recalibration map made."""
    return ForecastHorizon(
        unit=row["unit"],
        horizon=row["horizon"],
        month=row["month"],
        median=row["q50"],
        low50=row["q25"],
        high50=row["q75"],
        low90=row["q05"],
        high90=row["q95"],
        mean=row["mean"],
        p_any=row["p_any"],
        p_crisis=None if crisis is None else crisis["p_any"],
        **_raw(row, "p_any_raw"),
        **_raw(crisis or {}, "p_crisis_raw"),
    )


def _raw(row: dict[str, Any], name: str) -> dict[str, float]:
    """``{name: the model's own P(any)}`` for a row whose P(any) went through a recalibration map, else nothing."""
    return {name: row["p_any_raw"]} if "p_any_raw" in row else {}


def _crisis_by_unit_month(workspace: Path, month: date | None) -> dict[tuple[str, str], dict[str, Any]]:
    try:
        crisis = read_vintage(_latest_vintage_path(workspace, CRISIS_TARGET, month))
    except RefusedInput:
        return {}
    return {(r["unit"], r["month"]): r for r in crisis["forecasts"]}


def crisis_risk(*, workspace: Path, month: date | None = None, horizon: int = 1) -> dict[str, float]:
    """P(stage ≥ crisis) ``horizon`` months ahead per country and border dyad, from the newest frozen vintage
    issued at or before ``month``; empty when none is frozen (warnings then rest on signals alone). The model's own
    figure where a recalibration map was applied: the warning thresholds were judged on it (the backtest's alarms)."""
    try:
        record = read_vintage(_latest_vintage_path(workspace, CRISIS_TARGET, month))
    except RefusedInput:
        return {}
    return {r["unit"]: r.get("p_any_raw", r["p_any"]) for r in record["forecasts"] if r["horizon"] == horizon}


def latest_vintage(*, workspace: Path, month: date | None = None) -> LatestVintage:
    """The newest frozen deaths vintage (origin ≤ ``month`` when given), rows with P(stage ≥ crisis) beside them."""
    record = read_vintage(_latest_vintage_path(workspace, DEATHS_TARGET, month))
    crisis = _crisis_by_unit_month(workspace, month)
    rows = [_display(r, crisis.get((r["unit"], r["month"]))) for r in record["forecasts"]]
    rows.sort(key=lambda r: (r.horizon or 0, -(r.p_any or 0.0), r.unit or ""))
    head = {
        k: record[k]
        for k in ("target", "model", "origin", "data_through", "n_units", "vintage", "calibration")
        if k in record
    }
    return LatestVintage(**head, forecasts=rows)


def unit_forecast(unit: str, month: date, *, workspace: Path) -> UnitForecast:
    """A unit's forecast from the newest vintages issued at or before ``month``: deaths where the unit is in the
    country-month universe (a country) or the border-dyad target (a dyad), P(stage ≥ crisis) where it is in the
    Central Asian stage panel, and what moved next month's forecast since the month before."""
    crisis = _crisis_by_unit_month(workspace, month)
    explanation = None
    try:
        deaths = read_vintage(_latest_vintage_path(workspace, DYAD_TARGET if "-" in unit else DEATHS_TARGET, month))
        rows = [r for r in deaths["forecasts"] if r["unit"] == unit]
        origin = deaths["origin"]
        explanation = deaths.get("explanations", {}).get(unit)
        calibration = deaths.get("calibration")
    except RefusedInput:
        rows, origin, calibration = [], None, None
    if rows:
        horizons = [_display(r, crisis.get((unit, r["month"]))) for r in rows]
    else:
        horizons = [
            ForecastHorizon(
                month=m,
                median=None,
                low50=None,
                high50=None,
                low90=None,
                high90=None,
                p_any=None,
                p_crisis=row["p_any"],
                **_raw(row, "p_crisis_raw"),
            )  # fmt: skip
            for (u, m), row in sorted(crisis.items())
            if u == unit
        ]
    if not horizons:
        raise RefusedInput(f"no frozen forecast covers {unit}", hint="run `prevdip forecast --month YYYY-MM`")
    mapped = {"calibration": calibration} if calibration is not None else {}
    return UnitForecast(unit=unit, origin=origin, horizons=horizons, explanation=explanation, **mapped)


def _vintages(workspace: Path, target: str) -> list[Path]:
    folder = Workspace(workspace).vintages
    return sorted(folder.glob(f"{target}-*.json")) if folder.is_dir() else []


def _next_month_rows(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["unit"]: r for r in record["forecasts"] if r["horizon"] == EXPLAINED_HORIZON}


def _p_change(row: dict[str, Any], before: dict[str, Any]) -> float:
    """P(any) now minus in the previous vintage, on one scale: the figures shown when both are calibrated or both
    raw, the model's own when only one of them went through a map (a map is not a change in the risk)."""
    if ("p_any_raw" in row) == ("p_any_raw" in before):
        return round(row["p_any"] - before["p_any"], 6)
    return round(row.get("p_any_raw", row["p_any"]) - before.get("p_any_raw", before["p_any"]), 6)


def _regional_rows(target: str, workspace: Path, keep: Callable[[str], bool]) -> RegionalTable:
    """The newest vintage of ``target`` for the units ``keep`` accepts, next month's forecast beside the previous
    vintage's and what moved it; an empty table when none is frozen."""
    from prevdip.forecast.target import unit_name

    paths = _vintages(workspace, target)
    if not paths:
        return RegionalTable()
    record = read_vintage(paths[-1])
    previous = _next_month_rows(read_vintage(paths[-2])) if len(paths) > 1 else {}
    explained = record.get("explanations", {})
    rows = []
    for unit, row in _next_month_rows(record).items():
        if not keep(unit):
            continue
        before = previous.get(unit)
        shown = _display(row)
        rows.append(
            RegionalRow(
                **{k: getattr(shown, k) for k in RegionalRow.model_fields if k in ForecastHorizon.model_fields},
                name=unit_name(unit),
                p_change=None if before is None else _p_change(row, before),
                explanation=explained.get(unit),
            )
        )
    rows.sort(key=lambda r: (-r.p_any, r.unit))
    return RegionalTable(
        target=target,
        origin=record["origin"],
        vintage=record["vintage"],
        previous_origin=read_vintage(paths[-2])["origin"] if len(paths) > 1 else None,
        units=rows,
        **({"calibration": record["calibration"]} if "calibration" in record else {}),
    )


def regional_forecasts(*, workspace: Path) -> RegionalForecasts:
    """Next month's forecast for the region's countries (deaths), border dyads (deaths near the border) and
    provinces, each from its target's newest vintage, with the change since the previous vintage and what moved
    it. Refused when no vintage of any of them is frozen."""
    from prevdip.geo import home_region

    the_region = home_region()
    states, dyads = set(the_region.iso3s), {d.code for d in the_region.dyads}
    out = RegionalForecasts(
        countries=_regional_rows(DEATHS_TARGET, workspace, states.__contains__),
        dyads=_regional_rows(DYAD_TARGET, workspace, dyads.__contains__),
        provinces=_regional_rows(PROVINCE_TARGET, workspace, lambda u: u.split(":", 1)[0] in states),
    )
    if not any(table.units is not None for table in (out.countries, out.dyads, out.provinces)):
        raise RefusedInput("no frozen forecast vintage for the region", hint="run `prevdip cycle` or `prevdip demo`")
    return out


def province_forecasts(*, workspace: Path, month: date | None = None) -> ProvinceForecasts:
    """Next month's forecast per province of the region from the newest provinces vintage issued at or before
    ``month``, riskiest first."""
    record = read_vintage(_latest_vintage_path(workspace, PROVINCE_TARGET, month))
    rows = [
        ProvinceRow(**_display(r).as_json(), name=r["unit"].split(":", 1)[1])
        for r in record["forecasts"]
        if r["horizon"] == EXPLAINED_HORIZON
    ]
    rows.sort(key=lambda r: (-(r.p_any or 0.0), r.unit or ""))
    calibration = {"calibration": record["calibration"]} if "calibration" in record else {}
    return ProvinceForecasts(origin=record["origin"], units=rows, **calibration)
