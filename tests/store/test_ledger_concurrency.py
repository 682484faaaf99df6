"""Two people at once, on SQLite and PostgreSQL: no lost update, a true audit chain, plain refusals.

Two writers read commitment 3 (or an action, a programme item), wait for each other at a barrier, then both change
it: one wins, the other is refused as "changed by someone else since you read it", nothing written, and the audit
log shows one change whose "before" is what both read. Two imports of one file at once: the second is refused
plainly ("a partner named … exists already"), never an IntegrityError traceback.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from prevdip.cli.app import app
from prevdip.errors import Conflict, RefusedInput
from prevdip.response import (
    add_commitment,
    add_meeting,
    add_partner,
    add_programme_item,
    import_records,
    open_ledger,
    update_commitment,
    update_programme_item,
)
from prevdip.response.partners import find_partner
from prevdip.settings import get_settings
from prevdip.store.models import AuditEntry, Commitment, Partner, ProgrammeItem


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _seed(url: str) -> tuple[int, int]:
    with open_ledger("officer", url=url) as ledger:
        partner = add_partner(ledger, "Government of Kyrgyzstan", "government", "KGZ")
        meeting = add_meeting(ledger, "Deputy foreign ministers", "2022-10-10", place="Tashkent")
        commitment = add_commitment(
            ledger, partner=partner.id, what="joint commission", due="2023-01-01", meeting=meeting.id
        )
        item = add_programme_item(ledger, "border_disputes", "Border delimitation", 2021, 2023, "ongoing")
        return commitment.id, item.id


def _race(url: str, change: Callable[[Any, str], Any], readers: tuple[str, str]) -> dict[str, BaseException | None]:
    """Both writers read, meet at the barrier, then write; what each one's unit of work ended with."""
    barrier = threading.Barrier(2, timeout=30)
    outcome: dict[str, BaseException | None] = {}

    def writer(who: str) -> None:
        try:
            with open_ledger(who, url=url) as ledger:
                change(ledger, who, barrier)
            outcome[who] = None
        except BaseException as problem:
            outcome[who] = problem

    threads = [threading.Thread(target=writer, args=(who,)) for who in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome


def test_two_writers_of_one_commitment_one_wins_and_the_audit_stays_true(migrated: Engine) -> None:
    url = _url(migrated)
    commitment_id, _ = _seed(url)
    wanted = {"amina": "kept", "bakyt": "dropped"}

    def change(ledger: Any, who: str, barrier: threading.Barrier) -> None:
        ledger.session.get(Commitment, commitment_id)  # both read it, at version 1...
        barrier.wait()
        update_commitment(ledger, commitment_id, status=wanted[who])  # ...and both change it

    outcome = _race(url, change, ("amina", "bakyt"))
    winners = [who for who, problem in outcome.items() if problem is None]
    losers = {who: problem for who, problem in outcome.items() if problem is not None}
    assert len(winners) == 1 and len(losers) == 1, outcome
    [refusal] = losers.values()
    assert isinstance(refusal, Conflict)
    assert str(refusal).startswith(f"commitment {commitment_id} was changed by someone else since you read it")
    with open_ledger(url=url) as ledger:
        record = ledger.session.get(Commitment, commitment_id)
        assert record is not None and (record.status, record.version) == (wanted[winners[0]], 2)
        changes = ledger.session.scalars(
            select(AuditEntry).where(AuditEntry.what == f"commitment:{commitment_id}").order_by(AuditEntry.id)
        ).all()
    assert [(e.who, (e.before or {}).get("status"), e.after["status"]) for e in changes] == [
        ("officer", None, "open"),
        (winners[0], "open", wanted[winners[0]]),
    ]


def test_an_edit_of_what_someone_changed_since_it_was_read_is_refused(migrated: Engine) -> None:
    """The version a person read (from a list) travels with the edit: a later edit in between refuses it."""
    url = _url(migrated)
    _, item_id = _seed(url)
    with open_ledger("amina", url=url) as ledger:
        update_programme_item(ledger, item_id, status="completed", expected_version=1)
    with pytest.raises(Conflict, match=r"you read version 1; it is at version 2\): nothing written"):
        with open_ledger("bakyt", url=url) as ledger:
            update_programme_item(ledger, item_id, end=2025, expected_version=1)
    with open_ledger(url=url) as ledger:
        item = ledger.session.get(ProgrammeItem, item_id)
        assert item is not None and (item.status, item.end_year, item.version) == ("completed", 2023, 2)


def test_the_cli_refuses_a_stale_edit_with_exit_2(migrated: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _url(migrated)
    commitment_id, _ = _seed(url)
    monkeypatch.setenv("PREVDIP_DATABASE_URL", url)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        listed = json.loads(runner.invoke(app, ["response", "commitment", "list", "--json"]).stdout)
        assert listed["commitments"][0]["version"] == 1
        first = ["response", "commitment", "update", str(commitment_id), "--status", "kept", "--expect-version", "1"]
        assert runner.invoke(app, first).exit_code == 0
        stale = runner.invoke(app, [*first[:-3], "dropped", "--expect-version", "1"])
        assert stale.exit_code == 2
        assert "changed by someone else since you read it" in stale.output
    finally:
        get_settings.cache_clear()


RECORD_FILE = {
    "partners": [{"name": "OSCE Programme Office in Dushanbe", "kind": "regional_organisation"}],
    "programme": [{"priority_group": "border_disputes", "title": "Border delimitation", "start": 2021, "end": 2023}],
}


def test_two_imports_of_one_file_at_once_the_second_is_refused_plainly(migrated: Engine, tmp_path: Path) -> None:
    url = _url(migrated)
    path = tmp_path / "centre.json"
    path.write_text(json.dumps(RECORD_FILE), encoding="utf-8")

    def load(ledger: Any, who: str, barrier: threading.Barrier) -> None:
        assert ledger.session.scalar(select(Partner)) is None  # both see no partner yet...
        barrier.wait()
        import_records(ledger, path)  # ...and both insert it

    outcome = _race(url, load, ("amina", "bakyt"))
    refusals = [problem for problem in outcome.values() if problem is not None]
    assert len(refusals) == 1, outcome
    assert isinstance(refusals[0], RefusedInput)
    assert str(refusals[0]).startswith(
        f"{path}: partners[0].name: a partner named 'OSCE Programme Office in Dushanbe' exists already"
    )
    with open_ledger(url=url) as ledger:
        assert find_partner(ledger, "partner", "OSCE Programme Office in Dushanbe").id == 1
        assert len(ledger.session.scalars(select(ProgrammeItem)).all()) == 1  # the loser wrote nothing
