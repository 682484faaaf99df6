"""The response ledger's forms, lists and exports (filled in below)."""

from __future__ import annotations

from prevdip.web._routes import guarded_router

router = guarded_router()
