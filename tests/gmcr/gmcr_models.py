"""Random GMCR models for the property tests (hypothesis strategies), shared by the test modules of this folder."""

from __future__ import annotations

import numpy as np
from hypothesis import reject
from hypothesis import strategies as st

from prevdip.errors import RefusedInput
from prevdip.gmcr import GraphModel, Moves, load_model


@st.composite
def graph_models(draw: st.DrawFn, max_dms: int = 4, max_states: int = 7) -> GraphModel:
    n = draw(st.integers(2, max_dms))
    m = draw(st.integers(2, max_states))
    pairs = [(a, b) for a in range(m) for b in range(m) if a != b]
    moves = []
    for _ in range(n):
        chosen = draw(st.lists(st.sampled_from(pairs), max_size=len(pairs), unique=True))
        moves.append(Moves.from_pairs(m, (a for a, _ in chosen), (b for _, b in chosen)))
    payoffs = np.array(draw(st.lists(st.lists(st.integers(0, 3), min_size=m, max_size=m), min_size=n, max_size=n)))
    return GraphModel(
        name="random",
        decision_makers=tuple(f"D{i}" for i in range(n)),
        states=tuple(str(s + 1) for s in range(m)),
        moves=tuple(moves),
        payoffs=payoffs.astype(np.float64),
    )


@st.composite
def option_models(draw: st.DrawFn) -> GraphModel:
    """Random option-form files: 2-3 decision makers, up to 6 options, patterns, irreversibility, statements."""
    n = draw(st.integers(2, 3))
    counts = [draw(st.integers(1, 2)) for _ in range(n)]
    names = [f"o{k}" for k in range(sum(counts))]
    it = iter(names)
    dms = [{"name": f"D{i}", "options": [next(it) for _ in range(c)]} for i, c in enumerate(counts)]
    patterns = draw(st.lists(st.text("YN--", min_size=len(names), max_size=len(names)), max_size=2))
    patterns = [p for p in patterns if p.count("-") >= 1]
    irreversible = {o: draw(st.sampled_from(["N->Y", "Y->N"])) for o in names if draw(st.booleans())}
    literal = st.sampled_from(names + [f"not {o}" for o in names])
    statement = st.one_of(
        literal,
        st.tuples(literal, st.sampled_from(["and", "or", "iff"]), literal).map(" ".join),
        st.tuples(literal, literal).map(lambda t: f"if {t[0]} then {t[1]}"),
    )
    prefs = {d["name"]: {"statements": draw(st.lists(statement, min_size=1, max_size=4))} for d in dms}
    spec: dict = {"form": "option", "decision_makers": dms, "infeasible": patterns, "irreversible": irreversible}
    if draw(st.booleans()):  # merge the "don't care" states of one option combination
        spec["aggregate"] = [{"when": draw(st.text("YN-", min_size=len(names), max_size=len(names)))}]
    try:
        return load_model({**spec, "preferences": prefs})
    except RefusedInput as refusal:
        assert "no feasible state" in str(refusal) or "matches no feasible state" in str(refusal)
        reject()
