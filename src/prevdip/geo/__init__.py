"""Geography of the region: countries and their codes in every source, named regions, border dyads, outlines, and
the distance from any point to the land boundaries between states.

Every source names countries its own way (UCDP by name and Gleditsch-Ward number, ACLED by ISO numeric, GDELT by
FIPS 10-4 — ``TI`` is Tajikistan, ``TX`` Turkmenistan); :func:`country` resolves any of them to one
:class:`Country`, and anything it does not know is refused with a clear message rather than guessed.
"""

from prevdip.geo._borders import border_lines, near_border
from prevdip.geo._boundaries import outline, outlines_feature_collection, rewind
from prevdip.geo._countries import COUNTRIES, Country, country, find_country
from prevdip.geo._dyads import BORDER_DYADS, Dyad, dyad, dyads_within
from prevdip.geo._regions import REGIONS, Region, region
from prevdip.geo._world import gw_iso3, world_iso3

__all__ = [
    "BORDER_DYADS",
    "COUNTRIES",
    "REGIONS",
    "Country",
    "Dyad",
    "Region",
    "border_lines",
    "country",
    "dyad",
    "dyads_within",
    "find_country",
    "gw_iso3",
    "near_border",
    "outline",
    "outlines_feature_collection",
    "region",
    "rewind",
    "world_iso3",
]
