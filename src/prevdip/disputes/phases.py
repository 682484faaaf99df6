"""A dispute's lifecycle, after Zartman's line between conflict management and conflict resolution.

``latent`` — a dispute, no violence; ``escalating`` — tension rising (threats, blockades, mobilisation);
``violent`` — the dispute has become a conflict; ``managed`` — violence stopped and the conflict returned to the
political channel (a ceasefire, a moratorium) with the issue still open; ``resolved`` — a political solution was
found: a treaty or an agreement, "often at the level of a concept rather than reality", so a resolved dispute is
still watched for its implementation and for relapse.

The moves between phases are the rules the register enforces. Relapse — back into escalation or violence — is
possible from every phase after ``latent``; violence ends only in management or resolution (the guns falling
silent is management, whether or not a mediator brokered it); and a dispute is ``resolved`` only by an agreement
recorded in the evidence, whatever phase it leaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

PHASES = ("latent", "escalating", "violent", "managed", "resolved")

#: Where a dispute may go from each phase (``resolved`` further needs an agreement in the evidence).
MOVES: dict[str, tuple[str, ...]] = {
    "latent": ("escalating", "violent", "resolved"),
    "escalating": ("latent", "violent", "resolved"),
    "violent": ("managed", "resolved"),
    "managed": ("escalating", "violent", "resolved"),
    "resolved": ("escalating", "violent"),
}

#: Months in a row without a death on any of a dispute's units after which a violent dispute is proposed as managed.
QUIET_MONTHS = 3


@dataclass(frozen=True)
class Step:
    """One transition as the rules see it: where to, when, and whether an agreement is in its evidence."""

    phase: str
    on: date
    agreement: bool = False


def refusal(previous: Step | None, step: Step) -> str | None:
    """Why ``step`` may not follow ``previous`` (``None`` for the first step of a history), or ``None`` if it may."""
    if step.phase not in PHASES:
        return f"unknown phase {step.phase!r} (phases: {', '.join(PHASES)})"
    if step.phase == "resolved" and not step.agreement:
        return "a dispute is resolved only by an agreement: record the agreement in the evidence"
    if previous is None:
        return None
    if step.on < previous.on:
        return f"{step.on} is before the last recorded transition ({previous.phase} on {previous.on})"
    if step.phase == previous.phase:
        return f"the dispute is already {step.phase} (since {previous.on})"
    if step.phase not in MOVES[previous.phase]:
        allowed = ", ".join(MOVES[previous.phase])
        return f"a {previous.phase} dispute cannot become {step.phase} (from {previous.phase}: {allowed})"
    return None


def history_refusal(steps: Sequence[Step]) -> str | None:
    """The first rule a whole history breaks, naming the step (1-based), or ``None`` if it keeps every rule."""
    if not steps:
        return "a dispute needs at least one phase, with its date"
    for n, step in enumerate(steps):
        problem = refusal(steps[n - 1] if n else None, step)
        if problem is not None:
            return f"step {n + 1} ({step.phase} on {step.on}): {problem}"
    return None


def phase_on(steps: Sequence[Step], day: date) -> str | None:
    """The phase in force at the start of ``day`` (transitions dated before it), ``None`` before the first."""
    current = None
    for step in steps:
        if step.on >= day:
            break
        current = step.phase
    return current
