"""Infeasibility patterns and state patterns over options, evaluated on all option codes at once.

A pattern is a Y/N/- string over all options in file order (``"-YY--"``: options 2 and 3 both Y) or a mapping
``{"Delay": "Y", "Accept": "Y"}``. Rules name sets of options: ``at_most_one_of``, ``at_least_one_of``,
``exactly_one_of``, ``not_both``; each makes the combinations that break it infeasible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import BoolArray, IntArray
from prevdip.gmcr.schema import InfeasibleRule


def pattern_bits(pattern: str | Mapping[str, str], names: Sequence[str], where: str) -> tuple[int, int]:
    """(mask, value): a code matches when ``code & mask == value``."""
    mask = value = 0
    if isinstance(pattern, str):
        if len(pattern) != len(names) or set(pattern) - set("YN-"):
            raise RefusedInput(
                f"{where}: pattern {pattern!r} must have one of Y, N or - per option ({len(names)} options)",
                hint=f"options in order: {' '.join(names)}",
            )
        items = [(names[k], c) for k, c in enumerate(pattern) if c != "-"]
    else:
        items = list(pattern.items())
    for name, c in items:
        bit = 1 << _option_index(name, names, where)
        mask |= bit
        value |= bit if c == "Y" else 0
    return mask, value


def _option_index(name: str, names: Sequence[str], where: str) -> int:
    if name not in names:
        raise RefusedInput(f"{where}: {name!r} is not an option of the model", hint=f"options: {', '.join(names)}")
    return list(names).index(name)


def _set_bits(options: Sequence[str], names: Sequence[str], where: str) -> int:
    if len(options) < 2:
        raise RefusedInput(f"{where}: name at least two options")
    return sum(1 << _option_index(o, names, where) for o in options)


def infeasible_mask(
    rules: Sequence[str | InfeasibleRule], names: Sequence[str], codes: IntArray, source: str
) -> BoolArray:
    """True for every code that some rule makes infeasible."""
    out = np.zeros(codes.size, dtype=bool)
    for r, rule in enumerate(rules):
        where = f"{source}: field infeasible[{r}]"
        if isinstance(rule, str) or rule.pattern is not None:
            pat = rule if isinstance(rule, str) else rule.pattern
            assert pat is not None
            mask, value = pattern_bits(pat, names, where)
            out |= (codes & mask) == value
            continue
        if rule.not_both is not None:
            bits = _set_bits(rule.not_both, names, f"{where}.not_both")
            out |= (codes & bits) == bits
            continue
        for field, bad in (
            ("at_most_one_of", lambda c: c > 1),
            ("at_least_one_of", lambda c: c == 0),
            ("exactly_one_of", lambda c: c != 1),
        ):
            options = getattr(rule, field)
            if options is not None:
                count = np.bitwise_count(codes & _set_bits(options, names, f"{where}.{field}"))
                out |= bad(count)
    return out


def resolve_status_quo(
    value: str, names: Sequence[str], labels: Sequence[str], state_of_code: IntArray, source: str
) -> str:
    """The status quo as a state label, given as a label or as a full Y/N vector over the options."""
    if value in labels:
        return value
    where = f"{source}: field status_quo"
    if len(value) == len(names) and set(value) <= set("YN"):
        code = sum(1 << k for k, c in enumerate(value) if c == "Y")
        state = int(state_of_code[code])
        if state < 0:
            raise RefusedInput(f"{where}: {value!r} is an infeasible combination of options")
        return labels[state]
    raise RefusedInput(f"{where}: {value!r} is neither a state number nor a Y/N vector over {len(names)} options")
