"""Transitions proposed from the signals of the real, ingested reference bundle.

Which sources reach the Kyrgyz-Tajik fighting: the lake's event files stop in 2020 (UCDP GED 21.1, the GDELT and
TFDD samples) — so no event of 2021 or 2022 is in the lake — and what reaches those months is UCDP's monthly
country series (GED + Candidate), attributed to the KGZ-TJK dyad in the years UCDP's battle-related deaths record an
interstate conflict between them (56 deaths in 2021, 150 in 2022). The provinces (admin1 panel) are built from
events alone and stay silent. The series drops events that span two months, so the fighting of 28 April - 1 May
2021 shows as one Kyrgyz death in April 2021: still a death on the dyad, still a proposal.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from prevdip.disputes import QUIET_MONTHS, add_dispute, list_disputes, open_register, proposals, record_transition
from prevdip.errors import RefusedInput

pytestmark = pytest.mark.slow

FIGHTING = {date(2021, 4, 1): 56, date(2022, 9, 1): 150}  # month → UCDP battle-related deaths of its year


def _disputes() -> list:  # type: ignore[type-arg]
    with open_register("officer") as register:
        return list_disputes(register)


@pytest.mark.parametrize("month", sorted(FIGHTING))
def test_the_kyrgyz_tajik_fighting_proposes_violent_on_its_months(lake_with_records: Path, month: date) -> None:
    found = [p for p in proposals(_disputes(), month=month) if p.dispute == "kgz-tjk-border"]
    assert len(found) == 1
    proposal = found[0]
    assert (proposal.phase, proposal.from_phase, proposal.month) == ("violent", "managed", f"{month:%Y-%m}")
    assert proposal.recorded  # the shipped register records the fighting in that very month
    dyad = next(u for u in proposal.units if u.unit == "KGZ-TJK")
    assert dyad.deaths >= 1 and dyad.series_deaths == dyad.deaths and dyad.event_deaths is None
    assert dyad.conflict_year_deaths == FIGHTING[month]
    assert proposal.events == []  # no event file of the bundle reaches these months


def test_an_unconfirmed_dispute_is_proposed_violent_then_managed(lake_with_records: Path) -> None:
    """A dispute recorded latent on the same dyad: every fatal spell proposes violent until an officer confirms;
    once violent, the quiet months after the September 2022 fighting propose managed."""
    with open_register("officer") as register:
        add_dispute(
            register,
            {
                "id": "isfara-intakes", "name": {"en": "Isfara water intakes", "ru": "Водозаборы на Исфаре"},
                "parties": ["KGZ", "TJK"], "issues": ["water_allocation"], "priority_group": "border_disputes",
                "units": {"dyads": ["KGZ-TJK"], "provinces": ["KGZ:Batken", "TJK:Leninabad"]},
                "summary": "Shared intakes on the upper Isfara.",
                "history": [{"phase": "latent", "date": "2020-01-01", "sources": [{"outlet": "24.kg"}]}],
            },
        )  # fmt: skip
    ours = [p for p in proposals(_disputes(), since=date(2019, 1, 1)) if p.dispute == "isfara-intakes"]
    assert [(p.month, p.through, p.phase) for p in ours] == [
        ("2021-04", "2021-04", "violent"),
        ("2021-07", "2021-07", "violent"),
        ("2022-01", "2022-01", "violent"),
        ("2022-03", "2022-04", "violent"),  # a spell of consecutive fatal months is one proposal
        ("2022-06", "2022-06", "violent"),
        ("2022-09", "2022-09", "violent"),
    ]
    assert not any(p.recorded for p in ours)
    with open_register("officer") as register:  # the officer confirms September 2022
        record_transition(register, "isfara-intakes", "violent", when="2022-09-14", sources=["https://24.kg/a"])
    after = [p for p in proposals(_disputes(), since=date(2022, 9, 1)) if p.dispute == "isfara-intakes"]
    managed = [p for p in after if p.phase == "managed"]
    assert len(managed) == 1 and managed[0].month == f"2022-{9 + QUIET_MONTHS:02d}"
    assert managed[0].from_phase == "violent" and managed[0].through >= "2026-01"  # standing until confirmed


def test_the_latest_month_by_default_and_a_month_beyond_the_signals_is_refused(lake_with_records: Path) -> None:
    disputes = _disputes()
    assert all(p.month == p.through for p in proposals(disputes))
    with pytest.raises(RefusedInput, match="the signals end in"):
        proposals(disputes, month=date(2030, 1, 1))


def test_an_event_of_the_lake_cited_as_evidence_keeps_its_source_and_tier(lake_with_records: Path) -> None:
    import duckdb

    from prevdip.disputes import for_audience, record_milestone
    from prevdip.events import events_relation
    from prevdip.events.sharing import Audience, may_see

    con = duckdb.connect()
    lake = events_relation(con, workspace=lake_with_records).filter("source = 'ucdp-ged'")
    uid, source = lake.project("event_uid, source").limit(1).fetchall()[0]
    with open_register("officer") as register:
        cited = record_milestone(
            register, "kgz-tjk-border", "An event cited", when="2025-05-01", evidence=[f"event:{uid}"],
            sources=["https://24.kg/a"],
        )  # fmt: skip
    event = cited.milestones[-1].events[0]
    assert (event.uid, event.source, event.sharing) == (uid, source, None)
    for refused in ("event:" + "0" * 32, "event:xyz"):
        with pytest.raises(RefusedInput, match="event"), open_register("officer") as register:
            record_milestone(register, "kgz-tjk-border", "x", when="2025-05-01", evidence=[refused], sources=["s"])
    hidden = cited.model_copy(
        update={
            "milestones": [
                cited.milestones[-1].model_copy(
                    update={"events": [event.model_copy(update={"sharing": "centre-internal"})]}
                )
            ]
        }
    )
    governments = for_audience(hidden, lambda tier: may_see(Audience.governments, tier))
    assert governments.milestones[-1].events == [] and for_audience(hidden, lambda tier: True).milestones[-1].events
