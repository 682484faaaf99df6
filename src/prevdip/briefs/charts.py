"""Charts and maps as Vega-Lite specifications, built with Altair, for the dashboard (drawn in the browser by the
vendored Vega) and the briefs (turned into SVG by vl-convert, no browser): one spec, two media.

Specs carry no ``$schema`` URL, so no page or brief names an outside host; maps draw the bundle's Natural Earth
outlines (rings already rewound by :mod:`prevdip.geo`), never tiles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt

from prevdip.briefs.locale import strings
from prevdip.catalogue import BUNDLE
from prevdip.geo import outlines_feature_collection, rewind
from prevdip.signals import STAGES

LEGEND = (*STAGES, "unknown")  # the signals' stages, and a unit whose stage is not known
STAGE_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#91bfdb", "#d9d9d9")
TREND_ARROWS = {"deteriorated": "↓", "improved": "↑", "unchanged": "→"}
Spec = dict[str, Any]


def _spec(chart: alt.TopLevelMixin) -> Spec:
    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


def _stage_scale(lang: str = "en") -> alt.Scale:
    return alt.Scale(domain=[strings(lang)["stage"][s] for s in LEGEND], range=list(STAGE_COLOURS))


def _named(feature: Mapping[str, Any], words: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """The outline's properties with the country named in the catalogue's language (the outline's name otherwise)."""
    properties = dict(feature["properties"])
    properties["name"] = words["country_name"].get(properties.get("iso3", ""), properties.get("name"))
    return properties


def _rounded(coords: Any) -> Any:
    if coords and isinstance(coords[0], float | int):
        return [round(float(c), 3) for c in coords]
    return [_rounded(c) for c in coords]


def _label_point(geometry: Mapping[str, Any]) -> tuple[float, float]:
    """The mean vertex of the largest outer ring: a point inside the country for its label."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((p[0] for p in polygons), key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


@lru_cache(maxsize=16)
def _features(iso3s: tuple[str, ...], bundle: Path | None) -> tuple[tuple[dict[str, Any], tuple[float, float]], ...]:
    """The outlines with coordinates rounded to about 100 m (a lighter page) and a label point each."""
    collection = outlines_feature_collection(iso3s, bundle=bundle)
    out = []
    for f in collection["features"]:
        geometry = {"type": f["geometry"]["type"], "coordinates": _rounded(f["geometry"]["coordinates"])}
        out.append(
            (
                {"type": "Feature", "properties": dict(f["properties"]), "geometry": geometry},
                _label_point(f["geometry"]),
            )
        )
    return tuple(out)


def region_map(
    iso3s: tuple[str, ...],
    units: Mapping[str, Mapping[str, Any]],
    *,
    title: str,
    bundle: Path | None = None,
    lang: str = "en",
) -> Spec:
    """The region coloured by stage, each country labelled with its code and trend arrow; legend and tooltips in
    ``lang``.

    ``units`` maps ISO3 to ``{"stage": ..., "trend": ...}`` (either may be missing: drawn as "no data").
    """
    words = strings(lang)
    shapes, labels = [], []
    for feature, (lon, lat) in _features(iso3s, bundle):
        iso3 = feature["properties"]["iso3"]
        unit = units.get(iso3, {})
        stage = words["stage"][unit.get("stage") or "unknown"]
        trend = unit.get("trend")
        arrow = TREND_ARROWS.get(trend or "", "")
        props = {**_named(feature, words), "stage": stage, "trend": words["trend"][trend or "unknown"]}
        shapes.append({**feature, "properties": props})
        labels.append({"lon": lon, "lat": lat, "label": f"{iso3} {arrow}".strip()})
    base = (
        alt.Chart(alt.Data(values=shapes))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color("properties.stage:N", scale=_stage_scale(lang), title=words["overview"]["col_stage"]),
            tooltip=[
                alt.Tooltip("properties.name:N", title=words["overview"]["col_unit"]),
                alt.Tooltip("properties.stage:N", title=words["overview"]["col_stage"]),
                alt.Tooltip("properties.trend:N", title=words["overview"]["col_trend"]),
            ],
        )
    )
    text = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(fontSize=12, fontWeight="bold", color="#222")
        .encode(longitude="lon:Q", latitude="lat:Q", text="label:N")
    )
    chart = alt.layer(base, text).project("mercator").properties(width="container", height=360, title=title)
    return _spec(chart.configure_view(stroke=None).configure_legend(orient="bottom", columns=2, labelLimit=200))


def locator_map(
    iso3s: tuple[str, ...], highlight: Iterable[str], *, title: str, bundle: Path | None = None, lang: str = "en"
) -> Spec:
    """The region with the given countries highlighted: where a country or dyad lies (names in ``lang``)."""
    marked = set(highlight)
    words = strings(lang)
    shapes = [
        {**f, "properties": {**_named(f, words), "here": f["properties"]["iso3"] in marked}}
        for f, _ in _features(iso3s, bundle)
    ]
    chart = (
        alt.Chart(alt.Data(values=shapes))
        .mark_geoshape(stroke="#ffffff")
        .encode(
            color=alt.condition("datum.properties.here", alt.value("#2c7fb8"), alt.value("#d9d9d9")),
            tooltip=[alt.Tooltip("properties.name:N")],
        )
    )
    return _spec(
        chart.project("mercator").properties(width="container", height=220, title=title).configure_view(stroke=None)
    )


def stage_history_chart(rows: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """One coloured cell per month on the conflict curve, stages named in ``lang``."""
    words = strings(lang)["stage"]
    values = [{"month": r["month"], "stage": words[r.get("stage") or "unknown"]} for r in rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_rect()
        .encode(
            x=alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=-90)),
            y=alt.Y("stage:N", sort=[words[s] for s in LEGEND], title=None),
            color=alt.Color("stage:N", scale=_stage_scale(lang), legend=None),
            tooltip=["month:T", "stage:N"],
        )
    )
    return _spec(chart.properties(width="container", height=160, title=title))


def group_counts_chart(rows: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """Events per month, stacked by priority group (named in ``lang``)."""
    names = strings(lang)["priority_group"]
    values = [{**r, "group": names.get(str(r["group"]), r["group"])} for r in rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("sum(events):Q", title=None, axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("group:N", title=None),
            tooltip=["month:T", "group:N", "events:Q"],
        )
    )
    return _spec(
        chart.properties(width="container", height=200, title=title).configure_legend(
            orient="bottom", columns=2, labelLimit=320
        )
    )


def forecast_chart(horizons: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """The median forecast with its 50 % and 90 % intervals."""
    data = alt.Data(values=list(horizons))
    band90 = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color="#2c7fb8")
        .encode(x=alt.X("month:T", title=None), y=alt.Y("low90:Q", title=None), y2="high90:Q")
    )
    band50 = alt.Chart(data).mark_area(opacity=0.45, color="#2c7fb8").encode(x="month:T", y="low50:Q", y2="high50:Q")
    median = (
        alt.Chart(data)
        .mark_line(point=True, color="#08306b")
        .encode(x="month:T", y="median:Q", tooltip=["month:T", "median:Q", "low90:Q", "high90:Q"])
    )
    return _spec(alt.layer(band90, band50, median).properties(width="container", height=200, title=title))


def grouped_bars(rows: Sequence[Mapping[str, Any]], *, x: str, y: str, colour: str, title: str) -> Spec:
    """Bars of ``y`` by ``x``, side by side by ``colour`` (backtest scores by horizon, benefits by scenario)."""
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=None),  # in the order of the rows
            xOffset=f"{colour}:N",
            y=alt.Y(f"{y}:Q", title=None),
            color=alt.Color(f"{colour}:N", title=None),
            tooltip=[f"{x}:N", f"{colour}:N", f"{y}:Q"],
        )
    )
    return _spec(chart.properties(width="container", height=240, title=title).configure_legend(orient="bottom"))


def stability_heatmap(rows: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """States × solution concepts, shaded by how many decision makers find the state stable.

    The rows go into the spec as plain values: wrapping them in Altair's ``Data`` took about a second per thousand
    rows (a GMCR page has four per state)."""
    chart = (
        alt.Chart()
        .mark_rect()
        .encode(
            x=alt.X("concept:N", title=None, sort=["nash", "gmr", "smr", "seq"]),
            y=alt.Y("state:N", title=None, sort=None),
            color=alt.Color("stable_for:Q", title=None, scale=alt.Scale(scheme="greens")),
            tooltip=["state:N", "concept:N", "stable_for:Q"],
        )
    )
    return {**_spec(chart.properties(width="container", title=title)), "data": {"values": list(rows)}}


BASINS: dict[str, dict[str, tuple[str, ...]]] = {
    "syr-darya": {
        "riparians": ("KGZ", "TJK", "UZB", "KAZ"),
        "rivers": ("Syr  Darya", "Naryn"),
        "waters": ("Toktogul Suu Saktagychy", "Obanbori Qayroqum", "Shardara Bgeni", "Aydar Ko‘l", "Aral Sea"),
    },
    "amu-darya": {
        "riparians": ("TJK", "AFG", "UZB", "TKM", "KGZ"),
        "rivers": ("Amu  Darya", "Panj", "Pamir", "Zarafshon"),
        "waters": ("Aral Sea", "Sarygamysh Köli"),
    },
}


@lru_cache(maxsize=8)
def _natural_earth_layer(layer: str, names: tuple[str, ...], bundle: Path | None) -> tuple[dict[str, Any], ...]:
    """Named features of one of the bundle's regional Natural Earth layers, rounded and rewound for drawing."""
    if bundle is None:
        return ()
    data = json.loads((bundle / layer).read_text(encoding="utf-8"))
    picked = []
    for f in data["features"]:
        if f["properties"].get("name") in names:
            geometry = rewind(f["geometry"])
            picked.append(
                {
                    "type": "Feature",
                    "properties": {"name": f["properties"]["name"]},
                    "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
                }
            )
    return tuple(picked)


def basin_map(basin: str, *, title: str, bundle: Path | None, lang: str = "en") -> Spec:
    """The basin's riparian states (named in ``lang``), its rivers and its reservoirs and lakes (named as Natural
    Earth records them), from the bundle's Natural Earth files."""
    parts = BASINS[basin]
    words = strings(lang)
    countries = [{**f, "properties": _named(f, words)} for f, _ in _features(parts["riparians"], bundle)]
    rivers = _natural_earth_layer(BUNDLE.rivers, parts["rivers"], bundle)
    waters = _natural_earth_layer(BUNDLE.lakes, parts["waters"], bundle)
    land = (
        alt.Chart(alt.Data(values=countries))
        .mark_geoshape(fill="#f2efe6", stroke="#999")
        .encode(tooltip=[alt.Tooltip("properties.name:N")])
    )
    lines = alt.Chart(alt.Data(values=list(rivers))).mark_geoshape(filled=False, stroke="#2c7fb8", strokeWidth=2)
    lakes = (
        alt.Chart(alt.Data(values=list(waters)))
        .mark_geoshape(fill="#6baed6", stroke="#2c7fb8")
        .encode(tooltip=[alt.Tooltip("properties.name:N")])
    )
    chart = alt.layer(land, lines, lakes).project("mercator").properties(width="container", height=320, title=title)
    return _spec(chart.configure_view(stroke=None))


def risk_map(
    iso3s: tuple[str, ...],
    risk: Mapping[str, float],
    points: Sequence[Mapping[str, Any]] = (),
    *,
    title: str,
    legend: str,
    bundle: Path | None = None,
    lang: str = "en",
) -> Spec:
    """The countries coloured by a probability (P(any death) next month), and the provinces' label points as dots
    coloured on the same scale (``points``: ``{"lon", "lat", "name", "p"}``)."""
    words = strings(lang)
    scale = alt.Scale(domain=[0, 1], scheme="orangered")
    shapes = []
    for feature, _ in _features(iso3s, bundle):
        properties = {**_named(feature, words), "p": risk.get(feature["properties"]["iso3"])}
        shapes.append({**feature, "properties": properties})
    countries = (
        alt.Chart(alt.Data(values=shapes))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color("properties.p:Q", scale=scale, title=legend),
            tooltip=[alt.Tooltip("properties.name:N"), alt.Tooltip("properties.p:Q", format=".0%", title=legend)],
        )
    )
    provinces = (
        alt.Chart(alt.Data(values=list(points)))
        .mark_circle(size=40, stroke="#333333", strokeWidth=0.5, opacity=0.9)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color("p:Q", scale=scale, legend=None),
            tooltip=[alt.Tooltip("name:N"), alt.Tooltip("p:Q", format=".0%", title=legend)],
        )
    )
    layers = alt.layer(countries, provinces) if points else countries
    return _spec(layers.project(type="mercator").properties(width="container", height=320, title=title))


