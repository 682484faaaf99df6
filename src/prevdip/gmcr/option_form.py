"""Compile the option form (how mediators think) into the graph form (what the analysis needs).

Numbering is the standard one: option k (0-based over all options, decision makers in file order) has value
2^k; feasible states are numbered 1, 2, ... by ascending code. States merged by an ``aggregate`` rule (the
"don't care" states, e.g. Elmira's Abandon) are numbered after the others, in the order the rules are declared;
a merged state has the moves of all its members and the preferences of its lowest-code member, and shows "-"
for options that differ among its members. All steps are vectorised over the 2^K option codes.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from prevdip.errors import RefusedInput
from prevdip.gmcr.model import BoolArray, FloatArray, GraphModel, IntArray, Moves, OptionInfo
from prevdip.gmcr.option_cube import OptionCube
from prevdip.gmcr.option_patterns import infeasible_mask, pattern_bits, resolve_status_quo
from prevdip.gmcr.preferences import payoff_vector, ranking_payoff
from prevdip.gmcr.schema import OptionFile, PreferenceSpec
from prevdip.gmcr.statements import KEYWORDS, parse_statement, prioritisation_scores

MAX_OPTIONS = 24
CHUNK = 4_000_000  # (state, change) pairs handled at once when generating moves


def compile_options(spec: OptionFile, source: str) -> GraphModel:
    names, owners = _options(spec, source)
    k = len(names)
    codes = np.arange(1 << k, dtype=np.int64)
    feasible = codes[~infeasible_mask(spec.infeasible, names, codes, source)]
    if feasible.size == 0:
        raise RefusedInput(f"{source}: field infeasible: the rules leave no feasible state")
    group = _groups(spec, names, feasible, source)
    state_of_code = np.full(1 << k, -1, dtype=np.int64)
    state_of_code[feasible] = group
    m = int(group.max()) + 1
    rep = np.full(m, np.iinfo(np.int64).max)
    np.minimum.at(rep, group, feasible)
    labels = tuple(str(s + 1) for s in range(m))
    dms = tuple(d.name for d in spec.decision_makers)
    irreversible = dict(spec.irreversible)
    for name in irreversible:
        if name not in names:
            raise RefusedInput(f"{source}: field irreversible.{name}: not an option of the model")
    fwd = sum(1 << names.index(n) for n, w in irreversible.items() if w == "N->Y")
    back = sum(1 << names.index(n) for n, w in irreversible.items() if w == "Y->N")
    moves = []
    for dm in dms:
        bits = [names.index(o) for o, owner in zip(names, owners, strict=True) if owner == dm]
        moves.append(_dm_moves(bits, feasible, state_of_code, fwd, back, m, merged=bool(spec.aggregate)))
    payoffs = np.vstack([_preference(spec, dm, labels, names, rep, source) for dm in dms])
    vectors = _vectors(k, feasible, group, m)
    cube = None
    if not spec.aggregate:
        dm_options = tuple(tuple(k for k, owner in enumerate(owners) if owner == dm) for dm in dms)
        cube = OptionCube(n_options=k, codes=feasible, dm_options=dm_options, only_taken=fwd, only_dropped=back)
    model = GraphModel(
        name=spec.name,
        decision_makers=dms,
        states=labels,
        moves=tuple(moves),
        payoffs=payoffs,
        options=OptionInfo(names=tuple(names), owners=tuple(owners), vectors=vectors),
        description=spec.description,
        cube=cube,
    )
    if spec.status_quo is None:
        return model
    sq = resolve_status_quo(spec.status_quo, names, labels, state_of_code, source)
    return replace(model, status_quo=sq)


def _options(spec: OptionFile, source: str) -> tuple[list[str], list[str]]:
    names: list[str] = []
    owners: list[str] = []
    seen_dm: set[str] = set()
    for d, dm in enumerate(spec.decision_makers):
        if dm.name in seen_dm:
            raise RefusedInput(f"{source}: field decision_makers[{d}].name: {dm.name!r} appears twice")
        seen_dm.add(dm.name)
        for o, name in enumerate(dm.options):
            where = f"{source}: field decision_makers[{d}].options[{o}]"
            if name in names:
                raise RefusedInput(f"{where}: option {name!r} appears twice", hint="option names are unique")
            bad = not name or any(c.isspace() or c in "()" for c in name) or name.startswith("-")
            if bad or name.lower() in KEYWORDS or name.isdigit():
                raise RefusedInput(
                    f"{where}: {name!r} cannot be an option name",
                    hint="use one word without spaces or parentheses (e.g. Modify_order), not a number or a keyword",
                )
            names.append(name)
            owners.append(dm.name)
    if len(names) > MAX_OPTIONS:
        raise RefusedInput(f"{source}: {len(names)} options; at most {MAX_OPTIONS} are supported")
    return names, owners


def _groups(spec: OptionFile, names: list[str], feasible: IntArray, source: str) -> IntArray:
    """State index (0-based) of every feasible code: plain states first by code, then merged groups."""
    which = np.full(feasible.size, -1, dtype=np.int64)
    for r, rule in enumerate(spec.aggregate):
        mask, value = pattern_bits(rule.when, names, f"{source}: field aggregate[{r}].when")
        hit = ((feasible & mask) == value) & (which < 0)
        if not hit.any():
            raise RefusedInput(f"{source}: field aggregate[{r}].when: matches no feasible state not already merged")
        which[hit] = r
    plain = which < 0
    group = np.empty(feasible.size, dtype=np.int64)
    group[plain] = np.arange(int(plain.sum()))
    group[~plain] = int(plain.sum()) + which[~plain]  # every rule matched something, so groups are contiguous
    return group


def _dm_moves(
    bits: list[int], feasible: IntArray, state_of_code: IntArray, fwd: int, back: int, m: int, merged: bool
) -> Moves:
    """Arcs of one decision maker: change any non-empty subset of its own options, feasibly and reversibly.

    Feasible codes are handled a block of rows at a time (bounded memory at a million states). Without merged
    states, row r is state r and distinct changes reach distinct states, so sorting within rows already gives
    the CSR order and no global sort is needed.
    """
    own = sum(1 << b for b in bits)
    subsets = np.array(_submasks(own), dtype=np.int64)
    rows = max(1, CHUNK // subsets.size)
    counts, src_parts, dst_parts = [], [], []
    for lo in range(0, feasible.size, rows):
        codes = feasible[lo : lo + rows]
        ok, target = _allowed(codes, subsets, state_of_code, fwd, back)
        dst = state_of_code[np.where(ok, target, codes[:, None])]
        if merged:
            src = np.broadcast_to(state_of_code[codes][:, None], dst.shape)
            real = ok & (src != dst)  # a change inside a merged state is no move
            src_parts.append(src[real])
            dst_parts.append(dst[real])
        else:
            dst = np.sort(np.where(ok, dst, m), axis=1)
            counts.append(ok.sum(axis=1))
            dst_parts.append(dst[dst < m].astype(np.int32))
    if merged:
        return Moves.from_arrays(m, np.concatenate(src_parts), np.concatenate(dst_parts))
    return Moves.from_counts(np.concatenate(counts), np.concatenate(dst_parts))


def _allowed(
    feasible: IntArray, subsets: IntArray, state_of_code: IntArray, fwd: int, back: int
) -> tuple[BoolArray, IntArray]:
    """Which (state, change of own options) pairs are moves, and the codes they lead to."""
    target = feasible[:, None] ^ subsets[None, :]  # one row per feasible code, one column per change
    ok = state_of_code[target] >= 0
    ok &= (feasible[:, None] & subsets & fwd) == 0  # N->Y-only options cannot be switched off
    ok &= (~feasible[:, None] & subsets & back) == 0  # Y->N-only options cannot be switched on
    return ok, target


def _submasks(own: int) -> list[int]:
    """Every non-empty subset of the bits of ``own``."""
    out = []
    sub = own
    while sub:
        out.append(sub)
        sub = (sub - 1) & own
    return out


def _preference(
    spec: OptionFile, dm: str, labels: tuple[str, ...], names: list[str], rep: IntArray, source: str
) -> FloatArray:
    where = f"{source}: field preferences.{dm}"
    pref: PreferenceSpec | None = spec.preferences.get(dm)
    for other in spec.preferences:
        if other not in {d.name for d in spec.decision_makers}:
            raise RefusedInput(f"{source}: field preferences.{other}: {other!r} is not one of the decision makers")
    if pref is None:
        raise RefusedInput(f"{source}: field preferences: no entry for decision maker {dm!r}")
    if pref.ranking is not None:
        return ranking_payoff(pref.ranking, labels, f"{where}.ranking")
    if pref.payoffs is not None:
        return payoff_vector(pref.payoffs, labels, f"{where}.payoffs")
    statements = pref.statements or []
    if not statements or len(statements) > 50:
        raise RefusedInput(f"{where}.statements: give between 1 and 50 statements, most important first")
    conditions = [parse_statement(text, names, f"{where}.statements[{r}]") for r, text in enumerate(statements)]
    return prioritisation_scores(conditions, lambda k: ((rep >> k) & 1).astype(bool))


def _vectors(k: int, feasible: IntArray, group: IntArray, m: int) -> tuple[str, ...]:
    """Y/N per option for each state; "-" where the members of a merged state differ.

    Built as one character array whose rows are then read as strings (a Python join per state took seconds at a
    million states).
    """
    members = np.bincount(group, minlength=m)
    chars = np.empty((m, k), dtype="<U1")
    for b in range(k):
        ones = np.bincount(group, weights=(feasible >> b) & 1, minlength=m)
        chars[:, b] = np.where(ones == members, "Y", np.where(ones == 0, "N", "-"))
    return tuple(chars.view(f"<U{k}").reshape(m).tolist())
