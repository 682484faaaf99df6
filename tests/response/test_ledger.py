"""The ledger on SQLite: records written with their audit entries, refusals naming the field, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from prevdip.errors import RefusedInput
from prevdip.response import (
    Ledger,
    add_action,
    add_commitment,
    add_meeting,
    add_partner,
    add_programme_item,
    commitment_dict,
    effective_status,
    kept_by_partner,
    list_actions,
    list_commitments,
    show_meeting,
    update_action,
    update_commitment,
    update_programme_item,
)
from prevdip.response.vocabulary import COMMITMENT_STATUSES
from prevdip.store.models import Action, AuditEntry, Commitment, Meeting

Opener = Callable[[], AbstractContextManager[Ledger]]


def _seed(ledger: Ledger) -> dict[str, Any]:
    kgz = add_partner(ledger, "Government of Kyrgyzstan", "government", "kyrgyzstan")
    add_partner(ledger, "OSCE", "regional organisation")
    item = add_programme_item(ledger, "border_disputes", "Support to border delimitation", 2021, 2023, "ongoing")
    action = add_action(
        ledger,
        unit_code="TJK-KGZ",
        warning_month="2022-09",
        instrument="crisis_diplomacy",
        kind="good offices",
        when="2022-09-17",
        description="Contacts with both deputy ministers after the clashes",
        programme_item=item.title,
        partners=["OSCE", kgz.id],
    )
    block = {
        "priority_group": "border_disputes",
        "title": "Borders",
        "warnings": [{"unit": "KGZ-TJK", "month": "2022-09"}],
    }
    meeting = add_meeting(ledger, "Deputy foreign ministers", "2022-12-08", place="Ashgabat", blocks=[block])
    return {"kgz": kgz.id, "action": action.id, "meeting": meeting.id}


def test_records_are_written_in_the_centres_words_with_an_audit_entry_each(ledger: Opener) -> None:
    with ledger() as open_:
        ids = _seed(open_)
        add_commitment(
            open_, partner="Government of Kyrgyzstan", what="pull back", due="2022-10-15", action=ids["action"]
        )
    with ledger() as open_:
        (action,) = list_actions(open_, unit_code="KGZ-TJK")
        assert action.as_dict() | {"id": 0} == {
            "id": 0,
            "unit": "KGZ-TJK",
            "unit_kind": "dyad",
            "month": "2022-09",
            "instrument": "crisis_diplomacy",
            "kind": "good_offices",
            "date": "2022-09-17",
            "description": "Contacts with both deputy ministers after the clashes",
            "programme_item_id": action.programme_item_id,
            "partners": ["Government of Kyrgyzstan", "OSCE"],
            "version": 1,
        }
        shown = show_meeting(open_, ids["meeting"])
        assert shown["agenda_blocks"][0]["warnings"] == [{"unit": "KGZ-TJK", "month": "2022-09"}]
        whats = list(open_.session.scalars(select(AuditEntry.what).order_by(AuditEntry.id)))
        assert whats == ["partner:1", "partner:2", "programme_item:1", "action:1", "meeting:1", "commitment:1"]
        assert all(e.who == "tester" for e in open_.session.scalars(select(AuditEntry)))


def test_commitments_past_due_report_late_and_are_tallied_per_partner(ledger: Opener) -> None:
    with ledger() as open_:
        ids = _seed(open_)
        early = add_commitment(open_, partner=ids["kgz"], what="withdraw", due="2022-10-01", meeting=ids["meeting"])
        add_commitment(open_, partner="OSCE", what="monitors", due="2023-06-01", action=ids["action"])
        add_commitment(open_, partner="OSCE", what="report", due="2022-11-01", action=ids["action"], status="kept")
    with ledger() as open_:
        listed = list_commitments(open_, today=date(2023, 1, 1))
        assert [(c["what"], c["status"], c["recorded_status"]) for c in listed] == [
            ("withdraw", "late", "open"),
            ("report", "kept", "kept"),
            ("monitors", "open", "open"),
        ]
        assert [c["what"] for c in list_commitments(open_, status="late", today=date(2023, 1, 1))] == ["withdraw"]
        assert show_meeting(open_, ids["meeting"])["commitments"][0]["what"] == "withdraw"
        tally = {p["partner"]: p for p in kept_by_partner(open_, date(2023, 1, 1))}
        assert (tally["OSCE"]["kept"], tally["OSCE"]["open"], tally["Government of Kyrgyzstan"]["late"]) == (1, 1, 1)
        update_commitment(open_, early.id, status="kept")
    with ledger() as open_:
        entry = open_.session.scalars(select(AuditEntry).where(AuditEntry.what == f"commitment:{early.id}")).all()[-1]
        assert (entry.before or {})["status"] == "open" and (entry.after or {})["status"] == "kept"


def test_the_typed_records_say_what_the_stored_records_say_key_for_key(ledger: Opener) -> None:
    """Issue 11 typed the ledger's reads; their JSON must read as before: the store's record (``as_dict``, which the
    audit log and the other commands print) in its order, a commitment's status as reported today and then its
    ``recorded_status``, a meeting's commitments last, a partner's tally in the vocabulary's order."""
    today = date(2023, 1, 1)
    with ledger() as open_:
        ids = _seed(open_)
        add_commitment(open_, partner=ids["kgz"], what="withdraw", due="2022-10-01", meeting=ids["meeting"])
        add_commitment(open_, partner="OSCE", what="report", due="2022-11-01", action=ids["action"], status="kept")
    with ledger() as open_:
        stored = {c.id: c for c in open_.session.scalars(select(Commitment))}
        for shown in list_commitments(open_, today=today):
            record = stored[shown["id"]]
            before = record.as_dict() | {"status": effective_status(record, today), "recorded_status": record.status}
            assert list(shown.items()) == list(before.items())
        meeting = show_meeting(open_, ids["meeting"])
        made = [commitment_dict(c) for c in stored.values() if c.meeting_id == ids["meeting"]]
        assert list(meeting.items()) == [
            *open_.get(Meeting, "meeting", ids["meeting"]).as_dict().items(),
            ("commitments", made),
        ]
        assert [c["status"] for c in meeting["commitments"]] == ["late"]  # due in 2022, as it reports today
        tallies = kept_by_partner(open_, today)
        assert [list(t) for t in tallies] == [["partner", "total", *COMMITMENT_STATUSES]] * 2
        assert [(t["partner"], t["total"], t["late"], t["kept"]) for t in tallies] == [
            ("Government of Kyrgyzstan", 1, 1, 0),
            ("OSCE", 1, 0, 1),
        ]


