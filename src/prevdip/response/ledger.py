"""The ledger as a unit of work: every write of one command (or one imported file) commits together, each with
its entry in the audit log, or nothing is written at all.

Edits are optimistic: the records people change (commitments, actions, programme items) carry a version, and an
edit writes only if the record is still at the version read — given by the user (``--expect-version``, what a list
showed them) or read in the same unit of work. Otherwise it is refused as changed by someone else since it was
read (:class:`~prevdip.errors.Conflict`: exit 2, 409 on the web), nothing written, so the audit log's before and
after always follow each other.

    with open_ledger("a.officer") as ledger:
        partner = add_partner(ledger, "Government of Kyrgyzstan", "government", "KGZ")
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from prevdip.errors import Conflict, RefusedInput
from prevdip.response.vocabulary import refuse, text, whole
from prevdip.store import AuditLog, shared_store

Record = TypeVar("Record")


@dataclass
class Ledger:
    """One open unit of work on the response records, written in the name of ``who``."""

    session: Session
    audit: AuditLog
    who: str

    def add(self, what: str, record: Record, *, taken: RefusedInput | None = None) -> Record:
        """Add a new record and log its creation as ``what:<id>``. ``taken`` is the refusal for a record whose key
        (a partner's name) someone else wrote meanwhile — checked before, but two imports may pass that check at
        once: the database's unique constraint decides, and the loser gets this plain refusal."""
        self.session.add(record)
        try:
            self.session.flush()
        except IntegrityError:
            if taken is None:
                raise
            raise taken from None
        self.written(what, record)
        return record

    def written(self, what: str, record: Any, before: dict[str, Any] | None = None) -> None:
        """Flush ``record`` (so it has its id) and log its creation or change as ``what:<id>``; an edit of a record
        someone else changed meanwhile is refused."""
        if before is not None and hasattr(record, "version"):
            flag_modified(record, "created")  # written, and its version checked, even when only links changed
        key = record.id
        try:
            self.session.flush()
        except StaleDataError:
            raise changed_meanwhile(what, key) from None
        self.audit.record(self.who, f"{what}:{record.id}", before, record.as_dict(), session=self.session)

    def expect(self, what: str, record: Any, version: Any) -> None:
        """Refuse an edit of ``record`` read at ``version`` (as a list showed it) when it has changed since."""
        if version in (None, ""):
            return
        read = whole("expect_version", version)
        if record.version != read:
            raise changed_meanwhile(what, record.id, read=read, now=record.version)

    def get(self, model: type[Record], field: str, record_id: Any) -> Record:
        """The record of ``model`` with id ``record_id``; a dangling reference is refused naming ``field``."""
        whole = isinstance(record_id, int) and not isinstance(record_id, bool)  # not True, not 1.9
        if not (whole or (isinstance(record_id, str) and record_id.strip().isdigit())):
            raise refuse(field, f"{record_id!r} is not a record id", "give the number the list command shows")
        key = int(record_id)
        if not 0 < key < 2**63:  # beyond a BIGINT the driver overflows (SQLite) or the server errs (PostgreSQL)
            raise refuse(field, f"no record has the id {key}", "give the number the list command shows")
        found = self.session.get(model, key)
        if found is None:
            table = getattr(model, "__tablename__", "records")
            raise refuse(field, f"no {table.rstrip('s').replace('_', ' ')} with id {key}", "list them first")
        return found

    def find(self, model: type[Record], field: str, ref: Any, *, key: Any, named: str, hint: str) -> Record:
        """A record by id, or by its natural ``key`` column (a partner's name, a programme item's title)."""
        if isinstance(ref, int) or str(ref).strip().isdigit():
            return self.get(model, field, ref)
        found = self.session.scalar(select(model).where(key == str(ref).strip()))
        if found is None:
            raise refuse(field, f"no {named} {ref!r}", hint)
        return found


def changed_meanwhile(what: str, record_id: int, *, read: int | None = None, now: int | None = None) -> Conflict:
    """The refusal of an edit that would overwrite someone else's."""
    versions = "" if read is None else f" (you read version {read}; it is at version {now})"
    record = f"{what.replace('_', ' ')} {record_id}"
    return Conflict(
        f"{record} was changed by someone else since you read it{versions}: nothing written",
        hint="read it again and repeat your change if it still stands",
    )


def default_who() -> str:
    """Who writes when nobody says: the account running prevdip."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "prevdip"


@contextmanager
def open_ledger(who: str | None = None, *, url: str | None = None) -> Iterator[Ledger]:
    """The ledger of the workspace's system of record (or ``url``), committed when the block ends."""
    named = text("who", who) if (who or "").strip() else default_who()
    store = shared_store(url)  # the process's one engine: pages open the ledger on every request
    with store.session() as session:
        yield Ledger(session, store.audit, named)
