"""``prevdip water``: the basin model under each regime, any TU game, and benefit-sharing deals."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report

water_app = typer.Typer(help="Syr Darya / Amu Darya basin model and benefit-sharing deals.", no_args_is_help=True)


def _render_basin(console: Console, d: Mapping[str, Any]) -> None:
    planned = f" · with {', '.join(d['planned'])}" if d["planned"] else ""
    console.print(
        f"[bold]{d['basin']}[/] · {d['scenario']} · {d['year']}{planned} — total {d['total_benefit']:,.1f} M US$/yr"
    )
    table = Table("country", "benefit M US$/yr", "delivered km³/yr", "hydropower GWh/yr")
    for c, b in d["benefit_by_country"].items():
        table.add_row(
            c, f"{b:,.1f}", f"{d['deliveries_by_country_km3'][c]:.2f}", f"{d['energy_by_country_gwh'][c]:,.0f}"
        )
    console.print(table)
    res = Table("reservoir", "summer share", "max winter release m³/s", "storage end of Sep km³")
    for v in d["reservoirs"].values():
        winter = max(v["release_m3s_by_month"][:6])
        res.add_row(v["name"], f"{v['summer_release_share']}", f"{winter:,.0f}", f"{v['storage_km3_by_month'][-1]:.2f}")
    console.print(res)
    terminal = ", ".join(f"{d['names'].get(s, s)} {v:.2f} km³" for s, v in d["terminal_inflow_km3"].items())
    console.print(f"Arnasai spill {d['arnasai_spill_km3']} km³/yr; terminal inflows {terminal}")
    _render_water_values(console, d)
    if "planned_effect_by_year" in d:
        _render_effect(console, d)


def _render_water_values(console: Console, d: Mapping[str, Any]) -> None:
    """The value of water at the reservoirs and terminal lakes, by month of the first year."""
    from prevdip.water.spec import MONTHS

    shown = [*d["reservoirs"], *d["terminal_inflow_km3"]]
    table = Table("month", *(d["names"].get(n, n) for n in shown), title="value of one more m³, US$/m³ (first year)")
    for t, month in enumerate(MONTHS):
        table.add_row(month, *(f"{d['water_values'][n][t]:.4f}" for n in shown))
    console.print(table)
    console.print(f"[dim]water values: {d['water_values_basis']}[/]")


def _render_effect(console: Console, d: Mapping[str, Any]) -> None:
    """What the planned facilities take or add, by year type: deliveries and terminal inflows (km³/yr), benefit."""
    effect = d["planned_effect_by_year"]
    table = Table(
        "change (with − without; − = taken)",
        *effect,
        title=f"what {', '.join(d['planned'])} changes, {d['scenario']} regime, by year type",
    )
    table.add_row("diverted, km³/yr", *(f"{sum(e['diverted_km3'].values()):.2f}" for e in effect.values()))
    first = next(iter(effect.values()))
    for c in first["deliveries_by_country_km3"]:
        table.add_row(f"{c} delivered, km³/yr", *(f"{e['deliveries_by_country_km3'][c]:+.2f}" for e in effect.values()))
    for sink in first["terminal_inflow_km3"]:
        name = d["names"].get(sink, sink)
        table.add_row(f"{name}, km³/yr", *(f"{e['terminal_inflow_km3'][sink]:+.2f}" for e in effect.values()))
    table.add_row("basin benefit, M US$/yr", *(f"{e['total_benefit']:+,.1f}" for e in effect.values()))
    console.print(table)


@water_app.command("basin")
def basin(
    name: str = typer.Argument(..., help="syr-darya or amu-darya"),
    scenario: str = typer.Option("cooperative", "--scenario", help="irrigation, energy or cooperative"),
    year: str = typer.Option("normal", "--year", help="dry, normal or wet"),
    planned: list[str] = typer.Option(
        [], "--with", help="build a planned facility or variant (kambarata_1, rogun, qosh_tepa, qosh_tepa_phase_1, ...)"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Solve the monthly basin LP (Oct–Sep) for one regime and year type, with the value of water by node and month.

    With ``--with`` it also shows what the planned facilities change in a dry, a normal and a wet year.
    """
    from prevdip.water import solve_basin

    report(solve_basin(name, scenario, year, planned=planned).as_dict(), as_json=as_json, render=_render_basin)


@water_app.command("game")
def game(
    path: Path = typer.Argument(..., help='GAME.json: {"players": [...], "values": {"A": 0, "A,B": 5, ...}}'),
    as_json: bool = JSON_OPTION,
) -> None:
    """Solve any TU game: Shapley, nucleolus, prenucleolus, least core, Nash bargaining, propensity to disrupt."""
    from prevdip.water import solve_game
    from prevdip.water.tu_input import read_game_file

    def render(console: Console, d: Mapping[str, Any]) -> None:
        console.print(f"core non-empty: {d['core_nonempty']} (least-core ε = {d['least_core_epsilon']:.4g})")
        table = Table("rule", "payoffs", "in core")
        for rule in ("shapley", "nucleolus", "prenucleolus", "nash_bargaining", "kalai_smorodinsky"):
            x = d[rule]
            shown = "undefined (no imputation)" if x is None else ", ".join(f"{p}={v:.4g}" for p, v in x.items())
            table.add_row(rule, shown, str(d["in_core"].get(rule, "")))
        console.print(table)

    report(solve_game(read_game_file(path)), as_json=as_json, render=render)


@water_app.command("deal")
def deal_command(
    name: str = typer.Argument(..., help="syr-darya or amu-darya"),
    years: list[str] = typer.Option(
        ["dry", "normal", "wet"], "--year", help="year types averaged over (repeat the option)"
    ),
    planned: list[str] = typer.Option([], "--with", help="build a planned facility or variant (e.g. qosh_tepa)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Coalition values, sharing rules, side payments in money and energy, and which deal is most stable."""
    from prevdip.water import deal

    def render(console: Console, d: Mapping[str, Any]) -> None:
        planned = f" · with {', '.join(d['planned'])}" if d["planned"] else ""
        console.print(
            f"[bold]{d['basin']}[/]{planned} · gains from cooperation {d['gains_from_cooperation']:,.1f} M US$/yr · "
            f"core non-empty: {d['core_nonempty']} · most stable: [bold]{d['most_stable']}[/]"
        )
        table = Table("rule", *d["players"], "in core", title="side payments, M US$/yr (+ receives) / GWh")
        for rule, a in d["allocations"].items():
            cells = [f"{a['side_payments'][p]:+.1f} / {a['side_payments_energy_gwh'][p]:+.0f}" for p in d["players"]]
            table.add_row(rule, *cells, str(a["in_core"]))
        console.print(table)
        console.print(f"[dim]{d['assumption']}[/]")

    report(deal(name, years, planned), as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.add_typer(water_app, name="water")
