"""Coalitional stability (Inohara & Hipel 2008; Kilgour, Hipel, Fang & Peng 2001): which states hold when groups of
decision makers can act together.

For a coalition H with the others O = N − H (definitions in ``docs/gmcr.md``; ≻_H: every member strictly prefers):

* a **coalitional improvement** from s is a state t ∈ R_H(s) (any legal sequence of the members' moves) with
  t ≻_H s;
* **CNash**: H has no coalitional improvement from s;
* **CGMR**: every improvement s1 can be answered by O (any legal sequence) with some s2 that at least one member of
  H likes no more than s — that member would not join;
* **CSMR**: as CGMR, and from s2 the coalition cannot reach a state all its members prefer to s;
* **CSEQ**: as CGMR, with every step of O's answer an improvement for the one who makes it;
* a **coalitional equilibrium** is stable for every coalition, the single decision makers included (for whom
  these are the ordinary Nash, GMR, SMR and SEQ).

How it is computed (the matrix form in :mod:`prevdip.gmcr.coalition_matrix` checks it): the states H can reach come
from :func:`~prevdip.gmcr.coalition_reach.coalition_reach`; for CGMR and CSEQ, "O can bring some member i to no
better than s" splits into one question per member — is the lowest of i's payoffs O can force from s1 at most
i's payoff at s? — each answered for all states by :func:`~prevdip.gmcr.reachability.min_over_reach`. CSMR's
escape test depends on s as a whole and is answered state by state with bit rows, only where CGMR holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from prevdip.gmcr.coalition_reach import ReachTable, coalition_reach
from prevdip.gmcr.coalitions import JointImprovements, coalition_name, coalitions
from prevdip.gmcr.model import BoolArray, GraphModel, Moves, Values, preference_ranks
from prevdip.gmcr.reachability import Mover, all_moves, min_over_reach
from prevdip.gmcr.stability import CONCEPTS, Stability

CELLS = 4_000_000  # (state, state) pairs compared at once


@dataclass(frozen=True)
class CoalitionStability:
    """``stable[concept][k, s]``: state s is stable for coalition ``coalitions[k]`` under the concept."""

    coalitions: tuple[tuple[int, ...], ...]
    stable: dict[str, BoolArray]
    improvable: BoolArray  # (coalitions, states): the coalition has a coalitional improvement from the state

    def equilibria(self, concept: str, individual: Stability) -> BoolArray:
        """Stable for every coalition and for every decision maker on its own."""
        return np.asarray(individual.equilibria(concept) & self.stable[concept].all(axis=0))


def coalition_stability(model: GraphModel, groups: Sequence[tuple[int, ...]] | None = None) -> CoalitionStability:
    """Coalitional stability of every state for every coalition of two or more (or for ``groups``)."""
    chosen = tuple(groups) if groups is not None else tuple(coalitions(model))
    moves = all_moves(model)
    ups = model.improvements()
    per = [_for_coalition(model, moves, ups, group) for group in chosen]
    stable = {c: np.array([p[c] for p in per], dtype=bool).reshape(len(chosen), model.m) for c in CONCEPTS}
    improvable = np.array([~p["nash"] for p in per], dtype=bool).reshape(len(chosen), model.m)
    return CoalitionStability(coalitions=chosen, stable=stable, improvable=improvable)


@dataclass(frozen=True)
class _Side:
    """A coalition as the analysis sees it: its members' payoff ranks and the states it can reach."""

    ranks: Values  # (members, states)
    reach: ReachTable

    def better(self, lo: int, hi: int) -> BoolArray:
        """(s in lo..hi, t): every member strictly prefers t to s."""
        return np.all(self.ranks[:, None, :] > self.ranks[:, lo:hi, None], axis=0)

    def improvements(self, lo: int, hi: int) -> BoolArray:
        return self.reach.rows(lo, hi) & self.better(lo, hi)


def _for_coalition(
    model: GraphModel, moves: list[Mover], ups: tuple[Moves, ...], group: tuple[int, ...]
) -> dict[str, BoolArray]:
    side = _Side(
        ranks=np.vstack([preference_ranks(model.payoffs[i]) for i in group]),
        reach=coalition_reach([moves[i] for i in group], model.m),
    )
    others = [j for j in range(model.n) if j not in group]
    forced = {
        "gmr": _forced(side.ranks, [moves[j] for j in others]),
        "seq": _forced(side.ranks, [ups[j] for j in others]),
    }
    out = {c: np.zeros(model.m, dtype=bool) for c in CONCEPTS}
    rows = max(1, CELLS // max(model.m * len(group), 1))
    for lo in range(0, model.m, rows):
        hi = min(model.m, lo + rows)
        improves = side.improvements(lo, hi)
        out["nash"][lo:hi] = ~improves.any(axis=1)
        for concept, lowest in forced.items():
            deterred = np.any(lowest[:, None, :] <= side.ranks[:, lo:hi, None], axis=0)
            out[concept][lo:hi] = ~(improves & ~deterred).any(axis=1)
    out["smr"] = _symmetric(model, side, out["gmr"] & ~out["nash"], [moves[j] for j in others])
    out["smr"] |= out["nash"]
    return out


def _forced(ranks: Values, sanctioners: list[Mover] | list[Moves]) -> Values:
    """Per member of the coalition and state s1: the lowest rank of that member the others can force from s1."""
    if not sanctioners:
        return np.full(ranks.shape, np.inf, dtype=ranks.dtype)
    return np.vstack([min_over_reach(sanctioners, row) for row in ranks])


def _symmetric(model: GraphModel, side: _Side, candidates: BoolArray, sanctioners: list[Mover]) -> BoolArray:
    """CSMR for the CGMR-stable states that have improvements: some answer to each improvement leaves a member no
    better off and the coalition unable to climb back above s from it."""
    out = np.zeros(model.m, dtype=bool)
    if not sanctioners:  # nobody can answer: only states without improvements hold, and they are not candidates
        return out
    answers = coalition_reach(sanctioners, model.m)
    for s in np.flatnonzero(candidates).tolist():
        above = side.better(s, s + 1)[0]
        escapes = np.unpackbits(side.reach.reaching(above), count=model.m, bitorder="little").astype(bool)
        deters = np.any(side.ranks <= side.ranks[:, s : s + 1], axis=0) & ~escapes
        improvements = np.flatnonzero(side.reach.row(s) & above)
        out[s] = bool((answers.bits[improvements] & np.packbits(deters, bitorder="little")).any(axis=1).all())
    return out


def coalition_report(model: GraphModel, result: CoalitionStability, individual: Stability) -> dict[str, object]:
    """The ``coalitions`` object of ``analyze --json``."""
    names = [coalition_name(model, group) for group in result.coalitions]
    return {
        "coalitions": names,
        "stability": {c: {name: _labels(model, result.stable[c][k]) for k, name in enumerate(names)} for c in CONCEPTS},
        "equilibria": {c: _labels(model, result.equilibria(c, individual)) for c in CONCEPTS},
    }


def joint_improvements(model: GraphModel) -> dict[str, dict[str, list[str]]]:
    """``{coalition: {state: [states every member prefers, reachable together]}}``, states with some only."""
    joint = JointImprovements(model)
    out: dict[str, dict[str, list[str]]] = {}
    for group in joint.groups:
        found = {model.states[s]: [model.states[t] for t in joint.of(s, group)] for s in range(model.m)}
        out[coalition_name(model, group)] = {s: targets for s, targets in found.items() if targets}
    return out


def _labels(model: GraphModel, mask: BoolArray) -> list[str]:
    return [model.states[s] for s in np.flatnonzero(mask)]
