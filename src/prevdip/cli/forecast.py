"""``prevdip backtest`` and ``prevdip forecast``: scored backtests against the field's baselines, frozen vintages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report
from prevdip.errors import RefusedInput
from prevdip.forecast.targets import (
    BACKTEST_ORIGINS,
    CRISIS_TARGET,
    DEATHS_TARGET,
    DYAD_TARGET,
    HORIZONS,
    PROVINCE_TARGET,
    TARGETS,
)

TARGET_HELP = (
    f"{DEATHS_TARGET} (deaths, every GW state), {DYAD_TARGET} (deaths within 50 km of every land border), "
    f"{PROVINCE_TARGET} (deaths per province of CA and Afghanistan) or {CRISIS_TARGET} (P(stage ≥ crisis), CA)."
)


def _bundle() -> Path:
    from prevdip.settings import get_settings

    bundle = get_settings().bundle
    if bundle is None:
        raise RefusedInput("no reference bundle configured", hint="set PREVDIP_BUNDLE to the data bundle folder")
    return Path(bundle)


def _load(target: str, bundle: Path) -> Any:
    from prevdip.forecast import load_target
    from prevdip.settings import get_settings

    return load_target(target, bundle=bundle, workspace=get_settings().workspace)


def _horizons(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise RefusedInput(f"horizons {text!r} are not whole months", hint="e.g. --horizons 1,3,6,12") from None
    if not values or min(values) < 1:
        raise RefusedInput(f"horizons {text!r} must be months ≥ 1", hint="e.g. --horizons 1,3,6,12")
    return sorted(set(values))


def _fmt(value: Any, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _render_backtest(console: Console, d: Mapping[str, Any]) -> None:
    first, last = d["origins"]
    horizons = sorted({int(h) for by_h in d["scores"].values() for h in by_h})
    for h in horizons:
        table = Table(title=f"{d['target']} · horizon {h} · origins {first}..{last} · {d['n_units']} units")
        table.add_column("model", no_wrap=True)
        for header in (
            "CRPS",
            "skill vs c12 [90% CI]",
            "AUROC",
            "onset AUROC",
            "onset AP",
            "Brier",
            "AP",
            "cov50",
            "cov90",
            "MSLE",
        ):
            table.add_column(header, justify="right")
        for model, by_h in d["scores"].items():
            s, k = by_h[str(h)], d["skill_vs_conflictology12"][model][str(h)]
            skill = f"{k['crps_skill']:+.1%} [{k['ci_low']:+.1%}, {k['ci_high']:+.1%}]"
            table.add_row(
                model, _fmt(s["crps"], 2), skill, _fmt(s["auroc"]), _fmt(s["onset_auroc"]), _fmt(s.get("onset_ap")),
                _fmt(s["brier"]),
                _fmt(s["ap"]), _fmt(s["coverage50"], 2), _fmt(s["coverage90"], 2), _fmt(s["msle"]),
            )  # fmt: skip
        console.print(table)
    _render_bar(console, d.get("bar"))


def _render_bar(console: Console, bar: Mapping[str, Any] | None) -> None:
    """The bar's verdict, requirement by requirement, shortfalls in red: said as plainly as the wins."""
    if not bar:
        return
    verdict = {True: "[green]met[/]", False: "[red]NOT met[/]", None: "not run"}
    table = Table(title=f"the bar for {bar['model']}: {verdict[bar['met']]}")
    for header in ("requirement", "horizon", "value", "bar", "verdict"):
        table.add_column(header, justify="left" if header == "requirement" else "right")
    for c in bar["checks"]:
        table.add_row(c["requirement"], str(c["horizon"]), _fmt(c["value"]), _fmt(c["threshold"]), verdict[c["met"]])
    console.print(table)


def backtest(
    target: str = typer.Option(DEATHS_TARGET, "--target", help=TARGET_HELP),
    origins: str = typer.Option(BACKTEST_ORIGINS, "--origins", help="First and last origin month, FIRST:LAST."),
    horizons: str = typer.Option(",".join(map(str, HORIZONS)), "--horizons", help="Months ahead, comma-separated."),
    models: str = typer.Option("all", "--models", help="'all' or a comma-separated list of baselines and models."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Backtest every baseline and model over rolling monthly origins and score them (CRPS, AUROC, coverage...)."""
    from prevdip.forecast import backtest_and_publish
    from prevdip.settings import get_settings

    result, _ = backtest_and_publish(
        target=target,
        origins=origins,
        horizons=_horizons(horizons),
        models=models,
        bundle=_bundle(),
        workspace=get_settings().workspace,
    )
    report(result.as_json(), as_json=as_json, render=_render_backtest)


def _render_vintage(console: Console, d: Mapping[str, Any]) -> None:
    state = "frozen now" if d["written"] else "already frozen (identical)"
    console.print(f"{d['target']} forecast from {d['origin']} by {d['model']}: vintage {d['vintage'][:16]} {state}")
    console.print(f"  {d['path']}")
    calibration = d.get("calibration") or {}
    if calibration.get("stale"):
        console.print(f"  P(any) is raw: {calibration['stale']}")
    elif calibration.get("horizons"):
        first, last = calibration["validation_origins"]
        horizons = ", ".join(str(h) for h in calibration["horizons"])
        console.print(f"  P(any) calibrated on {first[:4]}–{last[:4]} validation origins at horizon {horizons}")
    table = Table("unit", "horizon", "month", "P(any)", "mean", "median", "90% interval")
    ranked = sorted(d["forecasts"], key=lambda r: (r["horizon"], -r["p_any"]))
    for r in [r for r in ranked if r["horizon"] == 1][:25]:
        interval = f"{r['q05']:.0f}–{r['q95']:.0f}"
        table.add_row(r["unit"], str(r["horizon"]), r["month"], f"{r['p_any']:.2f}", f"{r['mean']:.0f}",
                      f"{r['q50']:.0f}", interval)  # fmt: skip
    console.print(table)


def forecast(
    month: str = typer.Option(..., "--month", help="Origin month YYYY-MM: the last month of data the forecast uses."),
    target: str = typer.Option(DEATHS_TARGET, "--target", help=f"{', '.join(TARGETS[:-1])} or {TARGETS[-1]}."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Forecast 1, 3, 6 and 12 months ahead of MONTH and freeze the result as a hashed vintage in the workspace."""
    from prevdip.forecast import forecast_and_freeze
    from prevdip.settings import get_settings

    bundle = _bundle()
    panel = _load(target, bundle)
    record, written = forecast_and_freeze(panel, month, bundle=bundle, workspace=get_settings().workspace)
    report({**record.as_json(), "written": written}, as_json=as_json, render=_render_vintage)


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest)
    app.command("forecast")(forecast)
