"""The people who sign in to the dashboard, their sessions and their API tokens.

Secrets are never stored: a password as its Argon2id hash, a session id and an API token as the SHA-256 of a random
value only the holder has. The role and the countries of a government liaison are plain strings, checked by the
accounts domain before anything is written (a new role is a change to its vocabulary, not a migration).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from prevdip.store.models._base import Base, RecordId, UtcDateTime, utc_now


class User(Base):
    """An account: a name, a role, a password hash, and what its failed sign-ins have locked."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(8))
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    first_failure: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    def as_dict(self) -> dict[str, Any]:
        """The account as people may see it: never its password hash."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "countries": list(self.countries or []),
            "disabled": self.disabled,
            "language": self.language,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "created": self.created.isoformat(),
        }


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its session id, when it began and when it was last seen."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer``): its SHA-256, its owner, its use and its revocation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(RecordId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_used: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    def as_dict(self) -> dict[str, Any]:
        """The token as people may see it: never its hash."""
        return {
            "id": self.id,
            "created": self.created.isoformat(),
            "last_used": self.last_used.isoformat() if self.last_used else None,
            "revoked": self.revoked.isoformat() if self.revoked else None,
        }
