"""Any TU game a user brings (``GAME.json``), validated and solved with every rule the centre uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.water import games
from prevdip.water.games import Game


def read_game_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RefusedInput(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as problem:
        raise RefusedInput(f"{path}: not valid JSON ({problem})") from None
    if not isinstance(data, dict):
        raise RefusedInput(f"{path}: expected a JSON object with 'players' and 'values'")
    return data


def parse_game(data: dict[str, Any]) -> Game:
    """``{"players": [...], "values": {"A,B": v, ...}}`` → :class:`Game`; keys list players in any order."""
    players = data.get("players")
    values = data.get("values")
    if not isinstance(players, list) or not all(isinstance(p, str) and p.strip() for p in players):
        raise RefusedInput("field 'players' must be a list of player names")
    if not isinstance(values, dict):
        raise RefusedInput("field 'values' must be an object mapping 'A,B' to v(S)")
    if len(players) > 10:
        raise RefusedInput(f"{len(players)} players is too many", hint="at most 10 (2^n coalitions)")
    known = set(players)
    parsed: dict[frozenset[str], float] = {}
    for key, value in values.items():
        members = frozenset(name.strip() for name in str(key).split(","))
        unknown = members - known
        if unknown:
            raise RefusedInput(f"values key '{key}' names unknown player(s) {sorted(unknown)}")
        if members in parsed:
            raise RefusedInput(f"values key '{key}' repeats a coalition already given")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RefusedInput(f"values['{key}'] must be a number, got {value!r}")
        parsed[members] = float(value)
    return Game(tuple(players), parsed)


def solve_game(data: dict[str, Any]) -> dict[str, Any]:
    """The ``prevdip water game --json`` report; the disagreement point of bargaining is v({i})."""
    game = parse_game(data)
    d = {p: game.v({p}) for p in game.players}
    epsilon = games.least_core_epsilon(game)
    rules: dict[str, dict[str, float] | None] = {
        "shapley": games.shapley(game),
        "nucleolus": _or_none(game),
        "prenucleolus": games.prenucleolus(game),
        "nash_bargaining": games.nash_bargaining(game, d),
        "kalai_smorodinsky": games.kalai_smorodinsky(game, d),
        "proportional": games.proportional(game, {p: max(v, 0.0) for p, v in d.items()}),
        "equal_split": games.equal_split(game),
    }
    rounded = {k: None if v is None else {p: round(x, 9) for p, x in v.items()} for k, v in rules.items()}
    return {
        **{k: rounded[k] for k in ("shapley", "nucleolus", "prenucleolus")},
        "core_nonempty": epsilon <= games.TOL * max(1.0, abs(game.grand)),
        "least_core_epsilon": round(epsilon, 9),
        "least_core": {p: round(x, 9) for p, x in games.least_core(game).items()},
        "nash_bargaining": rounded["nash_bargaining"],
        "kalai_smorodinsky": rounded["kalai_smorodinsky"],
        "proportional": rounded["proportional"],
        "equal_split": rounded["equal_split"],
        "in_core": {k: games.in_core(game, v) for k, v in rules.items() if v is not None},
        "propensity_to_disrupt": {
            k: {p: None if x is None else round(x, 6) for p, x in games.propensity_to_disrupt(game, v).items()}
            for k, v in rules.items()
            if v is not None
        },
    }


def _or_none(game: Game) -> dict[str, float] | None:
    """The nucleolus, or ``None`` when no imputation exists (Σ v({i}) > v(N))."""
    if sum(game.v({p}) for p in game.players) > game.grand + games.TOL:
        return None
    return games.nucleolus(game)
