"""Accounts on SQLite and PostgreSQL: the users CLI, the password policy, sessions and tokens in the store, the audit
log and its command, and backups that carry the accounts (hashes only, never a password in clear)."""

from __future__ import annotations

import gzip
import json
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from prevdip.accounts import Accounts, add_user, create_token, open_session, session_holder, sign_in, token_holder
from prevdip.accounts.passwords import MIN_LENGTH
from prevdip.cli.app import app
from prevdip.store import Store, init_workspace
from prevdip.store.backup import backup_workspace
from prevdip.store.models import User

PASSWORD = "Kambarata dam in winter 2024"
runner = CliRunner()


def _run(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=stdin)


def _json(*args: str, stdin: str | None = None) -> dict[str, Any]:
    result = _run(*args, "--json", stdin=stdin)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_users_commands_on_both_backends(configured: Path) -> None:
    init_workspace()
    added = _json("users", "add", "a.karimova", "--role", "officer", "--password-stdin", stdin=PASSWORD + "\n")
    assert added["user"]["role"] == "officer" and "password" not in json.dumps(added)
    liaison = _json(
        "users", "add", "k.liaison", "--role", "government", "--country", "kg", "--country", "Tajikistan",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert liaison["user"]["countries"] == ["KGZ", "TJK"]
    token = _json("users", "token", "a.karimova")
    assert token["token"].startswith("pdt_") and token["token_id"] > 0
    listed = _json("users", "list")
    assert [u["name"] for u in listed["users"]] == ["a.karimova", "k.liaison"]
    assert token["token"] not in json.dumps(listed)  # shown once, never again
    assert _json("users", "set-role", "k.liaison", "partner")["user"] == {
        **liaison["user"], "role": "partner", "countries": [],
    }  # fmt: skip
    assert _json("users", "disable", "k.liaison")["user"]["disabled"] is True
    assert _json("users", "revoke-token", "a.karimova")["revoked"] == [token["token_id"]]
    assert _json("users", "reset-password", "a.karimova", "--password-stdin", stdin="Another long passphrase\n")
    log = _json("audit", "--user", f"{__import__('getpass').getuser()} (workspace owner)")
    whats = [e["what"] for e in log["entries"]]
    assert whats.count("user:a.karimova") == 2 and whats.count("user:k.liaison") == 3
    assert f"token:{token['token_id']}" in whats
    assert PASSWORD not in json.dumps(log) and "argon2" not in json.dumps(log)


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (["users", "add", "x.officer", "--role", "officer", "--password-stdin"], "short\n", f"at least {MIN_LENGTH}"),
        (["users", "add", "x.officer", "--role", "officer", "--password-stdin"], "qwerty123456\n", "common passwords"),
        (["users", "add", "x.officer", "--role", "officer", "--password-stdin"], "x.officer in 2024!\n", "name"),
        (["users", "add", "x.officer", "--role", "king", "--password-stdin"], PASSWORD, "unknown role 'king'"),
        (["users", "add", "x.gov", "--role", "government", "--password-stdin"], PASSWORD, "needs --country"),
        (["users", "add", "x.gov", "--role", "government", "--country", "AFG", "--password-stdin"], PASSWORD, "AFG"),
        (["users", "add", "x.gov", "--role", "officer", "--country", "KGZ", "--password-stdin"], PASSWORD, "--country"),
        (["users", "add", "bad name", "--role", "officer", "--password-stdin"], PASSWORD, "bad account name"),
        (["users", "disable", "nobody"], None, "no account 'nobody'"),
        (["audit", "--since", "yesterday"], None, "not a date"),
    ],
)
def test_refused_input_is_one_line_and_exit_2(workspace: Path, args: list[str], stdin: str | None, says: str) -> None:
    init_workspace()
    result = _run(*args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert says in result.output and len(result.output.strip().splitlines()) == 1
    assert _json("users", "list")["count"] == 0


def test_a_name_is_taken_once(workspace: Path) -> None:
    init_workspace()
    _json("users", "add", "amina", "--role", "officer", "--password-stdin", stdin=PASSWORD)
    again = _run("users", "add", "amina", "--role", "monitor", "--password-stdin", stdin=PASSWORD)
    assert again.exit_code == 2 and "already exists" in again.output


def test_typed_passwords_must_match(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    init_workspace()
    typed = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    result = _run("users", "add", "amina", "--role", "officer")
    assert result.exit_code == 2 and "the two passwords differ" in result.output


def test_sessions_and_tokens_in_the_store(store: Store) -> None:
    now = datetime.now(UTC)
    with store.session() as session:
        accounts = Accounts(session, store.audit, "tests")
        user = add_user(accounts, "liaison", "government", password=PASSWORD, countries=["UZB"])
        raw = open_session(session, user, now)
        _, token = create_token(accounts, "liaison")
        assert sign_in(accounts, "liaison", PASSWORD, now).user is not None
        assert sign_in(accounts, "liaison", "wrong one", now).refusal == "wrong"
        stored = session.get(User, user.id)
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
    with store.session() as session:
        idle, lifetime = timedelta(minutes=30), timedelta(hours=12)
        holder = session_holder(session, raw, now + timedelta(minutes=5), idle=idle, lifetime=lifetime)
        assert holder is not None and holder.role == "government" and holder.countries == ("UZB",)
        assert token_holder(session, store.audit, token, now) is not None
        assert token_holder(session, store.audit, token + "x", now) is None
    with store.session() as session:  # unused for 31 minutes (it was seen 5 minutes in): gone
        assert session_holder(session, raw, now + timedelta(minutes=37), idle=idle, lifetime=lifetime) is None
    with store.session() as session:
        assert session_holder(session, raw, now + timedelta(minutes=6), idle=idle, lifetime=lifetime) is None


def test_backups_carry_accounts_as_hashes_only(configured: Path, tmp_path: Path) -> None:
    init_workspace()
    _json("users", "add", "amina", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    done = backup_workspace(tmp_path / "centre.tar.gz")
    assert done.records["users"] == 1
    raw = gzip.decompress((tmp_path / "centre.tar.gz").read_bytes())
    assert PASSWORD.encode() not in raw and b"$argon2id$" in raw
    with tarfile.open(tmp_path / "centre.tar.gz") as archive:
        assert any(m.name.startswith("database/") for m in archive.getmembers())


def test_the_secret_key_is_never_printed(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prevdip.settings import get_settings

    monkeypatch.setenv("PREVDIP_SECRET_KEY", "a-key-nobody-may-read-0123456789")
    get_settings.cache_clear()
    shown = _json("settings")
    assert shown["secret_key"] == "***" and "a-key-nobody-may-read" not in json.dumps(shown)


def test_a_generated_key_is_the_workspace_s_own_and_private(workspace: Path) -> None:
    from prevdip.accounts.keys import secret_key
    from prevdip.settings import get_settings

    first = secret_key(get_settings())
    assert len(first) == 64 and secret_key(get_settings()) == first  # made once, then read by every worker
    assert (workspace / "secret.key").stat().st_mode & 0o777 == 0o600
    assert first.decode() not in json.dumps(_json("settings"))
