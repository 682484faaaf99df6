"""Every place of the basin model has a name in both working languages of the centre, and every place the basin map
marks has a location within its country's bounds (issue 16 §4: reservoirs by name, the map labelled)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prevdip.geo import outline
from prevdip.water import BASINS, load_basin
from prevdip.web.services.water import MAP_SYMBOLS

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.mark.parametrize("basin", BASINS)
def test_every_node_and_variant_has_an_english_and_a_russian_name(basin: str) -> None:
    spec = load_basin(basin)
    names = spec.names()
    assert set(names) == {n.id for n in spec.nodes} | {v.id for v in spec.variants}
    for node_id, said in names.items():
        assert said["en"] and said["en"] != node_id, f"{node_id} has no English name"
        assert CYRILLIC.search(said["ru"]) and said["ru"] != said["en"], f"{node_id} has no Russian name"
    for lang in ("en", "ru"):  # one name, one place: a reader never has to tell two places apart by their ids
        assert len({said[lang] for said in names.values()}) == len(names)


@pytest.mark.parametrize("basin", BASINS)
def test_every_place_the_map_marks_lies_within_its_countrys_bounds(basin: str, bundle: Path) -> None:
    marked = [n for n in load_basin(basin).nodes if n.planned or n.kind.value in MAP_SYMBOLS]
    assert {n.kind.value for n in marked} >= {"reservoir", "demand", "sink"}
    for node in marked:
        assert node.at is not None, f"{node.id} is marked on the map but has no location"
        lon, lat = node.at
        rings = _rings(outline(node.country, bundle=bundle)["geometry"])
        west, east = min(p[0] for r in rings for p in r), max(p[0] for r in rings for p in r)
        south, north = min(p[1] for r in rings for p in r), max(p[1] for r in rings for p in r)
        inside = west - 0.3 <= lon <= east + 0.3 and south - 0.3 <= lat <= north + 0.3
        assert inside, f"{node.id} at {lon}, {lat} is outside {node.country}"


def _rings(geometry: dict[str, object]) -> list[list[list[float]]]:
    coordinates = geometry["coordinates"]
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    return [ring for polygon in polygons for ring in polygon]  # type: ignore[union-attr]
