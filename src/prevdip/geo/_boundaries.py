"""Country outlines from the bundle's Natural Earth files, rewound for drawing.

Natural Earth ships RFC 7946 rings (outer rings counter-clockwise). Vega and d3 use spherical geometry, where a
counter-clockwise outer ring means "everything but this country" and fills the whole frame; so outer rings are
rewound clockwise and holes counter-clockwise before anything is drawn.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.geo._countries import country

Ring = list[list[float]]


def _signed_area(ring: Ring) -> float:
    """Shoelace area in degrees²: positive for counter-clockwise rings."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))


def _rewind_polygon(rings: list[Ring]) -> list[Ring]:
    out = []
    for i, ring in enumerate(rings):
        clockwise = _signed_area(ring) < 0
        want_clockwise = i == 0
        out.append(ring if clockwise == want_clockwise else ring[::-1])
    return out


def rewind(geometry: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Polygon or MultiPolygon with clockwise outer rings and counter-clockwise holes."""
    kind = geometry["type"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": _rewind_polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [_rewind_polygon(p) for p in geometry["coordinates"]]}
    return geometry


def _natural_earth(bundle: Path | None) -> Path:
    """The bundle itself, once it is known to hold the Natural Earth files."""
    if bundle is None or not (bundle / BUNDLE.natural_earth).is_dir():
        raise RefusedInput(
            f"the reference bundle's {BUNDLE.natural_earth} folder is not available",
            hint=f"set PREVDIP_BUNDLE to the folder holding {BUNDLE.natural_earth}/",
        )
    return bundle


@lru_cache(maxsize=8)
def _world_110m(bundle: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((bundle / BUNDLE.world_outlines).read_text(encoding="utf-8"))
    return {f["properties"]["ADM0_A3"]: f for f in data["features"]}


@lru_cache(maxsize=64)
def _outline_cached(iso3: str, scale: str, bundle: Path) -> dict[str, Any]:
    path = bundle / BUNDLE.outline(scale, iso3)
    if path.is_file():
        feature = json.loads(path.read_text(encoding="utf-8"))
    else:  # neighbours without a detailed file fall back to the global 110m outlines
        feature = _world_110m(bundle)[iso3]
    return {
        "type": "Feature",
        "properties": {"iso3": iso3, "name": country(iso3).name},
        "geometry": rewind(feature["geometry"]),
    }


def outline(iso3: str, *, scale: str = "50m", bundle: Path | None = None) -> dict[str, Any]:
    """The country's outline as a GeoJSON Feature with ``iso3`` and ``name`` properties, rings rewound."""
    if bundle is None:
        from prevdip.settings import get_settings

        bundle = get_settings().bundle
    return _outline_cached(country(iso3).iso3, scale, _natural_earth(bundle).resolve())


def outlines_feature_collection(
    iso3s: list[str] | tuple[str, ...], *, scale: str = "50m", bundle: Path | None = None
) -> dict[str, Any]:
    """A FeatureCollection of several outlines, ready for a Vega-Altair ``geoshape``."""
    return {"type": "FeatureCollection", "features": [outline(c, scale=scale, bundle=bundle) for c in iso3s]}
