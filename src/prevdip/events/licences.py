"""What each source's terms allow: its licence, the attribution an outside product must print, and who may see its
rows.

The terms themselves live in :mod:`prevdip.events.terms`, a leaf the connectors import (so no import circle runs
back through this registry over them). Ingest stores the licence's row tier in the lake's ``row_sharing`` column,
and :mod:`prevdip.events.sharing` decides from it who may see a row listed. Two different protections must not be
confused:

* a field report's ``sharing`` tier protects *people*: a hidden report vanishes from everything an audience sees,
  counts and stages included;
* a licence restricts *redistribution*: ACLED's terms forbid passing on its rows ("provide, permit or allow direct
  access to any of ACLED's original/raw data", Terms of Use, October 2020), so ACLED rows are listed to the centre
  only, while counts and the stages derived from them are shared, with the attribution ACLED asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from prevdip.events.connectors import CONNECTORS
from prevdip.events.lake import events_root, series_path
from prevdip.events.terms import ACLED, CENTRE, GDELT, TFDD, UCDP, Licence

__all__ = ["ACLED", "CENTRE", "GDELT", "TFDD", "UCDP", "Licence", "attributions", "lake_attributions",
           "lake_sources", "licences"]  # fmt: skip


def licences() -> dict[str, Licence]:
    """The licence of every source name the lake may hold (connector names, and the sources their rows carry)."""
    return {c.source: c.licence for c in CONNECTORS.values()} | {name: c.licence for name, c in CONNECTORS.items()}


def attributions(sources: Iterable[str]) -> list[str]:
    """The attribution lines for ``sources``, once each, in the order of the registry (unknown names are skipped)."""
    wanted = set(sources)
    seen: list[str] = []
    for name, licence in licences().items():
        if name in wanted and licence.attribution and licence.attribution not in seen:
            seen.append(licence.attribution)
    return seen


def lake_sources(workspace: Path) -> list[str]:
    """The sources the workspace's lake holds: event partitions and series (from the folder layout, no data read)."""
    found = sorted(p.name.removeprefix("source=") for p in events_root(workspace).glob("source=*") if p.is_dir())
    series = {"country_month_deaths": "ucdp-cm", "conflict_years": "ucdp-acd"}
    return found + [source for name, source in series.items() if series_path(workspace, name).is_file()]


def lake_attributions(workspace: Path) -> list[str]:
    """What a product built on this workspace's lake must cite."""
    return attributions(lake_sources(workspace))
