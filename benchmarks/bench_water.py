"""Water benchmark: prevdip's Pyomo + persistent HiGHS against the same LP handed to HiGHS directly.

Targets (issue 6): one basin-year LP < 0.5 s; all 15 coalition solves of the four-riparian Syr Darya game < 5 s;
a 20-year monthly run < 10 s. Issue 17: the basin LP with its duals (the value of water by node and month), on the
Syr Darya and on the Amu Darya with the Qosh Tepa canal, < 0.5 s. The baseline is the identical LP, written by Pyomo
to MPS and solved by ``highspy`` alone (with its row duals read where prevdip reads them), so the ratio is what the
modelling layer costs on top of the solver.

Run: ``.venv/bin/python benchmarks/bench_water.py``
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import highspy

from prevdip.water import characteristic_function, solve_basin
from prevdip.water.scenarios import basin_lp

TWENTY_YEARS = ["normal", "dry", "dry", "wet", "normal"] * 4
ENERGY_LPS = 5  # the non-cooperative regime: the upstream leader, three followers in river order, the final routing
GAME_LPS = 14 + 1 + ENERGY_LPS


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def raw_highs_seconds(
    basin: str, n_years: int, *, planned: frozenset[str] = frozenset(), duals: bool = False
) -> tuple[float, float]:
    """Seconds HiGHS alone needs for the LP as it stands in the model (and to hand over its row duals), and its
    objective."""
    lp = basin_lp(basin, planned, n_years)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "basin.mps"
        lp.model.write(str(path), io_options={"symbolic_solver_labels": False})
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.readModel(str(path))
        start = time.perf_counter()
        highs.run()
        if duals:
            assert len(highs.getSolution().row_dual) == highs.getNumRow()
        seconds = time.perf_counter() - start
        return seconds, highs.getInfo().objective_function_value


def cpu_ms(fn: Callable[[], object], repeat: int = 20) -> float:
    """Mean CPU milliseconds per call: steadier than wall time when other jobs share the two cores."""
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return 1000 * (time.process_time() - start) / repeat


def with_water_values(basin: str, planned: frozenset[str] = frozenset()) -> tuple[float, float, float, float]:
    """prevdip's cooperative basin-year LP with its water values (wall seconds), HiGHS alone with its duals, and the
    CPU milliseconds of prevdip's solve without and with the water values."""
    lp = basin_lp(basin, planned, 1)
    players = lp.spec.players
    priced = timed(lambda: lp.solve(["dry"], trading=players, water_values=True), repeat=5)
    raw, _ = raw_highs_seconds(basin, 1, planned=planned, duals=True)
    plain_cpu = cpu_ms(lambda: lp.solve(["dry"], trading=players))
    priced_cpu = cpu_ms(lambda: lp.solve(["dry"], trading=players, water_values=True))
    return priced, raw, plain_cpu, priced_cpu


def line(label: str, ours: float, baseline: float, target: float) -> None:
    verdict = "OK" if ours < target else "SLOW"
    print(
        f"{label:<44} prevdip {ours:7.3f} s   HiGHS alone {baseline:7.3f} s   ratio {ours / baseline:6.1f}x   "
        f"target < {target:g} s  {verdict}"
    )


def main() -> None:
    cold = timed(lambda: solve_basin("syr-darya", "cooperative", "normal"))
    warm = timed(lambda: solve_basin("syr-darya", "cooperative", "dry"), repeat=5)
    raw, _ = raw_highs_seconds("syr-darya", 1)
    print(f"first basin-year solve incl. Pyomo build: {cold:.3f} s")
    line("one basin-year LP (Syr Darya, re-solve)", warm, raw, 0.5)

    # the game: 14 coalitions + v(N) (1 LP) + the disagreement point (leader, 3 followers, final routing: 5 LPs)
    game = timed(lambda: characteristic_function("syr-darya", ["normal"]))
    line("15 coalitions + disagreement (20 LPs)", game, GAME_LPS * raw, 5.0)

    amu = timed(lambda: characteristic_function("amu-darya", ["normal"]))
    solve_basin("amu-darya", "cooperative", "normal")  # the baseline reads the LP as it stands: a full one
    raw_amu, _ = raw_highs_seconds("amu-darya", 1)
    line("Amu Darya game (20 LPs)", amu, GAME_LPS * raw_amu, 5.0)

    for basin, planned, label in (
        ("syr-darya", frozenset(), "Syr Darya"),
        ("amu-darya", frozenset({"qosh_tepa"}), "Amu + Qosh Tepa"),
    ):
        priced, raw_duals, plain_cpu, priced_cpu = with_water_values(basin, planned)
        line(f"LP + water values ({label})", priced, raw_duals, 0.5)
        print(f"{'':<44} CPU per solve: {plain_cpu:.1f} ms without the water values, {priced_cpu:.1f} ms with them")

    twenty = timed(lambda: solve_basin("syr-darya", "energy", years=TWENTY_YEARS))
    rerun = timed(lambda: solve_basin("syr-darya", "cooperative", years=TWENTY_YEARS))
    raw20, _ = raw_highs_seconds("syr-darya", 20)
    line("20-year energy regime incl. build (5 LPs)", twenty, ENERGY_LPS * raw20, 10.0)
    line("20-year cooperative run, model reused", rerun, raw20, 10.0)


if __name__ == "__main__":
    main()
