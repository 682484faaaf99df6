"""Named regions the centre reports on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prevdip.errors import NotFound
from prevdip.geo._countries import Country, country
from prevdip.geo._dyads import Dyad, dyads_within

CENTRAL_ASIA = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
NEIGHBOURS = ("AFG", "CHN", "IRN", "PAK", "RUS", "AZE", "MNG")
#: The region the centre reports on: the five states of its mandate and Afghanistan.
HOME_REGION = "central-asia+afghanistan"


@dataclass(frozen=True)
class Region:
    """A named set of countries and the border dyads among them."""

    name: str
    description: str
    iso3s: tuple[str, ...]

    @property
    def countries(self) -> tuple[Country, ...]:
        return tuple(country(code) for code in self.iso3s)

    @property
    def dyads(self) -> tuple[Dyad, ...]:
        return dyads_within(self.iso3s)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``prevdip regions show``."""
        return {
            "region": self.name,
            "countries": [c.as_dict() for c in self.countries],
            "dyads": [d.as_list() for d in self.dyads],
        }


REGIONS: dict[str, Region] = {
    r.name: r
    for r in (
        Region("central-asia", "The five states of the centre's mandate", CENTRAL_ASIA),
        Region(HOME_REGION, "The five and Afghanistan", (*CENTRAL_ASIA, "AFG")),
        Region("neighbours", "The five, Afghanistan and the neighbours", (*CENTRAL_ASIA, *NEIGHBOURS)),
    )
}


def region(name: str) -> Region:
    """The named region; an unknown name is refused with the known ones."""
    try:
        return REGIONS[name.strip().lower()]
    except KeyError:
        raise NotFound(f"unknown region {name!r}", hint=f"known regions: {', '.join(REGIONS)}") from None


def home_region() -> Region:
    """The region the centre's pages, brief and warnings are about (:data:`HOME_REGION`)."""
    return REGIONS[HOME_REGION]
