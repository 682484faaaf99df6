"""The dashboard's side of the accounts: its connection to the system of record, its signing key and its clock.

One :class:`Identity` per application. The store is opened on first need (a workspace without a database yet
serves the public board, if public access is on, and says on the sign-in page what to do); a database that cannot
be reached is tried again after a few seconds, not on every request.

A session found live is trusted by this process for :data:`RECHECK` (two seconds) before the database is asked
again: a reader opening pages does not cost a query each, and a session ended elsewhere — an account disabled or
given another role by ``prevdip users``, a sign-out through another worker — stops working within that time (at
once in the process that signed it out).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from prevdip import accounts
from prevdip.accounts.keys import secret_key
from prevdip.errors import RefusedInput
from prevdip.settings import Settings
from prevdip.store import Store, open_store
from prevdip.store.models import utc_now

RETRY_SECONDS = 5.0
RECHECK = timedelta(seconds=2)
REMEMBERED = 10_000  # live sessions remembered at most (the memory is cleared beyond)


class Identity:
    """Sessions, tokens and sign-in against the workspace's accounts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clock: Callable[[], datetime] = utc_now  # tests move time on by replacing it
        self._store: Store | None = None
        self._tried = -RETRY_SECONDS
        self._lock = threading.Lock()
        self._key: bytes | None = None
        self.missing: str | None = None  # why there are no accounts, when there are none
        self._live: dict[str, tuple[datetime, accounts.Holder]] = {}  # session id → (checked at, its account)

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = secret_key(self.settings)
        return self._key

    def store(self) -> Store | None:
        """The system of record, or None while there is none (the reason is in :attr:`missing`)."""
        with self._lock:
            if self._store is None and time.monotonic() - self._tried >= RETRY_SECONDS:
                self._tried = time.monotonic()
                try:
                    self._store = open_store(self.settings.effective_database_url)
                    self.missing = None
                except RefusedInput as refusal:
                    self.missing = str(refusal)
            return self._store

    @contextmanager
    def unit(self) -> Iterator[accounts.Accounts | None]:
        """One unit of work on the accounts (None when there is no database)."""
        store = self.store()
        if store is None:
            yield None
            return
        with store.session() as session:
            yield accounts.Accounts(session, store.audit, "dashboard")

    def session_holder(self, raw: str) -> accounts.Holder | None:
        """The account of a live session (checked in the database at most every :data:`RECHECK`)."""
        now = self.clock()
        known = self._live.get(raw)
        if known is not None and timedelta(0) <= now - known[0] < RECHECK:
            return known[1]
        store = self.store()
        if store is None:
            return None
        idle = timedelta(minutes=self.settings.session_idle_minutes)
        lifetime = timedelta(hours=self.settings.session_hours)
        with store.engine.begin() as connection:  # a bare connection: one indexed query
            holder = accounts.session_holder(connection, raw, now, idle=idle, lifetime=lifetime)
        if holder is None:
            self._live.pop(raw, None)
        else:
            if len(self._live) >= REMEMBERED:
                self._live.clear()
            self._live[raw] = (now, holder)
        return holder

    def token_holder(self, raw: str) -> accounts.Holder | None:
        with self.unit() as unit:
            return None if unit is None else accounts.token_holder(unit.session, unit.audit, raw, self.clock())

    def sign_in(self, name: str, password: str) -> tuple[accounts.SignIn, str | None]:
        """Check the password; on success a new session, whose raw id is returned for the cookie.

        Three steps: the attempt is counted and committed, the password checked outside any transaction (Argon2
        holds no database lock), then the outcome written — so sign-ins sent at once, to one process or several,
        check no more passwords than the lockout allows (:mod:`prevdip.accounts.attempts`)."""
        now = self.clock()
        with self.unit() as unit:
            if unit is None:
                return accounts.SignIn(None, "no accounts"), None
            attempt = accounts.claim_attempt(unit, name, now)
        checked = attempt.check(password)
        with self.unit() as unit:
            if unit is None:
                return accounts.SignIn(None, "no accounts"), None
            outcome = accounts.settle_attempt(unit, attempt, checked, now)
            if outcome.user is None:
                return outcome, None
            return outcome, accounts.open_session(unit.session, outcome.user, now)

    def sign_out(self, raw: str, name: str) -> None:
        self._live.pop(raw, None)
        with self.unit() as unit:
            if unit is not None:
                accounts.end_session(unit.session, raw)
                unit.log(f"sign-out:{name}", None, {"result": "signed out"}, who=name)

    def keep_language(self, holder: accounts.Holder, lang: str) -> None:
        with self.unit() as unit:
            if unit is not None:
                accounts.set_language(unit, holder.user_id, lang)
        self._live = {raw: seen for raw, seen in self._live.items() if seen[1].user_id != holder.user_id}

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
