"""Preferences given as a ranking with ties or as payoffs, turned into the payoff vector the analysis uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import FloatArray, payoff_from_classes


def ranking_payoff(ranking: Sequence[str | Sequence[str]], labels: Sequence[str], where: str) -> FloatArray:
    """A ranking (best first; a list is a tie class) over exactly the model's states, as payoffs."""
    index = {label: k for k, label in enumerate(labels)}
    classes: list[list[int]] = []
    seen: dict[str, int] = {}
    for pos, entry in enumerate(ranking):
        members = [entry] if isinstance(entry, str) else list(entry)
        if not members:
            raise RefusedInput(f"{where}[{pos}]: an empty tie class", hint="remove it or put states in it")
        cls = []
        for label in members:
            if label not in index:
                raise RefusedInput(f"{where}[{pos}]: {label!r} is not a state of the model")
            if label in seen:
                raise RefusedInput(f"{where}[{pos}]: state {label!r} is ranked twice (first at position {seen[label]})")
            seen[label] = pos
            cls.append(index[label])
        classes.append(cls)
    missing = [label for label in labels if label not in seen]
    if missing:
        raise RefusedInput(
            f"{where}: state{'s' if len(missing) > 1 else ''} {', '.join(missing[:10])} missing from the ranking",
            hint="every state must appear once; put states the decision maker does not mind between in one tie class",
        )
    return payoff_from_classes(classes, len(labels))


def payoff_vector(payoffs: Mapping[str, float], labels: Sequence[str], where: str) -> FloatArray:
    """Payoffs (higher is better) for exactly the model's states."""
    unknown = [k for k in payoffs if k not in set(labels)]
    if unknown:
        raise RefusedInput(f"{where}.{unknown[0]}: not a state of the model")
    missing = [label for label in labels if label not in payoffs]
    if missing:
        raise RefusedInput(f"{where}: no payoff for state{'s' if len(missing) > 1 else ''} {', '.join(missing[:10])}")
    values = np.array([float(payoffs[label]) for label in labels])
    if not np.all(np.isfinite(values)):
        raise RefusedInput(f"{where}: payoffs must be finite numbers")
    return values
