"""Inverse GMCR (the problem of Kinsara, Petersons, Hipel & Kilgour 2015): what would the parties have to come to
value for a state the mediator wants to be an equilibrium?

The answer is the fewest **states moved** in the decision makers' rankings (:mod:`prevdip.gmcr.inverse_moves`;
summed over decision makers) that make the target stable for everyone under the chosen concept. Among answers
with equally few moves, the one that changes the fewest pairwise comparisons is preferred. Decision makers named
``fixed`` keep their rankings. What is claimed is checked, never assumed:

* **Nash, GMR, SMR.** Whether the target is stable for decision maker i depends only on i's own ranking (the
  moves are given; the others' answers need not be credible). So each decision maker that finds the target
  unstable needs at least one move in its own ranking, and one always suffices (tie the target with i's most
  preferred states: then i has nothing to move to). The minimum is the number of such decision makers, proved;
  if one of them is fixed there are no such preferences, proved by the same fact. The move chosen for each is the
  one that changes the fewest comparisons, among all single moves that change which states i likes no more than
  the target (the only thing that matters here).
* **SEQ.** A threat counts only if each step of it is an improvement for its mover, so other parties' rankings
  matter too, and one move can help several parties. Lower bound: every party for which the target is not even
  GMR-stable needs a move of its own (SEQ-stable implies GMR-stable, which depends on its ranking alone). Upper
  bound: raise the target above everything else in each unstable party's ranking. Raising the target in a
  party's ranking never breaks anyone's stability at it: the party has fewer improvements and more states it
  likes no more than the target; its moves into the target become credible threats, and its moves out of the
  target, now less credible, are never needed (a threat that passes through the target can stop there, as the
  target is no better than itself for anyone). Between the two, sets of moves are searched exhaustively,
  smallest first, among the places that matter (:func:`~prevdip.gmcr.inverse_moves.places`), up to a budget of
  stability checks; an answer is called minimal only when every smaller set was checked. A fixed party is proved
  impossible to stabilise when even a relaxation fails: all free parties' moves counted as credible threats.

Every answer is verified by the forward engine before it is returned.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.inverse_moves import Move, apply, comparisons_changed, places, to_top
from prevdip.gmcr.model import FloatArray, GraphModel, Moves
from prevdip.gmcr.reachability import min_over_reach
from prevdip.gmcr.stability import CONCEPT_NAMES, CONCEPTS, best_escape

DEFAULT_BUDGET = 50_000


@dataclass
class InverseAnswer:
    """The moves found (``None``: no such preferences, or none found), and what is proved about them."""

    model: GraphModel
    target: int
    concept: str
    moves: tuple[Move, ...] | None
    minimal: bool
    lower_bound: int
    reason: str
    checks: int = 0
    budget: int = DEFAULT_BUDGET
    complete: bool = True  # the search below the answer (or for any answer) was exhaustive
    fixed: tuple[int, ...] = field(default=())

    @property
    def payoffs(self) -> FloatArray:
        return apply(self.model.payoffs, self.moves or ())


def inverse(
    model: GraphModel,
    target: int,
    concept: str,
    *,
    fixed: Sequence[int] = (),
    budget: int = DEFAULT_BUDGET,
) -> InverseAnswer:
    """The fewest moves in the free decision makers' rankings that make ``target`` a ``concept`` equilibrium."""
    if concept not in CONCEPTS:
        raise RefusedInput(f"unknown concept {concept!r}", hint=f"use one of: {', '.join(CONCEPTS)}")
    check = TargetCheck(model, target)
    held = tuple(sorted(set(fixed)))
    unstable = [i for i in range(model.n) if not check.stable_for(model.payoffs, i, concept)]
    base = InverseAnswer(model, target, concept, None, True, 0, "", budget=budget, fixed=held)
    if not unstable:
        base.moves, base.reason = (), f"{model.states[target]} is already an equilibrium under {concept.upper()}"
        base.checks = check.checks
        return base
    if concept == "seq":
        return _sequential(check, base, unstable)
    return _own_rankings(check, base, unstable)


