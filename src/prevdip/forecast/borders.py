"""Land boundaries between states, and the distance from a point to one, for the border-dyad target.

Every land-border pair in the world comes from the shared edges of Natural Earth's 1:110m country outlines (the
bundle's ``ne_110m_admin_0_countries.geojson``): Natural Earth's polygons are topologically consistent, so two
countries' common boundary is the intersection of their outlines. At 1:110m a boundary is generalised to a few
vertices every 50–100 km and can sit 5–15 km from the true line; small states (Andorra, Liechtenstein, Monaco,
San Marino, the Vatican) and enclaves are absent, so their dyads are too. Where the bundle has the region's 1:10m
land boundary lines (``ne_10m_admin_0_boundary_lines_land_CA_bbox.geojson``) those replace the 110m edge for the
pair, which keeps the Fergana valley's boundaries to within a few hundred metres — but only where they reach
as far as the 110m edge does: the file is cut to the region's bounding box, so China–India and China–Russia keep
their whole 110m boundary rather than a 10m stub.

Distances are computed in a local equirectangular projection centred on each point (x = R·cos φ₀·Δλ, y = R·Δφ,
R = 6371 km) — within 0.1 % of the great-circle distance at the 25–100 km this target uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import shape
from shapely.ops import unary_union

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput

EARTH_RADIUS_KM = 6371.0
# Natural Earth units without an ISO3 code of their own, read as the state UCDP and the GW system count them in.
_NE_CODES = {"FRA": "FRA", "NOR": "NOR", "KOS": "XKX", "CYN": "CYP", "SOL": "SOM"}


@dataclass(frozen=True)
class Border:
    """The land boundary of one dyad as line segments, (n, 4) arrays of lon0, lat0, lon1, lat1."""

    a: str
    b: str
    segments: np.ndarray
    detail: str  # "110m" or "10m"

    @property
    def code(self) -> str:
        return f"{self.a}-{self.b}"


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="the bundle's Natural Earth files give the land boundaries")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _iso3(properties: dict[str, Any]) -> str | None:
    code = str(properties.get("ISO_A3") or "")
    if code and code != "-99":
        return code
    return _NE_CODES.get(str(properties.get("ADM0_A3")))


def _segments(geometry: Any) -> np.ndarray:
    """Every straight piece of a (multi)line geometry; points (countries touching at a corner) give none."""
    parts = getattr(geometry, "geoms", [geometry])
    pieces = []
    for part in parts:
        if part.geom_type in ("LineString", "LinearRing"):
            xy = np.asarray(part.coords)[:, :2]
            pieces.append(np.column_stack([xy[:-1], xy[1:]]))
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            pieces.append(_segments(part))
    return np.concatenate(pieces) if pieces else np.zeros((0, 4))


def _world_edges(path: Path) -> dict[tuple[str, str], np.ndarray]:
    outlines: dict[str, list[Any]] = {}
    for feature in _read(path)["features"]:
        code = _iso3(feature["properties"])
        if code is not None:
            outlines.setdefault(code, []).append(shape(feature["geometry"]))
    shapes = {code: unary_union(parts) for code, parts in outlines.items()}
    edges: dict[tuple[str, str], np.ndarray] = {}
    for a, b in combinations(sorted(shapes), 2):
        if not shapes[a].intersects(shapes[b]):
            continue
        segments = _segments(shapes[a].boundary.intersection(shapes[b].boundary))
        if len(segments):
            edges[(a, b)] = segments
    return edges


def _extent(segments: np.ndarray) -> np.ndarray:
    lon, lat = segments[:, [0, 2]], segments[:, [1, 3]]
    return np.array([lon.min(), lon.max(), lat.min(), lat.max()])


def _reaches(detailed: np.ndarray, coarse: np.ndarray, tolerance: float = 0.5) -> bool:
    """Whether the detailed lines span the coarse edge's extent (to ``tolerance`` degrees): not cut by the bbox."""
    d, c = _extent(detailed), _extent(coarse)
    return bool(d[0] <= c[0] + tolerance and d[1] >= c[1] - tolerance and d[2] <= c[2] + tolerance
                and d[3] >= c[3] - tolerance)  # fmt: skip


def _region_lines(path: Path) -> dict[tuple[str, str], np.ndarray]:
    if not path.is_file():
        return {}
    lines: dict[tuple[str, str], list[np.ndarray]] = {}
    for feature in _read(path)["features"]:
        left, right = feature["properties"].get("adm0_a3_l"), feature["properties"].get("adm0_a3_r")
        if not left or not right or left == right:
            continue
        a, b = sorted((str(left), str(right)))
        lines.setdefault((a, b), []).append(_segments(shape(feature["geometry"])))
    return {pair: np.concatenate(parts) for pair, parts in lines.items()}


@lru_cache(maxsize=4)
def land_borders(bundle: Path) -> tuple[Border, ...]:
    """Every land-border pair of the 110m outlines, with the region's 10m lines where the bundle has them."""
    edges = _world_edges(bundle / BUNDLE.world_outlines)
    detailed = _region_lines(bundle / BUNDLE.land_boundaries)
    borders = []
    for (a, b), segments in sorted(edges.items()):
        if (a, b) in detailed and _reaches(detailed[(a, b)], segments):
            borders.append(Border(a, b, detailed[(a, b)], "10m"))
        else:
            borders.append(Border(a, b, segments, "110m"))
    return tuple(borders)


def distance_km(lon: np.ndarray, lat: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """The distance (km) from each point to the nearest of the segments."""
    if len(lon) == 0 or len(segments) == 0:
        return np.full(len(lon), np.inf)
    scale = np.cos(np.radians(lat))[:, None]
    to_km = np.radians(1.0) * EARTH_RADIUS_KM

    def local(lon_s: np.ndarray, lat_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dlon = (lon_s[None, :] - lon[:, None] + 180.0) % 360.0 - 180.0
        return dlon * scale * to_km, (lat_s[None, :] - lat[:, None]) * to_km

    x0, y0 = local(segments[:, 0], segments[:, 1])
    x1, y1 = local(segments[:, 2], segments[:, 3])
    dx, dy = x1 - x0, y1 - y0
    length2 = np.maximum(dx**2 + dy**2, 1e-12)
    t = np.clip(-(x0 * dx + y0 * dy) / length2, 0.0, 1.0)
    return np.asarray(np.hypot(x0 + t * dx, y0 + t * dy).min(axis=1))
