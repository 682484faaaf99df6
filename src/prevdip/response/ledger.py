"""The ledger as a unit of work: every write of one command (or one imported file) commits together, each with
its entry in the audit log, or nothing is written at all.

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
from sqlalchemy.orm import Session

from prevdip.response.vocabulary import refuse
from prevdip.store import AuditLog, open_store

Record = TypeVar("Record")


@dataclass
class Ledger:
    """One open unit of work on the response records, written in the name of ``who``."""

    session: Session
    audit: AuditLog
    who: str

    def add(self, what: str, record: Record) -> Record:
        """Add a new record and log its creation as ``what:<id>``."""
        self.session.add(record)
        self.written(what, record)
        return record

    def written(self, what: str, record: Any, before: dict[str, Any] | None = None) -> None:
        """Flush ``record`` (so it has its id) and log its creation or change as ``what:<id>``."""
        self.session.flush()
        self.audit.record(self.who, f"{what}:{record.id}", before, record.as_dict(), session=self.session)

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


def default_who() -> str:
    """Who writes when nobody says: the account running prevdip."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "prevdip"


@contextmanager
def open_ledger(who: str | None = None, *, url: str | None = None) -> Iterator[Ledger]:
    """The ledger of the workspace's system of record (or ``url``), committed when the block ends."""
    with open_store(url) as store, store.session() as session:
        yield Ledger(session, store.audit, (who or "").strip() or default_who())
