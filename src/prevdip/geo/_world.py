"""ISO3 codes for the names of every country in global series (UCDP names such as "Russia (Soviet Union)", and
every country name ACLED uses).

The region's countries have a hand-checked crosswalk (:mod:`prevdip.geo._countries`); the rest of the world,
needed for the global forecast panel, is resolved through pycountry with UCDP's historical names spelled out.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

import pycountry

from prevdip.errors import NotFound
from prevdip.geo._countries import find_country

# UCDP and Natural Earth spellings pycountry does not know.
_SPELLINGS = {
    "bosnia-herzegovina": "BIH",
    "cambodia (kampuchea)": "KHM",
    "dr congo (zaire)": "COD",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "dem. rep. congo": "COD",
    "congo": "COG",
    "ivory coast": "CIV",
    "côte d'ivoire": "CIV",
    "kingdom of eswatini (swaziland)": "SWZ",
    "eswatini": "SWZ",
    "madagascar (malagasy)": "MDG",
    "myanmar (burma)": "MMR",
    "serbia (yugoslavia)": "SRB",
    "yemen (north yemen)": "YEM",
    "zimbabwe (rhodesia)": "ZWE",
    "russia (soviet union)": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "vietnam (north vietnam)": "VNM",
    "vietnam": "VNM",
    "south korea": "KOR",
    "north korea": "PRK",
    "turkey": "TUR",
    "moldova": "MDA",
    "macedonia, fyr": "MKD",
    "macedonia": "MKD",
    "kosovo": "XKX",
    "palestine": "PSE",
    "united states of america": "USA",
    "united states": "USA",
    "cape verde": "CPV",
    "east timor": "TLS",
    "gambia": "GMB",
    "the gambia": "GMB",
    "central african rep.": "CAF",
    "s. sudan": "SSD",
    "south sudan": "SSD",
    "czech republic": "CZE",
    "rumania": "ROU",
    "brunei": "BRN",
    "micronesia": "FSM",
    "antigua & barbuda": "ATG",
    "bosnia and herz.": "BIH",
    "dominican rep.": "DOM",
    # ACLED country names (acled/acled_countries.csv) pycountry does not know by these spellings.
    "bailiwick of guernsey": "GGY",
    "bailiwick of jersey": "JEY",
    "caribbean netherlands": "BES",
    "curacao": "CUW",
    "democratic republic of congo": "COD",
    "falkland islands": "FLK",
    "republic of congo": "COG",
    "reunion": "REU",
    "saint-barthelemy": "BLM",
    "saint-martin": "MAF",
    "sint maarten": "SXM",
    "vatican city": "VAT",
}


@lru_cache(maxsize=4096)
def world_iso3(name: str) -> str:
    """The ISO3 code of a country name from any global source; an unknown name is refused, never guessed."""
    regional = find_country(name)
    if regional is not None:
        return regional.iso3
    key = name.strip().casefold()
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    bare = re.sub(r"\s*\(.*\)\s*$", "", name).strip()
    for candidate in (name.strip(), bare):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_3)
        except LookupError:
            continue
    raise NotFound(f"unknown country name {name!r}", hint="add its spelling to prevdip.geo._world._SPELLINGS")


@lru_cache(maxsize=1)
def gw_iso3() -> dict[int, str]:
    """Gleditsch–Ward state number → ISO3 for every state of the system since 1989 (``gw_states.csv``).

    Hand-checked where names mislead: GW 345 Yugoslavia and 340 Serbia are both SRB (one state, renumbered in
    2006), 260 the Federal Republic is DEU; states that ended keep their ISO 3166-3 codes (DDR, CSK, YMD); the two
    GW states without an ISO code use user-assigned ones in the manner of Kosovo's XKX: XAB Abkhazia, XSO South
    Ossetia.
    """
    text = files("prevdip.geo").joinpath("gw_states.csv").read_text(encoding="utf-8")
    return {int(row["gw"]): row["iso3"] for row in csv.DictReader(text.splitlines())}
