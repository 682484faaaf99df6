"""Water–energy: the Syr Darya and Amu Darya basin model and benefit-sharing deals.

Stands alone (numpy, scipy, networkx, Pyomo + HiGHS, pydantic): a mediator can use it without the data pipeline.

Public names:
- :func:`solve_basin` (basin, scenario, year="normal", *, years=None, planned=()) → :class:`BasinResult` with
  ``.as_dict()`` (the ``prevdip water basin --json`` shape: figures, ``water_values`` in US$ per m³ by node and
  month, and with planned facilities ``planned_effect_by_year``) and ``.solution`` (monthly arrays);
- :func:`planned_options` (basin) → the planned facilities and variants (Qosh Tepa's phases and readings) by id;
- :func:`solve_game` (a TU game as ``{"players": [...], "values": {"A,B": v, ...}}``) → dict of solutions;
- :func:`deal` (basin, years=("dry", "normal", "wet"), planned=()) → the ``prevdip water deal --json`` dict;
- :func:`characteristic_function` (basin, years) → :class:`RiparianGame` (game, disagreement, cooperative plan);
- :data:`BASINS`, :data:`SCENARIOS`, :data:`YEARS`; :func:`load_basin` (the sourced data), :func:`build_network`
  (the typed networkx graph), :class:`Game` and the solution functions in :mod:`prevdip.water.games`.
"""

from prevdip.water.deal import ASSUMPTION, RiparianGame, characteristic_function, deal
from prevdip.water.games import Game
from prevdip.water.network import build_network
from prevdip.water.scenarios import BASINS, SCENARIOS, YEARS, BasinResult, planned_options, solve_basin
from prevdip.water.spec import load_basin, load_economics
from prevdip.water.tu_input import solve_game

__all__ = [
    "ASSUMPTION",
    "BASINS",
    "SCENARIOS",
    "YEARS",
    "BasinResult",
    "RiparianGame",
    "Game",
    "build_network",
    "characteristic_function",
    "deal",
    "load_basin",
    "load_economics",
    "planned_options",
    "solve_basin",
    "solve_game",
]
