"""Geography of the region: countries and their codes in every source, named regions, border dyads, outlines, and
the distance from any point to the land boundaries between states.

Every source names countries its own way (UCDP by name and Gleditsch-Ward number, ACLED by ISO numeric, GDELT by
FIPS 10-4 — ``TI`` is Tajikistan, ``TX`` Turkmenistan); :func:`country` resolves any of them to one
:class:`Country`, and anything it does not know is refused with a clear message rather than guessed.
"""

from prevdip.geo._borders import border_lines, border_midpoints, near_border
from prevdip.geo._boundaries import outline, outlines_feature_collection, rewind
from prevdip.geo._codebooks import CameoTables, cameo_tables, land_neighbours, read_geonames_countries
from prevdip.geo._countries import COUNTRIES, Country, country, find_country
from prevdip.geo._dyads import BORDER_DYADS, Dyad, dyad, dyads_within
from prevdip.geo._regions import HOME_REGION, REGIONS, Region, home_region, region
from prevdip.geo._world import gw_iso3, world_iso3, world_name

__all__ = [
    "BORDER_DYADS",
    "COUNTRIES",
    "CameoTables",
    "HOME_REGION",
    "REGIONS",
    "Country",
    "Dyad",
    "Region",
    "border_lines",
    "border_midpoints",
    "cameo_tables",
    "country",
    "dyad",
    "dyads_within",
    "find_country",
    "gw_iso3",
    "home_region",
    "land_neighbours",
    "near_border",
    "outline",
    "outlines_feature_collection",
    "read_geonames_countries",
    "region",
    "rewind",
    "world_iso3",
    "world_name",
]
