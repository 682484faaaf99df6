"""Stability of every state for every decision maker under Nash, GMR, SMR and SEQ (logical definitions).

For decision maker i at state s, with unilateral improvements s1 ∈ R_i^+(s) (reference §2.3):

* Nash: i has no unilateral improvement.
* GMR: every s1 can be answered by the others (any legal sequence, nobody twice in a row) with some s2 that i
  likes no more than s.
* SMR: as GMR, and from that s2 i has no move of its own back above s.
* SEQ: as GMR, but every step of the answer is an improvement for the one who makes it (a credible sanction).

Each of GMR/SMR/SEQ is "for every improvement s1, the lowest value the others can force from s1 is ≤ p_i(s)",
with the value being i's payoff (GMR, SEQ) or i's best escape from the sanction state (SMR). So one
:func:`~prevdip.gmcr.reachability.min_over_reach` per decision maker and concept decides all states at once.
Ties: an improvement needs strict preference; a sanction works when the result is equally or less preferred,
and a sanction that returns the conflict to s itself counts (s ⪰_i s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prevdip.gmcr.model import BoolArray, GraphModel, Moves, Values, preference_ranks
from prevdip.gmcr.reachability import all_moves, min_over_reach

CONCEPTS: tuple[str, ...] = ("nash", "gmr", "smr", "seq")
CONCEPT_NAMES = {
    "nash": "Nash stability",
    "gmr": "general metarationality (GMR)",
    "smr": "symmetric metarationality (SMR)",
    "seq": "sequential stability (SEQ)",
}


@dataclass(frozen=True)
class Stability:
    """``stable[concept][i, s]`` is true when state s is stable for decision maker i under the concept."""

    stable: dict[str, BoolArray]

    def equilibria(self, concept: str) -> BoolArray:
        """States stable for every decision maker."""
        return np.asarray(self.stable[concept].all(axis=0))


def best_escape(moves: Moves, payoff: Values) -> Values:
    """For each state, the best payoff the decision maker can hold by staying or by one of its own moves."""
    return np.maximum(payoff, moves.reduce(payoff[moves.indices], np.maximum, -np.inf))


def worst_improvement(improvements: Moves, forced: Values) -> Values:
    """For each state, the highest ``forced`` value among its improvements' targets (-inf without improvements)."""
    return improvements.reduce(forced[improvements.indices], np.maximum, -np.inf)


def analyse_stability(model: GraphModel, concepts: tuple[str, ...] = CONCEPTS) -> Stability:
    """Stability of all states for all decision makers under the requested concepts."""
    ups = model.improvements()
    moves = all_moves(model)
    stable: dict[str, BoolArray] = {c: np.zeros((model.n, model.m), dtype=bool) for c in concepts}
    for i in range(model.n):
        payoff = preference_ranks(model.payoffs[i])
        others = [j for j in range(model.n) if j != i]
        if "nash" in stable:
            stable["nash"][i] = np.diff(ups[i].indptr) == 0
        if "gmr" in stable:
            forced = min_over_reach([moves[j] for j in others], payoff)
            stable["gmr"][i] = worst_improvement(ups[i], forced) <= payoff
        if "smr" in stable:
            escape = np.maximum(payoff, -moves[i].min_after_move(-payoff))  # i's best: staying or one move
            forced = min_over_reach([moves[j] for j in others], escape)
            stable["smr"][i] = worst_improvement(ups[i], forced) <= payoff
        if "seq" in stable:
            forced = min_over_reach([ups[j] for j in others], payoff)
            stable["seq"][i] = worst_improvement(ups[i], forced) <= payoff
    return Stability(stable)
