"""Red-team findings in the accounts, on SQLite and PostgreSQL: sign-ins sent at once must not check more passwords
than the lockout allows; a name no account can have (a NUL, an escape sequence) is answered like a wrong one and
cannot reach an administrator's terminal through ``prevdip audit``; a password is judged by what it reads as."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from prevdip.accounts import add_user, open_accounts, passwords, sign_in
from prevdip.accounts.attempts import LOCK_AFTER
from prevdip.cli.app import app
from prevdip.errors import RefusedInput
from prevdip.settings import Settings
from prevdip.store import init_workspace, open_store
from prevdip.web._identity import Identity

PASSWORD = "Kambarata dam in winter 2024"
AT_ONCE = 12


def _url(migrated: Engine) -> str:
    return migrated.url.render_as_string(hide_password=False)


def test_sign_ins_sent_at_once_check_no_more_passwords_than_the_lockout_allows(
    migrated: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twelve wrong passwords for one account, sent at the same moment through the dashboard's own sign-in: at most
    five are checked (counting after the check let all twelve through), and the account ends locked."""
    url = _url(migrated)
    with open_accounts("tests", url=url) as accounts:
        add_user(accounts, "amina", "officer", password=PASSWORD)
    checked: list[str] = []
    real_verify = passwords.verify

    def counting(stored: str | None, password: str) -> bool:
        if stored is not None:  # a real account's hash, not the dummy of an unknown name
            checked.append(password)
        time.sleep(0.05)  # a slower hash: attempts overlap as they do on a loaded server
        return real_verify(stored, password)

    monkeypatch.setattr(passwords, "verify", counting)
    identity = Identity(Settings(workspace=tmp_path / "ws", database_url=url))  # type: ignore[arg-type]
    start = threading.Barrier(AT_ONCE)
    refusals: list[str | None] = []

    def attempt(number: int) -> None:
        start.wait()
        outcome, raw = identity.sign_in("amina", f"guess number {number:02d}")
        assert raw is None
        refusals.append(outcome.refusal)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    identity.close()
    assert len(refusals) == AT_ONCE and set(refusals) <= {"wrong", "locked"}
    assert len(checked) <= LOCK_AFTER, f"{len(checked)} passwords checked in one burst"
    assert refusals.count("wrong") <= LOCK_AFTER - 1
    with open_accounts("tests", url=url) as accounts:
        late = sign_in(accounts, "amina", PASSWORD, datetime.now(UTC))
    assert late.refusal == "locked"  # even the right password waits out the lock
    with open_store(url) as store:
        results = [e.after["result"] for e in store.audit.recent(what="sign-in:amina") if e.after]
    assert len(results) == AT_ONCE + 1 and "lockout" in results  # every attempt audited, once


@pytest.mark.parametrize(
    ("typed", "shown"), [("of\x00ficer", "of?ficer"), ("\x1b[2J\x1b]0;owned\x07", "?[2J?]0;owned?")]
)
def test_a_name_no_account_can_have_is_answered_like_a_wrong_one(migrated: Engine, typed: str, shown: str) -> None:
    """A NUL made PostgreSQL refuse the query (a 500 from the sign-in form); an escape sequence went into the audit
    log as typed."""
    url = _url(migrated)
    with open_accounts("tests", url=url) as accounts:
        add_user(accounts, "officer", "officer", password=PASSWORD)
    with open_accounts("tests", url=url) as accounts:
        assert sign_in(accounts, typed, PASSWORD, datetime.now(UTC)).refusal == "wrong"
    with open_store(url) as store:
        entry = store.audit.recent(limit=1)[0]
    assert entry.who == shown and entry.what == f"sign-in:{shown}" and entry.after == {"result": "failure"}


def test_the_audit_command_prints_no_control_characters(configured: Path) -> None:
    init_workspace()
    with open_store() as store, store.session() as session:
        store.audit.record("\x1b[2Jintruder", "read:/\x1b[8m", None, {"query": "\x1b]0;title\x07"}, session=session)
    shown = CliRunner().invoke(app, ["audit"])
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.output and "\x07" not in shown.output
    assert "?[2Jintruder" in shown.output


@pytest.mark.parametrize(
    ("password", "says"),
    [
        (" " * 12, "0 characters long (not counting invisible"),
        ("\u3000" * 14, "0 characters long"),  # ideographic spaces
        ("\u200b" * 12 + "abc", "3 characters long"),  # zero-width spaces around three letters
        ("ｐａｓｓｗｏｒｄ１２３４", "common passwords"),  # full-width password1234
        ("  Password1234  ", "common passwords"),
        ("ＡＭＩＮＡ in the valley", "the account's name"),  # full-width name
        ("ami\u200bna in the valley", "the account's name"),  # a zero-width space inside the name
        ("aaaaaaaaaaaaaaaa", "only 1 different characters"),
        ("abababababababab", "only 2 different characters"),
    ],
)
def test_a_password_is_judged_by_what_it_reads_as(password: str, says: str) -> None:
    with pytest.raises(RefusedInput) as refused:
        passwords.check_policy(password, name="amina")
    assert says in str(refused.value)


@pytest.mark.parametrize("password", ["Ворух на рассвете 2022", "correct horse battery staple", "qwertyuiopas"])
def test_real_passphrases_still_pass(password: str) -> None:
    passwords.check_policy(password, name="amina")
