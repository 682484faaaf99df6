"""A commit of the system of record is on the disk when it returns, on both backends.

The lake publishes a run only after its database commit; if the commit could still vanish in a power cut, the lake
could show events of a run the record never knew. SQLite runs with ``synchronous=FULL``; PostgreSQL connections ask
for ``synchronous_commit=on`` even on a server whose default is off (the test server's is: see ``conftest``).
"""

from __future__ import annotations

from sqlalchemy import text

from prevdip.store import Store


def test_every_commit_waits_for_the_disk(store: Store) -> None:
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            assert connection.execute(text("SHOW synchronous_commit")).scalar() == "on"
