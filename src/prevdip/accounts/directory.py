"""Accounts as a unit of work: adding people, changing their role, disabling them, their passwords and API tokens
(signing in is :mod:`prevdip.accounts.attempts`). Every change commits together with its audit entry, or not at all.

    with open_accounts() as accounts:
        add_user(accounts, "a.karimova", "officer", password=typed)

The command line acts with full rights as the owner of the workspace (whoever can read its database could change
it anyway); the dashboard only signs people in and out and keeps their language.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from prevdip.accounts import passwords
from prevdip.accounts.keys import digest, new_secret
from prevdip.accounts.roles import Role, liaison_countries, role
from prevdip.errors import NotFound, RefusedInput
from prevdip.store import AuditLog, open_store
from prevdip.store.models import ApiToken, User, WebSession, utc_now

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
TOKEN_PREFIX = "pdt_"


@dataclass
class Accounts:
    """One open unit of work on the accounts, written in the name of ``who``."""

    session: Session
    audit: AuditLog
    who: str

    def log(
        self, what: str, before: dict[str, Any] | None, after: dict[str, Any] | None, *, who: str | None = None
    ) -> None:
        """An audit entry in this unit of work (by ``who`` when someone else than :attr:`who` acts: a sign-in)."""
        self.session.flush()
        self.audit.record(who or self.who, what, before, after, session=self.session)


def workspace_owner() -> str:
    """Who the command line acts as: the account running prevdip, with full rights over the workspace."""
    try:
        return f"{getpass.getuser()} (workspace owner)"
    except (KeyError, OSError):
        return "workspace owner"


@contextmanager
def open_accounts(who: str | None = None, *, url: str | None = None) -> Iterator[Accounts]:
    """The accounts of the workspace's system of record (or ``url``), committed when the block ends."""
    with open_store(url) as store, store.session() as session:
        yield Accounts(session, store.audit, who or workspace_owner())


def find_user(accounts: Accounts, name: str) -> User:
    """The account called ``name``; an unknown name is refused."""
    found = accounts.session.scalar(select(User).where(User.name == name.strip()))
    if found is None:
        raise NotFound(f"no account {name!r}", hint="see `prevdip users list`")
    return found


def add_user(accounts: Accounts, name: str, chosen: str, *, password: str, countries: list[str] | None = None) -> User:
    """A new account; its name must be free and its password meet the policy."""
    name = name.strip()
    if not NAME.match(name):
        raise RefusedInput(
            f"bad account name {name!r}", hint="use up to 64 letters, digits, '.', '_', '@' or '-', starting alnum"
        )
    if accounts.session.scalar(select(User.id).where(User.name == name)) is not None:
        raise RefusedInput(f"an account {name!r} already exists", hint="choose another name, or see `users list`")
    the_role = role(chosen)
    places = liaison_countries(the_role, countries or [])
    passwords.check_policy(password, name=name)
    user = User(name=name, role=the_role.value, countries=places, password_hash=passwords.hash_password(password))
    user.disabled, user.failed_sign_ins, user.created = False, 0, utc_now()
    accounts.session.add(user)
    accounts.session.flush()
    accounts.log(f"user:{name}", None, user.as_dict())
    return user


def list_users(accounts: Accounts) -> list[User]:
    """Every account, by name."""
    return list(accounts.session.scalars(select(User).order_by(User.name)))


def _ends_sessions(accounts: Accounts, user: User) -> None:
    """Sign the user out everywhere: their rights changed, so a session opened with the old ones must not last."""
    accounts.session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def disable_user(accounts: Accounts, name: str) -> User:
    """Disable an account: its sessions end at once and its tokens stop working."""
    user = find_user(accounts, name)
    before = user.as_dict()
    user.disabled = True
    _ends_sessions(accounts, user)
    accounts.log(f"user:{user.name}", before, user.as_dict())
    return user


def set_role(accounts: Accounts, name: str, chosen: str, countries: list[str] | None = None) -> User:
    """Give an account another role (its sessions end; a liaison's countries are set anew)."""
    user = find_user(accounts, name)
    the_role = role(chosen)
    places = liaison_countries(the_role, countries or ([] if the_role is not Role.government else user.countries))
    before = user.as_dict()
    user.role, user.countries = the_role.value, places
    _ends_sessions(accounts, user)
    accounts.log(f"user:{user.name}", before, user.as_dict())
    return user


def reset_password(accounts: Accounts, name: str, password: str) -> User:
    """A new password for an account: it is unlocked and signed out everywhere."""
    user = find_user(accounts, name)
    passwords.check_policy(password, name=user.name)
    user.password_hash = passwords.hash_password(password)
    user.failed_sign_ins, user.first_failure, user.locked_until = 0, None, None
    _ends_sessions(accounts, user)
    accounts.log(f"user:{user.name}", None, {"password": "changed"})
    return user


def set_language(accounts: Accounts, user_id: int, lang: str) -> None:
    """Keep the reader's EN/RU choice on their account (not audited: it is a preference, not a right)."""
    user = accounts.session.get(User, user_id)
    if user is not None:
        user.language = lang


def create_token(accounts: Accounts, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``name``: the record and the token itself, which is shown once and never stored."""
    user = find_user(accounts, name)
    if user.disabled:
        raise RefusedInput(f"the account {user.name!r} is disabled", hint="a disabled account gets no new token")
    raw = TOKEN_PREFIX + new_secret()
    token = ApiToken(user_id=user.id, token_hash=digest(raw), created=utc_now())
    accounts.session.add(token)
    accounts.session.flush()
    accounts.log(f"token:{token.id}", None, {"user": user.name, **token.as_dict()})
    return token, raw


def revoke_tokens(accounts: Accounts, name: str, token_id: int | None = None) -> list[ApiToken]:
    """Revoke one of ``name``'s tokens, or all of them that still work; returns those revoked."""
    user = find_user(accounts, name)
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(None))
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    found = list(accounts.session.scalars(query))
    if token_id is not None and not found:
        raise NotFound(f"{user.name!r} has no working token {token_id}", hint="see `prevdip users list --json`")
    now = utc_now()
    for token in found:
        token.revoked = now
        accounts.log(f"token:{token.id}", {"user": user.name, "revoked": None}, {"user": user.name, **token.as_dict()})
    return found


def tokens_of(accounts: Accounts, user: User) -> list[ApiToken]:
    """An account's tokens, oldest first."""
    return list(accounts.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))