class TargetCheck:
    """Stability of one target state, for given payoffs, decision maker by decision maker."""

    def __init__(self, model: GraphModel, target: int) -> None:
        self.model = model
        self.target = target
        self.checks = 0

    def stable_for(self, payoffs: FloatArray, i: int, concept: str, sanctioners: Sequence[Moves] | None = None) -> bool:
        """Is the target stable for ``i`` under ``concept``? ``sanctioners`` replaces the others' moves (SEQ's
        relaxation); by default they are all moves (GMR, SMR) or improvements under ``payoffs`` (SEQ)."""
        self.checks += 1
        model, t, p = self.model, self.target, payoffs[i]
        moves = model.moves[i].targets(t)
        ups = moves[p[moves] > p[t]]
        if ups.size == 0 or concept == "nash":
            return ups.size == 0
        others = [j for j in range(model.n) if j != i]
        if sanctioners is None:
            sanctioners = (
                [model.moves[j].improvements(payoffs[j]) for j in others]
                if concept == "seq"
                else [model.moves[j] for j in others]
            )
        value = best_escape(model.moves[i], p) if concept == "smr" else p
        forced = min_over_reach(sanctioners, value)
        return bool(np.all(forced[ups] <= p[t]))

    def equilibrium(self, payoffs: FloatArray, concept: str) -> bool:
        return all(self.stable_for(payoffs, i, concept) for i in range(self.model.n))


def _names(model: GraphModel, dms: Sequence[int]) -> str:
    return ", ".join(model.decision_makers[i] for i in dms)


def _own_rankings(check: TargetCheck, answer: InverseAnswer, unstable: list[int]) -> InverseAnswer:
    """Nash, GMR, SMR: one move per unstable decision maker, in its own ranking (see the module docstring)."""
    model, concept, t = check.model, answer.concept, check.target
    label, name = model.states[t], CONCEPT_NAMES[concept]
    own = f"under {name} whether {label} is stable for a decision maker depends on its own ranking alone"
    answer.lower_bound = len(unstable)
    blocked = [i for i in unstable if i in answer.fixed]
    if blocked:
        who = _names(model, blocked)
        answer.reason = f"no such preferences: {label} is unstable for {who}, which is held fixed, and {own}"
        answer.checks = check.checks
        return answer
    answer.moves = tuple(_cheapest_own_move(check, i, concept) for i in unstable)
    answer.reason = (
        f"{label} is unstable for {_names(model, unstable)}; {own}, so each needs at least one change, and one "
        "change each suffices"
    )
    answer.checks = check.checks
    return _verified(check, answer)


def _cheapest_own_move(check: TargetCheck, i: int, concept: str) -> Move:
    """The single move in i's ranking that makes the target stable for i and changes the fewest comparisons.

    Only which states i likes no more than the target matters here, so the candidates are the target raised to
    each higher place, and each state above it brought down to tie with it; the target tied with i's top class
    always works, so the search, cheapest first, always ends."""
    model, t = check.model, check.target
    row = model.payoffs[i]
    candidates = [Move(i, t, v) for v in places(row, t, range(model.m)) if v > row[t]]
    candidates += [Move(i, int(x), float(row[t])) for x in np.flatnonzero(row > row[t])]
    for move in sorted(candidates, key=lambda mv: (_cost(model.payoffs, (mv,)), mv)):
        if check.stable_for(apply(model.payoffs, (move,)), i, concept):
            return move
    raise AssertionError("tying the target with the top class always makes it stable")  # pragma: no cover


def _cost(payoffs: FloatArray, moves: Sequence[Move]) -> int:
    """Comparisons changed by ``moves``, summed over the rankings they touch."""
    after = apply(payoffs, moves)
    by_dm: dict[int, list[int]] = {}
    for move in moves:
        by_dm.setdefault(move.dm, []).append(move.state)
    return sum(comparisons_changed(payoffs[i], after[i], states) for i, states in by_dm.items())


