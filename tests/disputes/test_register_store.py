"""The register on the system of record (SQLite here; both backends in tests/store/test_dispute_records.py): seeded
once from the shipped file, every write audited, refusals writing nothing, evidence tied to the ledger."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from sqlalchemy import func, select

from prevdip.disputes import (
    Register,
    add_dispute,
    disputes_on,
    list_disputes,
    record_milestone,
    record_transition,
    shipped_register,
    show_dispute,
)
from prevdip.disputes.register import SHIPPED_BY
from prevdip.errors import RefusedInput
from prevdip.response import add_commitment, add_meeting, add_partner, open_ledger
from prevdip.store import open_store
from prevdip.store.models import AuditEntry, DisputeMilestone, DisputeRecord, DisputeTransition

Opener = Callable[..., AbstractContextManager[Register]]
SOURCE = "https://24.kg/english/example"


def _counts(url: str) -> dict[str, int]:
    with open_store(url) as store, store.session() as session:
        models = {"disputes": DisputeRecord, "transitions": DisputeTransition, "milestones": DisputeMilestone}
        counts = {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in models.items()}
        return counts | {"audit": session.scalar(select(func.count()).select_from(AuditEntry)) or 0}


def test_first_use_seeds_the_shipped_register_once(register: Opener, records_url: str) -> None:
    shipped = shipped_register()
    with register() as opened:
        found = list_disputes(opened)
    assert [d.id for d in found] == sorted(d.id for d in shipped)
    transitions = sum(len(d.history) for d in shipped)
    milestones = sum(len(d.milestones) for d in shipped)
    seeded = _counts(records_url)
    assert seeded == {
        "disputes": len(shipped), "transitions": transitions, "milestones": milestones,
        "audit": len(shipped) + transitions + milestones,
    }  # fmt: skip
    assert all(t.who == SHIPPED_BY and t.origin == "shipped" for d in found for t in d.history)
    with register() as opened:  # a second use seeds nothing
        assert len(list_disputes(opened)) == len(shipped)
    assert _counts(records_url) == seeded


def test_a_reseed_never_overwrites_what_officers_recorded(register: Opener, records_url: str) -> None:
    with register("officer.a") as opened:
        record_transition(opened, "rogun-dam", "escalating", when="2026-06-01", sources=[SOURCE, "Asia-Plus, 1 June"])
    with register("officer.b") as opened:
        rogun = show_dispute(opened, "rogun-dam")
    assert (rogun.phase, rogun.history[-1].who, rogun.history[-1].origin) == ("escalating", "officer.a", "officer")
    assert len(rogun.history) == len(next(d for d in shipped_register() if d.id == "rogun-dam").history) + 1
    with open_store(records_url) as store:
        assert [e.what for e in store.audit.recent(limit=1)] == [f"dispute_transition:{rogun.history[-1].id}"]


def test_an_officers_dispute_under_a_shipped_id_is_kept_as_written(records_url: str) -> None:
    from prevdip.disputes.register import Register, seed, write_dispute

    ours = next(d for d in shipped_register() if d.id == "qosh-tepa-canal")
    ours = ours.model_copy(update={"summary": "Our own reading of the canal."})
    with open_store(records_url) as store, store.session() as session:
        write_dispute(Register(session, store.audit, "officer"), ours, origin="officer")
    with open_store(records_url) as store, store.session() as session:
        added = seed(Register(session, store.audit, SHIPPED_BY))
    assert "qosh-tepa-canal" not in added and len(added) == len(shipped_register()) - 1
    with open_store(records_url) as store, store.session() as session:
        assert session.get(DisputeRecord, "qosh-tepa-canal").summary == "Our own reading of the canal."  # type: ignore[union-attr]


def test_refused_transitions_write_nothing(register: Opener, records_url: str) -> None:
    with register() as opened:
        list_disputes(opened)
    before = _counts(records_url)
    refusals = {
        "only by an agreement": ("kgz-uzb-border", "resolved", {"when": "2026-01-01", "sources": [SOURCE]}),
        "cannot become latent": ("kgz-tjk-border", "latent", {"when": "2026-01-01", "sources": [SOURCE]}),
        "in the future": ("kgz-tjk-border", "violent", {"when": "2999-01-01", "sources": [SOURCE]}),
        "before the last recorded": ("kgz-tjk-border", "violent", {"when": "2024-01-01", "sources": [SOURCE]}),
        "unknown phase": ("kgz-tjk-border", "peace", {"when": "2026-01-01", "sources": [SOURCE]}),
        "no dispute 'aral-sea'": ("aral-sea", "violent", {"when": "2026-01-01", "sources": [SOURCE]}),
        "give its evidence": ("kgz-tjk-border", "violent", {"when": "2026-01-01"}),
        "no meeting 7": ("kgz-tjk-border", "violent", {"when": "2026-01-01", "evidence": ["meeting:7"]}),
        "an agreement needs its source": ("rogun-dam", "resolved", {"when": "2026-01-01", "evidence": ["agreement:X"]}),
        "cannot read 'treaty'": ("rogun-dam", "resolved", {"when": "2026-01-01", "evidence": ["treaty"]}),
    }
    for expected, (dispute_id, phase, entry) in refusals.items():
        with pytest.raises(RefusedInput, match=expected), register() as opened:
            record_transition(opened, dispute_id, phase, **entry)
    assert _counts(records_url) == before


def test_a_resolution_with_its_agreement_and_the_ledgers_records_as_evidence(
    register: Opener, records_url: str
) -> None:
    with open_ledger("officer", url=records_url) as ledger:
        tajik = add_partner(ledger, "Government of Tajikistan", "government", "TJK")
        meeting = add_meeting(ledger, "Deputy foreign ministers", "2026-05-20", place="Ashgabat")
        promise = add_commitment(ledger, partner=tajik.id, what="Water talks", due="2026-09-01", meeting=meeting.id)
    with register() as opened:
        record_transition(
            opened, "rogun-dam", "escalating", when="2026-05-01", sources=[SOURCE, "Asia-Plus, 2 May 2026"]
        )
        resolved = record_transition(
            opened, "rogun-dam", "resolved", when="2026-06-10", sources=["https://mfa.tj/treaty"],
            evidence=["agreement:Agreement on Vakhsh releases", f"meeting:{meeting.id}", f"commitment:{promise.id}"],
            unconfirmed="one source so far",
        )  # fmt: skip
        watched = record_milestone(
            opened, "rogun-dam", "Ratified by the Majlisi Oli", when="2026-07", sources=[SOURCE, "Khovar"]
        )
    last = resolved.history[-1]
    assert (last.phase, last.meetings, last.commitments) == ("resolved", [meeting.id], [promise.id])
    assert not last.confirmed
    assert last.agreements[0].title == "Agreement on Vakhsh releases" and last.agreements[0].signed == "2026-06-10"
    assert last.sources[0].outlet == "mfa.tj" and last.sources[0].url == "https://mfa.tj/treaty"
    ratified = watched.milestones[-1]
    assert (watched.phase, ratified.date, ratified.precision) == ("resolved", "2026-07", "month")


def test_disputes_are_found_by_their_units(register: Opener) -> None:
    with register() as opened:
        found = {d.id for d in disputes_on(opened, ["TJK-KGZ", "KGZ-TJK", "UZB:Andijon"])}
        assert found == {"kgz-tjk-border", "kgz-uzb-border"}
        assert {d.id for d in disputes_on(opened, ["amu-darya"])} == {"rogun-dam", "qosh-tepa-canal"}
        assert disputes_on(opened, []) == []


def test_an_officer_adds_a_dispute_checked_whole(register: Opener, records_url: str, workspace: Any) -> None:
    data: dict[str, Any] = {
        "id": "sokh-enclave", "name": {"en": "Sokh enclave", "ru": "Сохский анклав"}, "parties": ["UZB", "KGZ"],
        "issues": ["border_enclaves", "transit"], "priority_group": "border_disputes",
        "units": {"dyads": ["UZB-KGZ"], "provinces": ["UZB:Ferghana", "KGZ:Batken"]}, "summary": "An Uzbek enclave.",
        "history": [{"phase": "latent", "date": "1991-12-26", "sources": [{"outlet": "Archontology.org"}]}],
    }  # fmt: skip
    with register() as opened:
        list_disputes(opened)
    before = _counts(records_url)
    for change, expected in (
        ({"parties": ["UZB", "XYZ"]}, "unknown party 'XYZ'"),
        ({"units": {"provinces": ["UZB:Sokh"]}}, "unknown province 'UZB:Sokh'"),
        ({"units": {"dyads": ["UZB-TKM-KGZ"]}}, "malformed dyad"),
        ({"units": {"basins": ["aral"]}}, "unknown basin 'aral'"),
        ({"gmcr_cases": ["sokh"]}, "no shipped case named 'sokh'"),
        ({"basin_scenarios": ["syr-darya/energy+rogun"]}, "no planned facility 'rogun'"),
        ({"priority_group": "enclaves"}, "unknown priority group"),
        ({"id": "kgz-tjk-border"}, "already has a dispute"),
        ({"history": [{"phase": "resolved", "date": "2020-01-01", "sources": [{"outlet": "x"}]}]}, "an agreement"),
    ):
        with pytest.raises(RefusedInput, match=expected), register() as opened:
            add_dispute(opened, data | change)
    assert _counts(records_url) == before
    with register() as opened:
        made = add_dispute(opened, data)
    assert (made.id, made.units.dyads, made.phase, made.origin) == ("sokh-enclave", ["KGZ-UZB"], "latent", "officer")
    assert _counts(records_url)["disputes"] == before["disputes"] + 1
