"""Connectors, registered in one place: each turns one source's files into canonical events or a series.

``CONNECTORS`` maps the ``prevdip ingest SOURCE`` name to the connector; :func:`detect` picks one for ``auto`` by
looking at a file's first bytes. Adding a source is one module with a :class:`Connector` subclass and one line here.
"""

from __future__ import annotations

from pathlib import Path

from prevdip.errors import RefusedInput
from prevdip.events.connectors.acled import Acled
from prevdip.events.connectors.acled_deleted import AcledDeleted
from prevdip.events.connectors.base import Chunk, Connector, Quarantined, RawBatch
from prevdip.events.connectors.field import FieldReport, FieldReports
from prevdip.events.connectors.gdelt import Gdelt
from prevdip.events.connectors.tabular import head_text
from prevdip.events.connectors.tfdd import TfddBar
from prevdip.events.connectors.ucdp_cm import UcdpCountryMonth
from prevdip.events.connectors.ucdp_conflicts import UcdpAcd, UcdpBrd
from prevdip.events.connectors.ucdp_ged import UcdpGed

CONNECTORS: dict[str, Connector] = {
    c.name: c
    for c in (
        UcdpGed(),
        UcdpAcd(),
        UcdpBrd(),
        UcdpCountryMonth(),
        Acled(),
        AcledDeleted(),
        Gdelt(),
        TfddBar(),
        FieldReports(),
    )
}
SOURCES = (*CONNECTORS, "auto")


def connector_for(name: str) -> Connector:
    """The connector named ``name``; an unknown name is refused with the list of known ones."""
    if name not in CONNECTORS:
        raise RefusedInput(f"unknown source {name!r}", hint=f"use one of: {', '.join(SOURCES)}")
    return CONNECTORS[name]


def detect(path: Path) -> Connector:
    """The connector whose files look like ``path`` (first 64 KB); refused when none does."""
    head = head_text(path)
    if not head.strip():
        raise RefusedInput(f"{path}: the file is empty", hint="nothing to ingest")
    for connector in CONNECTORS.values():
        if connector.detect(path, head):
            return connector
    raise RefusedInput(f"{path}: not a file of any known source", hint=f"name the source: {', '.join(CONNECTORS)}")


__all__ = ["CONNECTORS", "SOURCES", "Chunk", "Connector", "FieldReport", "Quarantined", "RawBatch", "connector_for",
           "detect"]  # fmt: skip
