"""Server-side sessions and API tokens: who a request comes from.

A session lives in the system of record (so it works across several server processes and ends the moment its
account is disabled or changes role): the browser holds a random id, signed, and the database its SHA-256. It ends
after ``idle`` without use and ``lifetime`` after sign-in, whichever comes first. Its last use is written at most
once a minute, so reading a page does not write to the database each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import Session

from prevdip.accounts.keys import digest, new_secret
from prevdip.store import AuditLog
from prevdip.store.models import ApiToken, User, WebSession

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Holder:
    """The account behind a request, as the dashboard needs it (a plain copy: no database session attached)."""

    user_id: int
    name: str
    role: str
    countries: tuple[str, ...]
    language: str | None


def _holder(user: User) -> Holder:
    return Holder(user.id, user.name, user.role, tuple(user.countries or ()), user.language)


def open_session(session: Session, user: User, now: datetime) -> str:
    """A new session for ``user`` (always a new id: sign-in never keeps an earlier one); returns the raw id."""
    raw = new_secret()
    session.add(WebSession(id_hash=digest(raw), user_id=user.id, created=now, last_seen=now))
    return raw


def end_session(session: Session, raw: str) -> None:
    """Forget a session (sign-out)."""
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(raw)))


def session_holder(
    connection: Connection | Session, raw: str, now: datetime, *, idle: timedelta, lifetime: timedelta
) -> Holder | None:
    """The account of a live session, or None: unknown, expired (then removed) or its account disabled.

    Read on every request, so it is one indexed query of plain columns on a bare connection (no ORM session), and a
    write only when the session ended or was last noted more than a minute ago (the caller commits)."""
    key = digest(raw)
    found = connection.execute(
        select(
            WebSession.created,
            WebSession.last_seen,
            User.id,
            User.name,
            User.role,
            User.countries,
            User.language,
            User.disabled,
        )
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.id_hash == key)
    ).first()
    if found is None:
        return None
    created, last_seen, user_id, name, role, countries, language, disabled = found
    if now - last_seen > idle or now - created > lifetime or disabled:
        connection.execute(delete(WebSession).where(WebSession.id_hash == key))
        return None
    if now - last_seen >= TOUCH_EVERY:
        connection.execute(update(WebSession).where(WebSession.id_hash == key).values(last_seen=now))
    return Holder(user_id, name, role, tuple(countries or ()), language)


def token_holder(session: Session, audit: AuditLog, raw: str, now: datetime) -> Holder | None:
    """The account of a working API token, or None; its use is noted (and audited) at most once a minute."""
    found = session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == digest(raw))
    ).first()
    if found is None:
        return None
    token, user = found
    if token.revoked is not None or user.disabled:
        return None
    if token.last_used is None or now - token.last_used >= TOUCH_EVERY:
        token.last_used = now
        audit.record(user.name, f"token:{token.id}", None, {"used": now.isoformat()}, session=session)
    return _holder(user)