def reliability_chart(rows: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """Observed frequency against mean forecast probability per bin, by horizon and scope (``rows``: ``{"horizon",
    "scope", "forecast", "observed", "n"}``), beside the diagonal a calibrated forecast follows."""
    data = alt.Data(values=[r for r in rows if r.get("forecast") is not None])
    diagonal = (
        alt.Chart(alt.Data(values=[{"x": 0, "y": 0}, {"x": 1, "y": 1}]))
        .mark_line(color="#999999", strokeDash=[4, 4])
        .encode(x="x:Q", y="y:Q")
    )
    points = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("forecast:Q", title="forecast", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("observed:Q", title="observed", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("scope:N", title=None),
            strokeDash=alt.StrokeDash("horizon:N", title=None),
            tooltip=["horizon:N", "scope:N", alt.Tooltip("forecast:Q", format=".3f"),
                     alt.Tooltip("observed:Q", format=".3f"), "n:Q"],
        )
    )  # fmt: skip
    chart = alt.layer(diagonal, points).properties(width="container", height=260, title=title)
    return _spec(chart.configure_legend(orient="bottom"))


def pit_chart(rows: Sequence[Mapping[str, Any]], *, title: str) -> Spec:
    """The PIT histogram (``rows``: ``{"horizon", "scope", "bin", "share"}``): flat when the counts are calibrated."""
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar()
        .encode(
            x=alt.X("bin:O", title="PIT", sort=None),
            xOffset="scope:N",
            y=alt.Y("share:Q", title=None),
            color=alt.Color("scope:N", title=None),
            column=alt.Column("horizon:N", title=None),
            tooltip=["horizon:N", "scope:N", "bin:O", alt.Tooltip("share:Q", format=".3f")],
        )
    )
    return _spec(chart.properties(width=140, height=160, title=title).configure_legend(orient="bottom"))