def test_actions_and_programme_items_are_corrected_with_before_and_after(ledger: Opener) -> None:
    with ledger() as open_:
        ids = _seed(open_)
        add_partner(open_, "UNDP", "un_agency")
        update_action(open_, ids["action"], description="Shuttle diplomacy", partners=["UNDP", "OSCE"])
        update_programme_item(open_, 1, status="completed", end=2024)
        with pytest.raises(RefusedInput, match=r"^date: 2022-08-01 is before the warning month 2022-09"):
            update_action(open_, ids["action"], when="2022-08-01")
    with ledger() as open_:
        (action,) = list_actions(open_)
        assert action.description == "Shuttle diplomacy" and action.date == date(2022, 9, 17)
        assert [p.name for p in action.partners] == ["Government of Kyrgyzstan", "OSCE", "UNDP"]
        e = open_.session.scalars(select(AuditEntry).where(AuditEntry.what == "programme_item:1")).all()[-1]
        assert [(e.before or {}).get("status"), (e.after or {})["status"], (e.after or {})["end_year"]] == [
            "ongoing", "completed", 2024]  # fmt: skip


ACTION = {
    "unit_code": "KGZ-TJK",
    "warning_month": "2022-09",
    "instrument": "peacemaking",
    "kind": "visit",
    "when": "2022-09-20",
    "description": "visit",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit_code": "KGZ-XYZ"}, "unit"),
        ({"unit_code": "KAZ-TJK"}, "unit"),  # not a border dyad
        ({"when": "2022-09-31"}, "date"),
        ({"when": "2022-08-30"}, "date"),  # before the warning
        ({"warning_month": "2022-13"}, "month"),
        ({"instrument": "gunboat_diplomacy"}, "instrument"),
        ({"kind": "tweet"}, "kind"),
        ({"programme_item": 99}, "programme_item"),
        ({"partners": ["Nobody"]}, "partners"),
        ({"description": "  "}, "description"),
    ],
)
def test_a_refused_action_names_its_field_and_writes_nothing(
    ledger: Opener, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(RefusedInput, match=rf"^{field}: "), ledger() as open_:
        add_partner(open_, "UNDP", "un agency")
        add_action(open_, **(ACTION | change))
    with ledger() as open_:
        assert open_.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert open_.session.scalar(select(func.count()).select_from(Action)) == 0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda x: add_programme_item(x, "water", "x", 2021, 2022), "priority_group"),
        (lambda x: add_programme_item(x, "border_disputes", "x", 2023, 2021), "end"),
        (lambda x: add_partner(x, "X", "club"), "kind"),
        (lambda x: add_partner(x, "X", "donor", "Atlantis"), "country"),
        (lambda x: add_commitment(x, partner="X", what="y", due="2023-01-01"), "action"),
        (lambda x: add_commitment(x, partner="X", what="y", due="2023-01-01", meeting=7), "partner"),
        (
            lambda x: add_meeting(x, "m", "2023-01-01", blocks=[{"priority_group": "drugs", "title": "t"}]),
            "agenda_blocks\\[0\\].priority_group",
        ),
        (lambda x: update_commitment(x, 5, status="kept"), "commitment"),
        # the column holds 200 characters: PostgreSQL would fail with a DataError, SQLite would keep it all
        (lambda x: add_meeting(x, "m", "2023-01-01", place="Ashgabat " * 30), "place"),
        # beyond a BIGINT: an overflow inside the driver, not a missing record
        (lambda x: update_commitment(x, 10**20, status="kept"), "commitment"),
    ],
)
def test_other_refusals_name_their_field(ledger: Opener, call: Callable[[Ledger], Any], field: str) -> None:
    with pytest.raises(RefusedInput, match=rf"^{field}: "), ledger() as open_:
        call(open_)