def _verified(check: TargetCheck, answer: InverseAnswer) -> InverseAnswer:
    if answer.moves is not None and not check.equilibrium(answer.payoffs, answer.concept):
        raise AssertionError("inverse GMCR produced preferences under which the target is not an equilibrium")
    answer.checks = check.checks
    return answer


def _sequential(check: TargetCheck, answer: InverseAnswer, unstable: list[int]) -> InverseAnswer:
    """SEQ: bounds, a relaxation for fixed parties, and the smallest-first search (see the module docstring)."""
    model, t = check.model, check.target
    label = model.states[t]
    not_gmr = [i for i in unstable if not check.stable_for(model.payoffs, i, "gmr")]
    blocked = [i for i in not_gmr if i in answer.fixed]
    if blocked:
        answer.reason = (
            f"no such preferences: {label} is not even GMR-stable for {_names(model, blocked)}, held fixed; GMR "
            "stability depends on its own ranking alone and SEQ stability implies it"
        )
        return _verified(check, answer)
    for i in [i for i in unstable if i in answer.fixed]:
        free_threats = [
            model.moves[j] if j not in answer.fixed else model.moves[j].improvements(model.payoffs[j])
            for j in range(model.n)
            if j != i
        ]
        if not check.stable_for(model.payoffs, i, "seq", sanctioners=free_threats):
            answer.reason = (
                f"no such preferences: {label} is unstable for {model.decision_makers[i]}, held fixed, even if every "
                "move of the parties free to change counted as a credible threat"
            )
            return _verified(check, answer)
    answer.lower_bound = max(len(not_gmr), 1)
    upper = None
    if not set(unstable) & set(answer.fixed):
        upper = tuple(Move(i, t, to_top(model.payoffs[i])) for i in unstable)
    search = _Search(check, answer.fixed, not_gmr, answer.budget)
    found = search.smallest(answer.lower_bound, len(upper) - 1 if upper else None)
    moves = found if found is not None else upper
    answer.complete = search.complete
    answer.lower_bound = search.proved_at_least
    if moves is None:
        answer.reason = (
            f"none found: the search checked every set of up to {search.proved_at_least - 1} moves within its "
            f"budget of {answer.budget} checks without an answer; larger sets were not tried"
        )
        answer.minimal = False
        return _verified(check, answer)
    answer.moves = _lowered(check, tuple(moves), "seq")
    answer.minimal = search.complete and len(moves) <= search.proved_at_least
    answer.reason = _sequential_reason(model, label, not_gmr, len(moves), search)
    return _verified(check, answer)


def _sequential_reason(model: GraphModel, label: str, not_gmr: list[int], size: int, search: _Search) -> str:
    changes = f"{size} change{'s' if size > 1 else ''}"
    if not (search.complete and size <= search.proved_at_least):
        return (
            f"not proved minimal: the search stopped after {search.checks_used} checks (its budget); every set of "
            f"fewer than {search.proved_at_least} moves was ruled out, and {changes} are used"
        )
    if size == max(len(not_gmr), 1):
        why = (
            f"{_names(model, not_gmr)} cannot be satisfied without a change of its own ({label} is not even "
            "GMR-stable for it, and GMR stability depends on its own ranking alone)"
            if not_gmr
            else f"{label} is not an equilibrium now, so at least one change is needed"
        )
        return f"minimal: {why}; {changes} suffice{'s' if size == 1 else ''}"
    return f"minimal: every set of fewer than {size} moves was checked ({search.checks_used} checks) and none works"


def _lowered(check: TargetCheck, moves: tuple[Move, ...], concept: str) -> tuple[Move, ...]:
    """Bring each move of the target (raised to the top) down to the lowest place that still works: raising the
    target only helps, so the places that work lie above some threshold, and the lowest changes the least."""
    model, t = check.model, check.target
    out = list(moves)
    for k, move in enumerate(moves):
        if move.state != t:
            continue
        row = model.payoffs[move.dm]
        for value in sorted(v for v in places(row, t, range(model.m)) if row[t] < v < move.value):
            trial = [*out[:k], Move(move.dm, t, value), *out[k + 1 :]]
            if check.equilibrium(apply(model.payoffs, trial), concept):
                out = trial
                break
    return tuple(out)


