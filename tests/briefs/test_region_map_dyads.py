"""The border dyads on the region map (issue 16 §4, "a country or dyad opens its page"): each a diamond on its
shared border, coloured by its stage, named by both states in the page's language, opening its page on the
dashboard; the brief's printed map, given only countries, draws none."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from prevdip.briefs import charts
from prevdip.geo import border_midpoints, home_region, near_border

MONTH = "2022-09"


def _diamonds(spec: dict[str, object]) -> list[dict[str, object]]:
    layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]  # type: ignore[index,union-attr]
    return [value for layer in layers for value in layer["data"]["values"]]  # type: ignore[index]


def test_each_border_dyad_is_a_diamond_coloured_by_its_stage_that_opens_its_page(bundle: Path) -> None:
    region = home_region()
    iso3s = tuple(c.iso3 for c in region.countries)
    units = {c.iso3: {} for c in region.countries} | {d.code: {} for d in region.dyads}
    units["KGZ-TJK"] = {"stage": "war", "trend": "deteriorated"}
    links = {"links": f"/countries/{{iso3}}?month={MONTH}", "dyad_links": f"/dyads/{{dyad}}?month={MONTH}"}
    for lang, name, war in (("en", "Kyrgyzstan – Tajikistan", "war"), ("ru", "Кыргызстан – Таджикистан", "война")):
        spec = charts.region_map(iso3s, units, title="t", bundle=bundle, lang=lang, **links)
        marks = {m["url"]: m for m in _diamonds(spec)}
        assert set(marks) == {f"/dyads/{d.code}?month={MONTH}" for d in region.dyads}
        kgz_tjk = marks[f"/dyads/KGZ-TJK?month={MONTH}"]
        assert kgz_tjk["name"] == name and kgz_tjk["stage"] == war
        others = [m for url, m in marks.items() if "KGZ-TJK" not in url]
        assert {m["stage"] for m in others} == {charts.strings(lang)["stage"]["unknown"]}
    encoding = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"][0]["encoding"]
    assert encoding["href"] == {"field": "url", "type": "nominal"}
    assert encoding["color"]["scale"] == spec["layer"][0]["encoding"]["color"]["scale"]  # the countries' colours


def test_the_brief_map_given_only_countries_draws_no_dyad(bundle: Path) -> None:
    iso3s = tuple(c.iso3 for c in home_region().countries)
    assert _diamonds(charts.region_map(iso3s, {"KGZ": {"stage": "war"}}, title="t", bundle=bundle)) == []


def test_a_dyads_mark_sits_on_its_shared_border(bundle: Path) -> None:
    marks = border_midpoints(bundle)
    for d in home_region().dyads:
        lon, lat = marks[(d.a, d.b)]
        on = near_border(np.array([lat]), np.array([lon]), within_km=1.0, bundle=bundle, pairs=[(d.a, d.b)])
        assert len(on) == 1, f"{d.code}'s mark at {lon}, {lat} is not on its border"
