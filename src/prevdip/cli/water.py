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
    console.print(f"[bold]{d['basin']}[/] · {d['scenario']} · {d['year']} — total {d['total_benefit']:,.1f} M US$/yr")
    table = Table("country", "benefit M$", "delivered km³", "hydro GWh")
    for c, b in d["benefit_by_country"].items():
        table.add_row(
            c, f"{b:,.1f}", f"{d['deliveries_by_country_km3'][c]:.2f}", f"{d['energy_by_country_gwh'][c]:,.0f}"
        )
    console.print(table)
    res = Table("reservoir", "summer share", "max winter m³/s", "storage Sep km³")
    for r, v in d["reservoirs"].items():
        winter = max(v["release_m3s_by_month"][:6])
        res.add_row(r, f"{v['summer_release_share']}", f"{winter:,.0f}", f"{v['storage_km3_by_month'][-1]:.2f}")
    console.print(res)
    console.print(f"Arnasai spill {d['arnasai_spill_km3']} km³; terminal inflows {d['terminal_inflow_km3']}")


@water_app.command("basin")
def basin(
    name: str = typer.Argument(..., help="syr-darya or amu-darya"),
    scenario: str = typer.Option("cooperative", "--scenario", help="irrigation, energy or cooperative"),
    year: str = typer.Option("normal", "--year", help="dry, normal or wet"),
    planned: list[str] = typer.Option([], "--with", help="build a planned facility (kambarata_1, rogun)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Solve the monthly basin LP (Oct–Sep) for one regime and year type."""
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
    as_json: bool = JSON_OPTION,
) -> None:
    """Coalition values, sharing rules, side payments in money and energy, and which deal is most stable."""
    from prevdip.water import deal

    def render(console: Console, d: Mapping[str, Any]) -> None:
        console.print(
            f"[bold]{d['basin']}[/] · gains from cooperation {d['gains_from_cooperation']:,.1f} M US$/yr · "
            f"core non-empty: {d['core_nonempty']} · most stable: [bold]{d['most_stable']}[/]"
        )
        table = Table("rule", *d["players"], "in core", title="side payments, M US$/yr (+ receives) / GWh")
        for rule, a in d["allocations"].items():
            cells = [f"{a['side_payments'][p]:+.1f} / {a['side_payments_energy_gwh'][p]:+.0f}" for p in d["players"]]
            table.add_row(rule, *cells, str(a["in_core"]))
        console.print(table)
        console.print(f"[dim]{d['assumption']}[/]")

    report(deal(name, years), as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.add_typer(water_app, name="water")
