"""Optional downloads of fresh data from the official sources (``prevdip fetch``), never run by tests or the demo.

Each fetch keeps the raw responses with a manifest under ``<workspace>/downloads/<source>/<timestamp>/`` (all or
nothing), retries what a retry can fix (429, 5xx, timeouts) and refuses the rest at once, then hands the files to
the ordinary ingest, so fetched rows get the same run records, quarantine and de-duplication as any file.

Public: ``scope(...)`` checks what to fetch; ``fetch_ucdp``, ``fetch_acled``, ``fetch_gdelt`` run a fetch and return
the ``prevdip fetch --json`` report.
"""

from prevdip.events.fetch.acled import fetch_acled
from prevdip.events.fetch.gdelt import fetch_gdelt
from prevdip.events.fetch.scope import Scope, scope
from prevdip.events.fetch.ucdp import fetch_ucdp

__all__ = ["Scope", "fetch_acled", "fetch_gdelt", "fetch_ucdp", "scope"]
