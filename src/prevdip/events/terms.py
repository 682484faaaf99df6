"""What each source's terms allow: its licence, the attribution an outside product must print, and the widest tier
its rows may be listed to.

A leaf of ``events``: every connector carries one :class:`Licence` (``Connector.licence``), so this module must not
reach the connectors back; the registry over them (who must be cited for a lake) is :mod:`prevdip.events.licences`.
"""

from __future__ import annotations

from dataclasses import dataclass

from prevdip.events.schema import Sharing


@dataclass(frozen=True)
class Licence:
    """A source's terms: ``terms`` in a few words, the ``attribution`` outside products print (empty: nothing to
    cite, the centre's own material), and ``rows``, the widest tier its rows may be listed to."""

    terms: str
    attribution: str
    rows: Sharing


UCDP = Licence(
    terms="CC BY 4.0",
    attribution="Uppsala Conflict Data Program (UCDP), ucdp.uu.se, CC BY 4.0",
    rows="public",
)
ACLED = Licence(
    terms="ACLED Terms of Use: attribution required, raw data not to be redistributed",
    attribution="Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com",
    rows="centre-internal",
)
GDELT = Licence(terms="free with citation", attribution="The GDELT Project, gdeltproject.org", rows="public")
TFDD = Licence(
    terms="free with citation",
    attribution="Transboundary Freshwater Dispute Database, Oregon State University",
    rows="public",
)
# The centre's own reports: who may see each is its own ``sharing`` tier, stored as its row tier too.
CENTRE = Licence(terms="the centre's own", attribution="", rows="public")
