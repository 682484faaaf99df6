"""Signing in: a name and a password checked, failures counted, the account locked after too many.

An attempt is **counted before its password is checked** (:func:`claim_attempt`, one atomic ``UPDATE`` of the
account's counter), and only the first :data:`LOCK_AFTER` attempts of a window are checked at all. Counting after
the check let attempts sent at the same moment all read "not locked" first: forty sign-ins at once checked thirty
passwords, not five, and across several server processes there was no bound at all. The slow part — Argon2 — runs
between the count and the outcome (:func:`settle_attempt`), so the dashboard holds no database lock while it
hashes (``prevdip.web._identity``); :func:`sign_in` does all three in one unit of work.

A name that cannot be an account's (:data:`NAME`: a control character, a NUL that PostgreSQL refuses outright) is
answered like an unknown one, with the same Argon2 work, and the audit log shows it with its unprintable characters
replaced, so a name typed into the sign-in form cannot write terminal escapes into ``prevdip audit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.sql import Update

from prevdip.accounts import passwords
from prevdip.accounts.directory import NAME, Accounts
from prevdip.store.models import User, UtcDateTime

LOCK_AFTER = 5  # failed sign-ins ...
LOCK_WINDOW = timedelta(minutes=15)  # ... within this window lock the account ...
LOCK_FOR = timedelta(minutes=15)  # ... for this long
SHOWN_NAME = 64  # characters of an unknown name kept in the audit log


def shown_name(name: str) -> str:
    """A name as the audit log may show it: printable characters only (others become ``?``), at most 64."""
    return "".join(c if c.isprintable() else "?" for c in name.strip()[:SHOWN_NAME]) or "?"


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the account, or why not (``wrong`` or ``locked`` with until when)."""

    user: User | None
    refusal: str | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class Attempt:
    """A sign-in counted before its password is checked."""

    shown: str  # the name as the audit log shows it
    user_id: int | None = None  # None: no such account, or a disabled one (answered like a wrong password)
    password_hash: str | None = None
    number: int = 0  # its place among the failures of the window, itself included
    locked_until: datetime | None = None  # the account is locked: the password is not checked

    def check(self, password: str) -> Checked:
        """Check the password — an unknown name costs the same Argon2 work as a real one, a locked account none —
        and hash it anew if it matched a hash made with older parameters."""
        matches = self.locked_until is None and passwords.verify(self.password_hash, password)
        renewed = self.password_hash is not None and matches and passwords.needs_new_hash(self.password_hash)
        return Checked(matches, passwords.hash_password(password) if renewed else None)


@dataclass(frozen=True)
class Checked:
    """Whether an attempt's password matched, and its new hash when the stored one is due to be replaced."""

    matches: bool
    new_hash: str | None = None


def _counted(user_id: int, now: datetime) -> Update:
    """Count one more attempt on an account that is not locked, starting a new window when the last has passed;
    returns the count (no row when the account is locked). One statement, so attempts made at the same time —
    in threads or in processes — each get their own number."""
    moment = literal(now, UtcDateTime())
    fresh = or_(User.first_failure.is_(None), User.first_failure < now - LOCK_WINDOW)
    return (
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(
            failed_sign_ins=case((fresh, 1), else_=User.failed_sign_ins + 1),
            first_failure=case((fresh, moment), else_=User.first_failure),
        )
        .returning(User.failed_sign_ins)
        .execution_options(synchronize_session=False)
    )


def _lock(accounts: Accounts, user_id: int, now: datetime) -> datetime:
    """Lock an account for :data:`LOCK_FOR` (its count starts again when the lock ends)."""
    until = now + LOCK_FOR
    accounts.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(locked_until=until, failed_sign_ins=0, first_failure=None)
        .execution_options(synchronize_session=False)
    )
    return until


def claim_attempt(accounts: Accounts, name: str, now: datetime) -> Attempt:
    """Count an attempt to sign in as ``name`` (the caller commits before checking the password)."""
    wanted = name.strip()
    user = accounts.session.scalar(select(User).where(User.name == wanted)) if NAME.match(wanted) else None
    if user is None or user.disabled:
        return Attempt(shown_name(wanted))
    number = accounts.session.execute(_counted(user.id, now)).scalar_one_or_none()
    if number is None:  # locked, perhaps by an attempt made at the same time
        until = accounts.session.scalar(select(User.locked_until).where(User.id == user.id))
        return Attempt(user.name, user.id, number=LOCK_AFTER, locked_until=until or now)
    if number > LOCK_AFTER:  # the window's allowance is taken by attempts still being checked: this one locks
        return Attempt(user.name, user.id, number=number, locked_until=_lock(accounts, user.id, now))
    return Attempt(user.name, user.id, user.password_hash, number)


def settle_attempt(accounts: Accounts, attempt: Attempt, checked: Checked, now: datetime) -> SignIn:
    """The outcome of a counted attempt whose password did or did not match (each outcome is audited): a success
    clears the count, the failure that reaches :data:`LOCK_AFTER` locks the account."""
    if attempt.user_id is None:
        accounts.log(f"sign-in:{attempt.shown}", None, {"result": "failure"}, who=attempt.shown)
        return SignIn(None, "wrong")
    who, what = attempt.shown, f"sign-in:{attempt.shown}"
    if attempt.locked_until is not None:  # found locked, or locked by this attempt beyond the allowance
        result = "lockout" if attempt.number > LOCK_AFTER else "locked"
        accounts.log(what, None, {"result": result, "until": attempt.locked_until.isoformat()}, who=who)
        return SignIn(None, "locked", attempt.locked_until)
    if not checked.matches:
        if attempt.number < LOCK_AFTER:
            accounts.log(what, None, {"result": "failure"}, who=who)
            return SignIn(None, "wrong")
        until = _lock(accounts, attempt.user_id, now)
        accounts.log(what, None, {"result": "lockout", "until": until.isoformat()}, who=who)
        return SignIn(None, "locked", until)
    user = accounts.session.get(User, attempt.user_id, populate_existing=True)
    assert user is not None  # counted a moment ago; accounts are disabled, never deleted
    user.failed_sign_ins, user.first_failure, user.locked_until = 0, None, None
    if checked.new_hash is not None:
        user.password_hash = checked.new_hash
    accounts.log(what, None, {"result": "success"}, who=who)
    return SignIn(user)


def sign_in(accounts: Accounts, name: str, password: str, now: datetime) -> SignIn:
    """Check a name and password in one unit of work (the dashboard splits it: :mod:`prevdip.web._identity`)."""
    attempt = claim_attempt(accounts, name, now)
    return settle_attempt(accounts, attempt, attempt.check(password), now)
