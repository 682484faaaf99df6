"""The lifecycle's rules over any sequence of transitions (Hypothesis), against a statement of the rules written
here from docs/disputes.md rather than from the code: resolution only by an agreement, relapse from any phase,
violence ending only in management or resolution, time running forward."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from prevdip.disputes.phases import PHASES, Step, history_refusal, phase_on, refusal

START = date(1991, 12, 26)


def allowed(previous: Step | None, step: Step) -> bool:
    """The rules as docs/disputes.md states them."""
    if step.phase == "resolved" and not step.agreement:
        return False  # no resolution without an agreement, from whatever phase
    if previous is None:
        return True
    if step.on < previous.on or step.phase == previous.phase:
        return False
    if step.phase in ("escalating", "violent"):  # relapse or escalation: from any other phase, but violence does
        return not (previous.phase == "violent" and step.phase == "escalating")  # not "de-escalate" unmanaged
    if step.phase == "managed":
        return previous.phase == "violent"  # management returns *violence* to the political channel
    if step.phase == "latent":
        return previous.phase == "escalating"  # tension subsides; after violence the issue stays managed
    return True  # resolved, with its agreement, from any phase but itself


steps_strategy = st.lists(
    st.tuples(st.sampled_from(PHASES), st.integers(min_value=-30, max_value=3000), st.booleans()),
    min_size=1,
    max_size=12,
)


def _history(raw: list[tuple[str, int, bool]]) -> list[Step]:
    out, day = [], START
    for phase, gap, agreement in raw:
        day = day + timedelta(days=gap)
        out.append(Step(phase, day, agreement))
    return out


@given(steps_strategy)
def test_a_history_is_accepted_exactly_when_every_step_keeps_the_rules(raw: list[tuple[str, int, bool]]) -> None:
    history = _history(raw)
    expected = all(allowed(history[n - 1] if n else None, step) for n, step in enumerate(history))
    problem = history_refusal(history)
    assert (problem is None) == expected, problem
    if problem is not None:  # the refusal names the first step that breaks a rule
        first_bad = next(n for n, s in enumerate(history) if not allowed(history[n - 1] if n else None, s))
        assert problem.startswith(f"step {first_bad + 1} ")


@given(steps_strategy, st.booleans())
def test_no_resolution_without_an_agreement_and_relapse_always_possible(
    raw: list[tuple[str, int, bool]], agreement: bool
) -> None:
    last = _history(raw)[-1]
    later = last.on + timedelta(days=1)
    resolving = refusal(last, Step("resolved", later, agreement))
    if last.phase == "resolved":
        assert resolving is not None
    else:
        assert (resolving is None) == agreement
    if last.phase != "violent":
        assert refusal(last, Step("violent", later)) is None  # relapse into violence from any phase
    if last.phase in ("managed", "resolved"):
        assert refusal(last, Step("escalating", later)) is None


@given(steps_strategy, st.integers(min_value=0, max_value=40000))
def test_the_phase_on_a_day_is_the_last_transition_before_it(raw: list[tuple[str, int, bool]], offset: int) -> None:
    history = sorted(_history(raw), key=lambda s: s.on)
    day = START + timedelta(days=offset)
    before = [s for s in history if s.on < day]
    assert phase_on(history, day) == (before[-1].phase if before else None)


def test_refusals_say_what_is_allowed() -> None:
    violent = Step("violent", date(2022, 9, 14))
    latent = Step("latent", date(2023, 1, 1))
    assert "cannot become latent (from violent: managed, resolved)" in str(refusal(violent, latent))
    assert "only by an agreement" in str(refusal(violent, Step("resolved", date(2023, 1, 1))))
    assert "before the last recorded transition" in str(refusal(violent, Step("managed", date(2022, 9, 1))))
    assert "unknown phase 'settled'" in str(refusal(violent, Step("settled", date(2023, 1, 1))))
    assert history_refusal([]) is not None
