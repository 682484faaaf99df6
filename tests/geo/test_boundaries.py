"""Outlines from Natural Earth, rewound for Vega/d3."""

from __future__ import annotations

from pathlib import Path

from prevdip.geo import outline, outlines_feature_collection, region, rewind
from prevdip.geo._boundaries import _signed_area


def test_rewind_makes_outer_rings_clockwise_and_holes_counter_clockwise() -> None:
    ccw = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    hole_cw = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]
    out = rewind({"type": "Polygon", "coordinates": [ccw, hole_cw]})
    outer, hole = out["coordinates"]
    assert _signed_area(outer) < 0
    assert _signed_area(hole) > 0


def test_every_outline_of_the_neighbours_region_is_drawable(bundle: Path) -> None:
    iso3s = region("neighbours").iso3s
    collection = outlines_feature_collection(iso3s, bundle=bundle)
    assert [f["properties"]["iso3"] for f in collection["features"]] == list(iso3s)
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for rings in polygons:
            assert _signed_area(rings[0]) < 0, feature["properties"]["iso3"]


def test_kyrgyzstan_outline_lies_in_its_bounding_box(bundle: Path) -> None:
    geometry = outline("KGZ", bundle=bundle)["geometry"]
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [p[0] for p in geometry["coordinates"]]
    xs = [pt[0] for ring in rings for pt in ring]
    ys = [pt[1] for ring in rings for pt in ring]
    assert 69 < min(xs) < max(xs) < 81
    assert 39 < min(ys) < max(ys) < 44
