"""Plain-word explanations: for each decision maker, state and concept, its improvements and what deters each.

The sanction shown is a shortest legal sequence found by breadth-first search over (state, last mover), i.e. the
definitions applied literally, so an explanation is also an independent check of the stability tables (the
tests compare the two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prevdip.gmcr.model import GraphModel, Moves, Values
from prevdip.gmcr.reachability import Step, min_over_reach, sanction_path
from prevdip.gmcr.stability import CONCEPTS, best_escape
from prevdip.gmcr.wording import phrases


def describe_state(model: GraphModel, s: int, lang: str = "en") -> str:
    """The label with the options taken, e.g. '5 (Delay, Insist)'; the bare label in graph-form models."""
    label = model.states[s]
    if model.options is None:
        return label
    vec = model.options.vectors[s]
    taken = [n for n, c in zip(model.options.names, vec, strict=True) if c == "Y"]
    return f"{label} ({', '.join(taken) if taken else phrases(lang)['no_option']})"


def explain_all(model: GraphModel, lang: str = "en") -> dict[str, dict[str, dict[str, Any]]]:
    """``{dm: {state: {"improvements": [...], concept: {"stable", "text", "sanctions"}}}}``, the texts in ``lang``."""
    ups = model.improvements()
    out = {}
    for i, dm in enumerate(model.decision_makers):
        threats = threats_against(model, i, ups)
        out[dm] = {model.states[s]: explain(model, i, s, ups, threats, lang) for s in range(model.m)}
    return out


@dataclass(frozen=True)
class Threats:
    """What the others can do to decision maker i, per concept: who answers with which moves, the value i is held
    to (its payoff, or for SMR its best escape), and the lowest such value the answers can force from every
    state. The last one tells, before any search, whether a deterring sequence exists at all; a failed
    breadth-first search would have walked the whole reachable space (most of the time of explanations)."""

    members: dict[str, list[Moves]]
    value: dict[str, Values]
    forced: dict[str, Values]


def threats_against(model: GraphModel, i: int, ups: tuple[Moves, ...]) -> Threats:
    others = [j for j in range(model.n) if j != i]
    p = model.payoffs[i]
    members = {"gmr": [model.moves[j] for j in others], "smr": [model.moves[j] for j in others]}
    members["seq"] = [ups[j] for j in others]
    value = {"gmr": p, "smr": best_escape(model.moves[i], p), "seq": p}
    forced = {c: min_over_reach(members[c], value[c]) for c in members}
    return Threats(members=members, value=value, forced=forced)


def explain(
    model: GraphModel,
    i: int,
    s: int,
    ups: tuple[Moves, ...] | None = None,
    threats: Threats | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Why state ``s`` is or is not stable for decision maker ``i`` under each concept, with the deterrents found,
    said in ``lang``."""
    ups = ups or model.improvements()
    dm = model.decision_makers[i]
    p = model.payoffs[i]
    said = phrases(lang)
    targets = [int(t) for t in ups[i].targets(s)]
    here = describe_state(model, s, lang)
    out: dict[str, Any] = {"improvements": [model.states[t] for t in targets]}
    if not targets:
        text = said["no_move"].format(dm=dm, here=here)
        for c in CONCEPTS:
            out[c] = {"stable": True, "text": text, "sanctions": {}}
        return out
    better = ", ".join(describe_state(model, t, lang) for t in targets)
    out["nash"] = {
        "stable": False,
        "text": said["nash_unstable"].format(dm=dm, here=here, better=better),
        "sanctions": {},
    }
    others = [j for j in range(model.n) if j != i]
    threats = threats or threats_against(model, i, ups)
    for concept, members in threats.members.items():
        value, limit = threats.value[concept], p[s]
        found = {
            t: sanction_path(members, t, _no_better_than(value, limit)) if threats.forced[concept][t] <= limit else None
            for t in targets
        }
        sanctions = {
            model.states[t]: None if path is None else _sanction_dict(model, others, t, path)
            for t, path in found.items()
        }
        stable = all(path is not None for path in found.values())
        out[concept] = {
            "stable": stable,
            "text": _text(model, concept, (i, s), found, others, stable, lang),
            "sanctions": sanctions,
        }
    return out


def _no_better_than(value: Values, limit: float) -> Callable[[int], bool]:
    """The test a sanction's end state must pass: its value for the focal decision maker is at most ``limit``."""
    return lambda q: bool(value[q] <= limit)


def _sanction_dict(model: GraphModel, others: list[int], start: int, path: list[Step]) -> dict[str, Any]:
    return {
        "path": [model.states[start]] + [model.states[q] for _, q in path],
        "movers": [model.decision_makers[others[j]] for j, _ in path],
    }


def _text(
    model: GraphModel,
    concept: str,
    at: tuple[int, int],
    found: dict[int, list[Step] | None],
    others: list[int],
    stable: bool,
    lang: str,
) -> str:
    """The reading of decision maker and state ``at`` under ``concept``: for each improvement, the others' answer
    that deters it, or that none does, in ``lang``."""
    i, s = at
    said = phrases(lang)
    dm = model.decision_makers[i]
    p = model.payoffs[i]
    here = describe_state(model, s, lang)
    parts = []
    for t, path in found.items():
        there = describe_state(model, t, lang)
        if path is None:
            replies = said["credible_replies" if concept == "seq" else "replies"]
            trap = said["trap"] if concept == "smr" else ""
            parts.append(said["no_sanction"].format(dm=dm, there=there, replies=replies, trap=trap, here=here))
            continue
        end = path[-1][1]
        steps = said["then"].join(
            said["step"].format(mover=model.decision_makers[others[j]], state=describe_state(model, q, lang))
            for j, q in path
        )
        worse = said["likes_less" if p[end] < p[s] else "likes_no_better"]
        sentence = said["sanction"].format(
            dm=dm, there=there, steps=steps, end=model.states[end], worse=worse, here=here
        )
        if concept == "smr":
            sentence += said["no_way_back"].format(dm=dm, here=here)
        if concept == "seq":
            sentence += said["credible"]
        parts.append(sentence + ".")
    verdict = said["stable" if stable else "not_stable"]
    head = said["verdict"].format(here=here, verdict=verdict, dm=dm, concept=said[concept])
    return head + " ".join(part[0].upper() + part[1:] for part in parts)
