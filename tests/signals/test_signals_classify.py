"""Events sorted into the centre's priority groups by the taxonomy's rules, over a hand-written lake."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prevdip.events import Category, Event
from prevdip.signals import PRIORITY_GROUPS, classify_events


def _by_event(workspace: Path) -> dict[str, dict[str, tuple[str, float, str]]]:
    frame = classify_events(workspace=workspace)
    out: dict[str, dict[str, tuple[str, float, str]]] = {}
    for r in frame.itertuples():
        out.setdefault(r.source_event_id, {})[r.priority_group] = (r.subgroup, r.confidence, r.rule_id)
    return out


def test_each_scene_event_lands_where_the_centre_expects(scene_workspace: Path) -> None:
    got = _by_event(scene_workspace)
    # ISKP in northern Afghanistan: terrorism and Afghanistan spill-over at once.
    assert got["iskp-north"]["cross_border_threats"] == ("terrorism_violent_extremism", 0.9, "terror-actor")
    assert got["iskp-north"]["afghanistan_spillover"][0] == "militant_activity_north"
    # Kyrgyz and Tajik forces fighting at Vorukh: an interstate border clash.
    assert got["vorukh"]["border_disputes"] == ("border_clash", 0.95, "border-governments")
    # Heroin on the Panj: drug trafficking, and a cross-border incident on the Afghan border (by distance).
    assert got["panj-heroin"]["cross_border_threats"][0] == "drug_trafficking"
    assert got["panj-heroin"]["afghanistan_spillover"] == ("cross_border_incidents", 0.9, "afg-cross-border")
    assert "border_disputes" not in got["panj-heroin"]  # border guards at work are not a border dispute
    assert got["almaty-protest"] == {"internal_instability": ("protest", 0.9, "protest-category")}
    assert got["bar-ertix"] == {"environment_water_energy": ("water", 0.95, "water-bar")}
    # A ceasefire in Bishkek is none of the centre's worries: unclassified, not forced into a group.
    assert set(got["bishkek-ceasefire"]) == {"unclassified"}


def test_distance_decides_the_afghan_border_rule(
    workspace: Path, lake_writer: Callable[[Path, list[Event]], None], make_event: Callable[..., Event]
) -> None:
    near = make_event("near", date(2021, 8, 1), country_iso3="TJK", latitude=37.3, longitude=68.9)
    far = make_event("far", date(2021, 8, 1), country_iso3="TJK", latitude=38.56, longitude=68.79)  # Dushanbe
    lake_writer(workspace, [near, far])
    got = _by_event(workspace)
    assert got["near"]["afghanistan_spillover"][0] == "cross_border_incidents"
    assert set(got["far"]) == {"unclassified"}


def test_a_basin_named_in_the_text_makes_a_water_event(
    workspace: Path, lake_writer: Callable[[Path, list[Event]], None], make_event: Callable[..., Event]
) -> None:
    lake_writer(
        workspace,
        [
            make_event(
                "golovnoi", date(2021, 4, 28), country_iso3="KGZ", description="Dispute at the Golovnoi water intake"
            )
        ],
    )
    assert _by_event(workspace)["golovnoi"]["environment_water_energy"] == ("water", 0.6, "water-basin-text")


CATEGORIES = st.sampled_from(list(Category))
TEXT = st.sampled_from(["", "ISKP fighters", "heroin seized", "Taliban", "border clash near Batken", "drought"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(CATEGORIES, TEXT, st.sampled_from(["AFG", "TJK", "KGZ", "KAZ"])), min_size=1, max_size=6))
def test_every_event_is_classified_or_unclassified_never_lost(
    lake_writer: Callable[[Path, list[Event]], None],
    make_event: Callable[..., Event],
    cases: list[tuple[Category, str, str]],
) -> None:
    events = [
        make_event(f"e{i}", date(2020, 1, 1), category=c, description=t or None, country_iso3=iso3)
        for i, (c, t, iso3) in enumerate(cases)
    ]
    with tempfile.TemporaryDirectory() as folder:
        lake_writer(Path(folder), events)
        frame = classify_events(workspace=Path(folder), con=duckdb.connect())
    assert set(frame["source_event_id"]) == {e.source_event_id for e in events}
    assert set(frame["priority_group"]) <= {*PRIORITY_GROUPS, "unclassified"}
    for _, rows in frame.groupby("source_event_id"):
        groups = list(rows["priority_group"])
        assert len(groups) == len(set(groups))  # one row per group
        assert groups == ["unclassified"] or "unclassified" not in groups
        assert rows["confidence"].dropna().between(0, 1, inclusive="right").all()
