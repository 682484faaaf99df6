"""The region map of the field report form: the outlines of the five states and Afghanistan from the bundle, drawn
as a small SVG in an equirectangular projection so that a tap converts back to latitude and longitude exactly
(``static/js/field-map.js``); no tiles, no network."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from prevdip.errors import RefusedInput
from prevdip.geo import outline

DRAWN = ("KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG")
WEST, EAST, SOUTH, NORTH = 46.0, 88.0, 29.0, 56.0
WIDTH = 800.0
K_LON = WIDTH / (EAST - WEST)
#: Degrees of longitude shrink with latitude: a degree of latitude is drawn longer by the middle latitude's factor,
#: which keeps the shapes recognisable.
PX_PER_DEGREE_LAT = K_LON / math.cos(math.radians((SOUTH + NORTH) / 2))


def _point(lon: float, lat: float) -> str:
    return f"{(lon - WEST) * K_LON:.1f},{(NORTH - lat) * PX_PER_DEGREE_LAT:.1f}"


def _path(geometry: dict[str, Any]) -> str:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return " ".join("M" + "L".join(_point(x, y) for x, y, *_ in ring) + "Z" for polygon in polygons for ring in polygon)


@lru_cache(maxsize=4)
def _drawn(bundle: Path) -> dict[str, Any]:
    shapes = [{"iso3": iso3, "d": _path(outline(iso3, scale="50m", bundle=bundle)["geometry"])} for iso3 in DRAWN]
    height = (NORTH - SOUTH) * PX_PER_DEGREE_LAT
    return {
        "available": True,
        "shapes": shapes,
        "width": WIDTH,
        "height": round(height, 1),
        "west": WEST,
        "north": NORTH,
        "px_per_lon": K_LON,
        "px_per_lat": PX_PER_DEGREE_LAT,
    }


def region_map(bundle: Path | None) -> dict[str, Any]:
    """The map's shapes and the numbers the page's script needs to turn a tap into coordinates (or why there is
    no map: the coordinates are then typed)."""
    if bundle is None:
        return {"available": False, "reason": "the reference bundle is not available"}
    try:
        return _drawn(bundle.resolve())
    except RefusedInput as missing:
        return {"available": False, "reason": str(missing)}