class _Search:
    """Sets of moves, smallest first, in a fixed order (by decision maker, then state), each place offered
    against the rankings as the earlier moves left them (so no combination of standings is missed)."""

    def __init__(self, check: TargetCheck, fixed: tuple[int, ...], not_gmr: list[int], budget: int) -> None:
        self.check = check
        self.model = check.model
        self.free = [i for i in range(self.model.n) if i not in fixed]
        self.not_gmr = set(not_gmr)
        self.budget = budget
        self.start = check.checks
        self.complete = True
        self.proved_at_least = 1
        self.neighbours = [_neighbours(mv) for mv in self.model.moves]
        self.slots = [(i, x) for i in self.free for x in range(self.model.m)]

    @property
    def checks_used(self) -> int:
        return self.check.checks - self.start

    def smallest(self, lower: int, upper: int | None) -> tuple[Move, ...] | None:
        """The cheapest (fewest comparisons) set among the smallest sets that work, sizes ``lower``..``upper``."""
        self.proved_at_least = lower
        size = lower
        while upper is None or size <= upper:
            found = [moves for moves in self._sets(size, self.model.payoffs, (), 0) if self._works(moves)]
            if not self.complete:
                return min(found, key=lambda mv: _cost(self.model.payoffs, mv)) if found else None
            if found:
                return min(found, key=lambda mv: _cost(self.model.payoffs, mv))
            size += 1
            self.proved_at_least = size
        return None

    def _works(self, moves: tuple[Move, ...]) -> bool:
        if self.checks_used >= self.budget:
            self.complete = False
            return False
        return self.check.equilibrium(apply(self.model.payoffs, moves), "seq")

    def _sets(self, size: int, payoffs: FloatArray, chosen: tuple[Move, ...], start: int) -> Iterator[tuple[Move, ...]]:
        if not self.complete:
            return
        if len(chosen) == size:
            yield chosen
            return
        allowed: dict[int, bool] = {}
        for k in range(start, len(self.slots)):
            i, x = self.slots[k]
            if i not in allowed:
                allowed[i] = self._may_finish(chosen, i, size)
            if not allowed[i]:
                continue
            for value in self._places(payoffs, i, x):
                move = Move(i, x, value)
                yield from self._sets(size, apply(payoffs, (move,)), (*chosen, move), k + 1)

    def _may_finish(self, chosen: tuple[Move, ...], i: int, size: int) -> bool:
        """Prune: every party that is not even GMR-stable needs a move of its own, and once a party's moves are
        all chosen (moves come in decision-maker order) they must make it GMR-stable."""
        moved = {mv.dm for mv in chosen} | {i}
        missing = [j for j in self.not_gmr if j not in moved and j >= i]
        if len(chosen) + 1 + len(missing) > size or any(j < i and j not in moved for j in self.not_gmr):
            return False
        done = {mv.dm for mv in chosen if mv.dm < i} & self.not_gmr
        payoffs = apply(self.model.payoffs, chosen)
        return all(self.check.stable_for(payoffs, j, "gmr") for j in done)

    def _places(self, payoffs: FloatArray, i: int, x: int) -> list[float]:
        row, t = payoffs[i], self.check.target
        if x == t:  # raising the target only helps everyone (module docstring): the top is enough to decide
            return [to_top(row)] if np.sum(row >= row[t]) > 1 else []
        return places(row, x, [*self.neighbours[i][x], t])


def _neighbours(moves: Moves) -> list[list[int]]:
    """For each state, the states its owner can move to from it or from which it can move to it."""
    out: list[set[int]] = [set() for _ in range(moves.n_states)]
    for source, target in zip(moves.sources.tolist(), moves.indices.tolist(), strict=True):
        out[source].add(target)
        out[target].add(source)
    return [sorted(s) for s in out]
