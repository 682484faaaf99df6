"""The non-cooperative regime: every riparian runs its own reservoirs and withdrawals for its own benefit.

This is the reference notes' Stackelberg disagreement point (water-energy.md §4, variant b): the upstream state moves
first and maximises its own hydropower; the downstream states then best-respond. With several downstream states they
move once each, in river order (:func:`follower_order`: the state whose first reservoir or zone lies highest moves
first), each against the strategies already chosen; what it affects downstream is left to that solve and to the
states that move after it (:func:`left_to_respond`). A strategy is a reservoir storage path plus a zone's
withdrawals, the same things a coalition game holds non-members at.

Why one pass and not a Nash equilibrium: on the Syr Darya, Tajikistan's Kairakkum sits between Uzbekistan's Fergana
and Hungry Steppe zones, and repeated best responses of the two cycle (each later mover takes ~110 M US$ a year from
the other) instead of settling. The sequential order is the physical one, so the pass is reproducible and defensible;
a coalition may therefore gain from deviating even alone (v({i}) ≥ d_i, not =).

Three rules make the followers act alone, not as one basin planner with perfect foresight:
- a follower weighs only its own benefit; the others' count for :data:`TIE_BREAK` each, which only decides between
  plans that are equally good for the follower (so results are reproducible);
- no storage service for others in winter: holding a km³ through an Oct–Mar month costs its operator
  :data:`KEEP_COST`, so water it has no use for is passed on rather than stored for a downstream neighbour's summer
  (without it, indifferent upstream operators would hold the winter surplus for Kazakhstan for free, which the
  post-1991 record of winter floods and Arnasai spills contradicts; docs/water.md §4 gives both results);
- a reservoir marked ``holds_winter_storage`` (Chardara) is not emptied ahead of winter releases its operator has no
  agreed schedule for: it keeps its 1 October storage through March unless its operator is allied with the upstream
  state (see :meth:`BasinLP._winter_holding` and docs/water.md §4).

No energy barter is open: the 1998 water-for-energy agreement is what the regime lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from prevdip.water.model import BasinLP
from prevdip.water.solution import Solution
from prevdip.water.spec import NodeKind

UPSTREAM_PRIORITY = 100.0  # large enough that upstream energy comes first, small enough to keep HiGHS well scaled
TIE_BREAK = 1e-3  # weight of the other riparians' benefit in a follower's own best response
KEEP_COST = 0.05  # M US$ per km³ held through a winter month: above any tie-break gain, far below any own benefit


def holding(lp: BasinLP, coalition: Iterable[str] = ()) -> list[str]:
    """The reservoirs under the unilateral winter rule when ``coalition`` acts together.

    A reservoir is released from the rule only if its operator is in a coalition with an upstream state: the schedule
    of winter releases comes with the agreement (as the 1998 agreement's annual protocols fixed Toktogul's regime).
    """
    members = set(coalition)
    allied = bool(members & set(lp.spec.upstream))
    return [r for r in lp.holding_reservoirs() if not (allied and lp.node(r).country in members)]


def follower_order(lp: BasinLP) -> list[str]:
    """Downstream states in river order: by the position of their highest reservoir or zone in the network."""
    rank = {n: i for i, n in enumerate(lp.order)}
    followers = [c for c in lp.spec.players if c not in lp.spec.upstream]
    nodes = lp.nodes_of(NodeKind.RESERVOIR, NodeKind.DEMAND)
    return sorted(followers, key=lambda c: min((rank[n] for n in nodes if lp.node(n).country == c), default=len(rank)))


def own_reservoirs(lp: BasinLP, country: str) -> list[str]:
    return [r for r in lp.nodes_of(NodeKind.RESERVOIR) if lp.node(r).country == country]


def left_to_respond(lp: BasinLP, country: str, later: Iterable[str]) -> list[str]:
    """What ``country``'s best response leaves free: other riparians' zones and later movers' reservoirs it affects.

    - A zone below the country's reservoirs or zones, and above none of them, takes what reaches it, as zones did
      after 1991. Any other zone keeps its withdrawals: a best response can neither take an upstream neighbour's
      water nor reach into a side valley it does not touch (Tashkent, on the Chirchik, is no business of Kairakkum's).
    - A reservoir below any of the country's reservoirs or zones is free if its operator has yet to move: that operator
      decides it in its own turn. Held at an earlier plan's storage path, it would be a claim on the country's water
      (Chardara's planned winter filling would force upstream states to deliver it).
    """
    own = [n for n in lp.nodes_of(NodeKind.RESERVOIR, NodeKind.DEMAND) if lp.node(n).country == country]
    above = set().union(*(nx.ancestors(lp.graph, n) for n in own)) if own else set()
    below = set().union(*(nx.descendants(lp.graph, n) for n in own)) if own else set()
    to_move = set(later)
    zones = [d for d in lp.nodes_of(NodeKind.DEMAND) if lp.node(d).country != country and d in below - above]
    dams = [r for r in lp.nodes_of(NodeKind.RESERVOIR) if lp.node(r).country in to_move and r in below]
    return zones + dams


def unilateral(lp: BasinLP, years: Sequence[str]) -> Solution:
    """The non-cooperative plan: the upstream leader's own optimum, then each follower's in river order."""
    players = lp.spec.players
    held = holding(lp)
    plan = lp.solve(years, priority=dict.fromkeys(lp.spec.upstream, UPSTREAM_PRIORITY), holding=held)
    order = follower_order(lp)
    for i, c in enumerate(order):
        others = [p for p in players if p != c]
        weights = {p: 1.0 if p == c else TIE_BREAK for p in players}
        free = left_to_respond(lp, c, order[i + 1 :])
        keep = dict.fromkeys(own_reservoirs(lp, c), KEEP_COST)
        plan = lp.solve(years, weights=weights, fixed=(others, plan), holding=held, free=free, keep_cost=keep)
    # every strategy is now set; route what is left (turbines, spills, energy use) for all at full weight. The
    # water values of this last solve are short-run ones: what a m³ is worth with every strategy held.
    return lp.solve(years, fixed=(players, plan), holding=held, water_values=True)
