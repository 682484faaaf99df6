"""The dashboard's reads and exports in the audit log, written off the request path.

Every page, JSON twin or PDF only the centre's staff may open, and every one served to a centre reader while the lake
holds a field report some other audience may not see, is a read of centre-internal material; every brief exported
is an export. Both are noted on a queue and a single background thread writes them to the system of record in
batches, so a page costs a queue put, not a database commit (``benchmarks/bench_web.py`` measures the signed-in
pages). ``flush()`` waits until all are written (the tests, and shutdown).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request

from prevdip.errors import RefusedInput
from prevdip.events.lake import lake_stamp
from prevdip.events.sharing import Audience, hides_anything
from prevdip.store.models import utc_now

if TYPE_CHECKING:
    from prevdip.web._identity import Identity
    from prevdip.web.access import Reader

log = logging.getLogger(__name__)
BATCH = 500
GATHER_SECONDS = 0.25  # after the first entry, wait this long for more: one commit for many reads
Entry = tuple[str, str, dict[str, Any], datetime]  # who, what, after, when


class AuditTrail:
    """A queue of audit entries and the thread that writes them."""

    def __init__(self, identity: Identity, workspace: Path) -> None:
        self._identity = identity
        self._workspace = workspace
        self._queue: queue.Queue[Entry | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._restricted: tuple[str, bool] | None = None

    def note(self, who: str, what: str, after: dict[str, Any]) -> None:
        """Queue one entry."""
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write, name="prevdip-audit", daemon=True)
                self._thread.start()
        self._queue.put((who, what, after, utc_now()))

    def centre_read(self, request: Request, reader: Reader, *, staff_only: bool = False) -> None:
        """Note a centre reader's read of material only the centre's staff may open (``staff_only``: the response
        ledger, an uploaded GMCR model, the audit log itself), or of any page while the lake holds material a lesser
        audience may not see — once per request."""
        if getattr(request.state, "read_noted", False) or not (staff_only or self._lake_restricted()):
            return
        request.state.read_noted = True
        query = request.url.query
        self.note(reader.name, f"read:{request.url.path}", {"query": query or None, "via": reader.via})

    def export(self, request: Request, reader: Reader, audience: Audience, *, chosen_by_query: bool = False) -> None:
        """Note an exported document (a brief's PDF; a file of events, ``chosen_by_query``, with the filter that
        chose them) whoever takes it."""
        after = {"audience": audience.value, "via": reader.via}
        if chosen_by_query:
            after["query"] = request.url.query
        self.note(reader.name, f"export:{request.url.path}", after)

    def _lake_restricted(self) -> bool:
        """Whether any field report in the lake is hidden from some audience (checked once per state of the lake,
        its provenance stamp). No workspace holds nothing to hide: the pages that read the lake refuse it, the others
        (sign-in, GMCR, the glossary) still open."""
        try:
            stamp = lake_stamp(self._workspace).digest
        except RefusedInput:
            return False
        if self._restricted is None or self._restricted[0] != stamp:
            self._restricted = (stamp, hides_anything(self._workspace, Audience.public))
        return self._restricted[1]

    def flush(self) -> None:
        """Wait until every queued entry is written."""
        self._queue.join()

    def _write(self) -> None:
        while True:
            batch = [self._queue.get()]
            time.sleep(GATHER_SECONDS)
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write_batch([entry for entry in batch if entry is not None])
            except Exception:  # a lost batch is logged; the dashboard goes on serving
                log.exception("could not write %d audit entries", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write_batch(self, entries: list[Entry]) -> None:
        if not entries:
            return
        with self._identity.unit() as unit:
            if unit is None:
                log.warning("no database: %d audit entries not written", len(entries))
                return
            unit.audit.record_many(entries, session=unit.session)
