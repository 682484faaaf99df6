"""Charts and maps as Vega-Lite specifications, built with Altair, for the dashboard (drawn in the browser by the
vendored Vega) and the briefs (turned into SVG by vl-convert, no browser): one spec, two media.

Specs carry no ``$schema`` URL, so no page or brief names an outside host; maps draw the bundle's Natural Earth
outlines (rings already rewound by :mod:`prevdip.geo`), never tiles.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt

from prevdip.briefs.locale import strings
from prevdip.briefs.locale.terms import place
from prevdip.catalogue import BUNDLE
from prevdip.geo import border_midpoints, dyads_within, find_country, outlines_feature_collection, rewind
from prevdip.signals import STAGES

LEGEND = (*STAGES, "unknown")  # the signals' stages, and a unit whose stage is not known
STAGE_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#91bfdb", "#d9d9d9")
ROW_PX = 20  # one state's row in the GMCR stability heatmap
TREND_ARROWS = {"deteriorated": "↓", "improved": "↑", "unchanged": "→"}
Spec = dict[str, Any]


def _months(lang: str, *, step: int = 1, field: str = "month") -> alt.X:
    """A monthly time axis: a tick every ``step`` months labelled "Jun 2022" (never the days Vega picks by itself),
    titled in ``lang``."""
    axis = alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": step}, labelAngle=-45, labelOverlap=True)
    return alt.X(f"yearmonth({field}):T", title=strings(lang)["chart"]["month"], axis=axis)


def _in_language(spec: Spec, lang: str) -> Spec:
    """``spec`` with Vega's time locale in ``lang``: month names on the axes and in the tooltips ("июн 2022")."""
    said = strings(lang)["chart"]
    time = {
        "dateTime": "%x, %X",
        "date": "%d.%m.%Y" if lang == "ru" else "%m/%d/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": said["days"].split(","),
        "shortDays": said["short_days"].split(","),
        "months": said["months"].split(","),
        "shortMonths": said["short_months"].split(","),
    }
    spec.setdefault("config", {})["locale"] = {"time": time}
    return spec


def _figures(title: str, *, whole: bool = False) -> alt.Axis:
    """A value axis with its unit in the title, and figures as people read them (never "0.000000")."""
    return alt.Axis(title=title, format="d" if whole else ",~g", tickMinStep=1 if whole else alt.Undefined)


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
    links: str | None = None,
    dyad_links: str | None = None,
) -> Spec:
    """The region coloured by stage, each country labelled with its code and trend arrow, and each border dyad among
    ``units`` a diamond on its shared border coloured the same way; legend and tooltips in ``lang``; with ``links``
    (a path with ``{iso3}``, on the dashboard) a click on a country opens its page, with ``dyad_links`` (a path with
    ``{dyad}``) a click on a dyad.

    ``units`` maps ISO3 or a dyad's code (``KGZ-TJK``) to ``{"stage": ..., "trend": ...}`` (either may be missing:
    drawn as "no data"); a dyad is drawn only when it is among ``units`` (the brief's printed map has none).
    """
    words = strings(lang)
    shapes, labels = [], []
    for feature, (lon, lat) in _features(iso3s, bundle):
        iso3 = feature["properties"]["iso3"]
        props = {**_named(feature, words), **_stage_of(iso3, units, words, links and links.format(iso3=iso3))}
        shapes.append({**feature, "properties": props})
        arrow = TREND_ARROWS.get(units.get(iso3, {}).get("trend") or "", "")
        labels.append({"lon": lon, "lat": lat, "label": f"{iso3} {arrow}".strip()})
    base = (
        alt.Chart(alt.Data(values=shapes))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(**_unit_encoding("properties.", words, lang, linked=links is not None))
    )
    text = (
        alt.Chart(alt.Data(values=labels))
        .mark_text(fontSize=12, fontWeight="bold", color="#222")
        .encode(longitude="lon:Q", latitude="lat:Q", text="label:N")
    )
    layers = [base, text]
    marks = _dyad_marks(iso3s, units, words, dyad_links, bundle)
    if marks:
        diamonds = (
            alt.Chart(alt.Data(values=marks))
            .mark_point(shape="diamond", size=220, filled=True, stroke="#222", strokeWidth=1.5, opacity=1)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                description="name:N",  # the diamond's accessible name: both states
                **_unit_encoding("", words, lang, linked=dyad_links is not None),
            )
        )
        layers.append(diamonds)
    chart = alt.layer(*layers).project("mercator").properties(width="container", height=360, title=title)
    return _spec(chart.configure_view(stroke=None).configure_legend(orient="bottom", columns=2, labelLimit=200))


def _unit_encoding(prefix: str, words: Mapping[str, Mapping[str, str]], lang: str, *, linked: bool) -> dict[str, Any]:
    """Colour by stage, a tooltip naming the unit with its stage and trend, and (``linked``) its page: the same for
    a country's shape and a dyad's mark (``prefix``: where the fields sit in the mark's data)."""
    said = words["overview"]
    encoding: dict[str, Any] = {
        "color": alt.Color(f"{prefix}stage:N", scale=_stage_scale(lang), title=said["col_stage"]),
        "tooltip": [
            alt.Tooltip(f"{prefix}name:N", title=said["col_unit"]),
            alt.Tooltip(f"{prefix}stage:N", title=said["col_stage"]),
            alt.Tooltip(f"{prefix}trend:N", title=said["col_trend"]),
        ],
    }
    return {**encoding, "href": alt.Href(f"{prefix}url:N")} if linked else encoding


def _stage_of(
    code: str,
    units: Mapping[str, Mapping[str, Any]],
    words: Mapping[str, Mapping[str, str]],
    url: str | None,
) -> dict[str, str]:
    """A unit's stage and trend in ``words`` ("no data" where missing) and, on the dashboard, its page's ``url``."""
    unit = units.get(code, {})
    stage, trend = unit.get("stage") or "unknown", unit.get("trend") or "unknown"
    said = {"stage": words["stage"][stage], "trend": words["trend"][trend]}
    return {**said, "url": url} if url else said


def _dyad_marks(
    iso3s: tuple[str, ...],
    units: Mapping[str, Mapping[str, Any]],
    words: Mapping[str, Mapping[str, str]],
    links: str | None,
    bundle: Path | None,
) -> list[dict[str, Any]]:
    """A mark on the shared border of each dyad of ``iso3s`` among ``units``, named by both states in ``words``."""
    drawn = [d for d in dyads_within(iso3s) if d.code in units]
    if not drawn or bundle is None:
        return []
    points = border_midpoints(bundle)
    marks = []
    for d in drawn:
        lon, lat = points[(d.a, d.b)]
        said = _stage_of(d.code, units, words, links and links.format(dyad=d.code))
        marks.append({"lon": lon, "lat": lat, "name": place(d.code, d.code, words), **said})
    return marks


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
            tooltip=[alt.Tooltip("properties.name:N", title=words["events"]["country"])],
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
    return _in_language(_spec(chart.properties(width="container", height=160, title=title)), lang)


def group_counts_chart(rows: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """Events per month, stacked by priority group (named in ``lang``)."""
    names = strings(lang)["priority_group"]
    values = [{**r, "group": names.get(str(r["group"]), r["group"])} for r in rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=_months(lang, step=3),
            y=alt.Y("sum(events):Q", axis=_figures(strings(lang)["chart"]["events"], whole=True)),
            color=alt.Color("group:N", title=None),
            tooltip=[alt.Tooltip("yearmonth(month):T", format="%b %Y"), "group:N", "events:Q"],
        )
    )
    return _in_language(
        _spec(
            chart.properties(width="container", height=200, title=title).configure_legend(
                orient="bottom", columns=2, labelLimit=320
            )
        ),
        lang,
    )


def forecast_chart(horizons: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """The median forecast of deaths with its 50 % and 90 % intervals, month by month."""
    data = alt.Data(values=list(horizons))
    month = _months(lang)
    band90 = (
        alt.Chart(data)
        .mark_area(opacity=0.25, color="#2c7fb8")
        .encode(x=month, y=alt.Y("low90:Q", axis=_figures(strings(lang)["chart"]["deaths"])), y2="high90:Q")
    )
    band50 = alt.Chart(data).mark_area(opacity=0.45, color="#2c7fb8").encode(x=month, y="low50:Q", y2="high50:Q")
    median = (
        alt.Chart(data)
        .mark_line(point=True, color="#08306b")
        .encode(
            x=month,
            y="median:Q",
            tooltip=[alt.Tooltip("yearmonth(month):T", format="%b %Y"), "median:Q", "low90:Q", "high90:Q"],
        )
    )
    return _in_language(
        _spec(alt.layer(band90, band50, median).properties(width="container", height=200, title=title)), lang
    )


def grouped_bars(
    rows: Sequence[Mapping[str, Any]],
    *,
    x: str,
    y: str,
    colour: str,
    title: str,
    unit: str | None = None,
    whole: bool = False,
    names: Mapping[str, str] | None = None,
) -> Spec:
    """Bars of ``y`` by ``x``, side by side by ``colour`` (backtest scores by horizon, benefits by scenario), the
    value axis titled with its ``unit`` (in whole numbers, ``whole``, where "1.8e+3" would stand for 1800); a long
    title in lines that fit a phone; ``names`` titles the fields in the tooltip in the reader's language."""
    said = names or {}
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=None),  # in the order of the rows
            xOffset=f"{colour}:N",
            y=alt.Y(f"{y}:Q", axis=_figures(unit or y, whole=whole)),
            color=alt.Color(f"{colour}:N", title=None),
            tooltip=[
                alt.Tooltip(f"{x}:N", title=said.get(x, x)),
                alt.Tooltip(f"{colour}:N", title=said.get(colour, colour)),
                alt.Tooltip(f"{y}:Q", title=said.get(y, unit or y), format=",~g"),
            ],
        )
    )
    legend = {"orient": "bottom", "columns": 1, "labelLimit": 320}  # names whole, one per line on a phone
    return _spec(chart.properties(width="container", height=240, title=_lines(title)).configure_legend(**legend))


def _lines(title: str, width: int = 32) -> str | list[str]:
    """A title as lines of at most ``width`` characters (Vega draws a list as lines): a 390 px phone cuts a long
    one-line title at both ends."""
    lines = textwrap.wrap(title, width)
    return title if len(lines) < 2 else lines


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
    # As wide as its card, and as tall as its states need, in pixels: a height left to the states' step would make
    # Vega-Lite drop the container's fit with a console warning (a discrete height cannot be fitted).
    states = len({row["state"] for row in rows})
    fitted = chart.properties(width="container", height=max(ROW_PX * states, 60), title=title)
    return {**_spec(fitted), "data": {"values": list(rows)}}


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


# What each symbol of a basin map means, in the order its legend lists them: (SVG path in a 2×2 box around 0, fill,
# stroke). The same paths draw the map's marks (Vega takes an SVG path as a shape) and the legend beside it, so the
# two cannot disagree. Rivers are lines and the riparian states areas: the legend draws those from their own rows.
BASIN_SYMBOLS: dict[str, tuple[str, str, str]] = {
    "reservoir": ("M0,-1A1,1,0,1,1,0,1A1,1,0,1,1,0,-1Z", "#2171b5", "#08306b"),
    "hydropower": ("M0,-1L1,0.8L-1,0.8Z", "#fd8d3c", "#7f2704"),
    "irrigation": ("M-0.8,-0.8H0.8V0.8H-0.8Z", "#74c476", "#00441b"),
    "lake": ("M0,-1L1,0L0,1L-1,0Z", "#6baed6", "#08306b"),
    "planned": ("M0,-1L0.29,-0.4L0.95,-0.31L0.47,0.15L0.59,0.81L0,0.5L-0.59,0.81L-0.47,0.15L-0.95,-0.31L-0.29,-0.4Z",
                "#ffffff", "#d62728"),
    "river": ("M-1,0H1", "none", "#2c7fb8"),
    "state": ("M-1,-0.7H1V0.7H-1Z", "#f2efe6", "#999999"),
}  # fmt: skip


def basin_map(
    basin: str,
    *,
    title: str,
    bundle: Path | None,
    lang: str = "en",
    nodes: Sequence[Mapping[str, Any]] = (),
) -> Spec:
    """The basin's riparian states (named in ``lang``), its rivers, lakes and reservoirs from the bundle's Natural
    Earth files, and the model's own places (``nodes``: ``{"lon", "lat", "key", "name", "symbol"}``, named in
    ``lang``, ``symbol`` a key of :data:`BASIN_SYMBOLS`, ``key`` the number the page's key lists it by) marked and
    numbered; the page sets the legend and the key beside it."""
    parts = BASINS[basin]
    words = strings(lang)
    countries = [{**f, "properties": _named(f, words)} for f, _ in _features(parts["riparians"], bundle)]
    rivers = _natural_earth_layer(BUNDLE.rivers, parts["rivers"], bundle)
    waters = _natural_earth_layer(BUNDLE.lakes, parts["waters"], bundle)
    _, state_fill, state_stroke = BASIN_SYMBOLS["state"]
    _, _, river = BASIN_SYMBOLS["river"]
    land = (
        alt.Chart(alt.Data(values=countries))
        .mark_geoshape(fill=state_fill, stroke=state_stroke, clip=True)
        .encode(tooltip=[alt.Tooltip("properties.name:N", title=strings(lang)["events"]["country"])])
    )
    lines = alt.Chart(alt.Data(values=list(rivers))).mark_geoshape(filled=False, stroke=river, strokeWidth=2, clip=True)
    lakes = alt.Chart(alt.Data(values=list(waters))).mark_geoshape(
        fill="#c6dbef", stroke=river, strokeWidth=0.5, clip=True
    )
    layers: list[Any] = [land, lines, lakes]
    projection = alt.Projection(type="mercator")
    if nodes:
        layers += _node_layers(list(nodes))
        projection = alt.Projection(type="mercator", fit=_frame(list(nodes), rivers))
    chart = alt.layer(*layers).properties(width="container", height=360, title=_lines(title), projection=projection)
    return _spec(chart.configure_view(stroke=None))


def _frame(nodes: list[Mapping[str, Any]], rivers: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What the map fits: the basin's rivers and the model's places; the riparian states' outer reaches (the far
    steppe of Kazakhstan) are cut at the frame, so the crowded valleys get the room."""
    margin = 0.6  # degrees around the places, so a mark at the edge keeps its number inside the frame
    lons, lats = [n["lon"] for n in nodes], [n["lat"] for n in nodes]
    corners = [[min(lons) - margin, min(lats) - margin], [max(lons) + margin, max(lats) + margin]]
    points = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": corners}}
    return {"type": "FeatureCollection", "features": [*rivers, points]}


def _node_layers(nodes: list[Mapping[str, Any]]) -> list[Any]:
    """The model's places as symbols (shape and colours from :data:`BASIN_SYMBOLS`), each numbered as the key under
    the map lists it: a number stays legible where a dozen places crowd the Fergana valley, a name would not."""
    kinds = list(dict.fromkeys(n["symbol"] for n in nodes))
    scale = {k: alt.Scale(domain=kinds, range=[BASIN_SYMBOLS[s][k] for s in kinds]) for k in (0, 1, 2)}
    data = alt.Data(values=nodes)
    marks = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, strokeWidth=1.2, opacity=1)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            shape=alt.Shape("symbol:N", scale=scale[0], legend=None),
            fill=alt.Fill("symbol:N", scale=scale[1], legend=None),
            stroke=alt.Stroke("symbol:N", scale=scale[2], legend=None),
            description="name:N",
            tooltip=alt.Tooltip("name:N"),  # the name alone
        )
    )
    numbers = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", dx=6, fontSize=10, fontWeight="bold", color="#222")
        .encode(longitude="lon:Q", latitude="lat:Q", text="key:N")
    )
    return [marks, numbers]


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
            tooltip=[
                alt.Tooltip("properties.name:N", title=words["forecasts"]["col_unit"]),
                alt.Tooltip("properties.p:Q", format=".0%", title=legend),
            ],
        )
    )
    provinces = (
        alt.Chart(alt.Data(values=list(points)))
        .mark_circle(size=40, stroke="#333333", strokeWidth=0.5, opacity=0.9)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color("p:Q", scale=scale, legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=words["forecasts"]["provinces"]),
                alt.Tooltip("p:Q", format=".0%", title=legend),
            ],
        )
    )
    layers = alt.layer(countries, provinces) if points else countries
    return _spec(layers.project(type="mercator").properties(width="container", height=320, title=title))


def reliability_chart(rows: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """Observed frequency against mean forecast probability per bin, by horizon and scope (``rows``: ``{"horizon",
    "scope", "forecast", "observed", "n"}``, horizon and scope already in words), beside the diagonal a calibrated
    forecast follows; axes and tooltips in ``lang``."""
    said = strings(lang)["chart"]
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
            x=alt.X("forecast:Q", title=said["forecast_probability"], scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("observed:Q", title=said["observed_frequency"], scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("scope:N", title=None),
            strokeDash=alt.StrokeDash("horizon:N", title=None),
            tooltip=[*_horizon_and_scope(said),
                     alt.Tooltip("forecast:Q", format=".3f", title=said["forecast_probability"]),
                     alt.Tooltip("observed:Q", format=".3f", title=said["observed_frequency"]),
                     alt.Tooltip("n:Q", title=said["forecasts_in_bin"])],
        )
    )  # fmt: skip
    chart = alt.layer(diagonal, points).properties(width="container", height=260, title=title)
    return _spec(chart.configure_legend(orient="bottom"))


def pit_chart(rows: Sequence[Mapping[str, Any]], *, title: str, lang: str = "en") -> Spec:
    """The PIT histogram (``rows``: ``{"horizon", "scope", "bin", "share"}``, horizon and scope in words): flat when
    the counts are calibrated; axes and tooltips in ``lang``."""
    said = strings(lang)["chart"]
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar()
        .encode(
            x=alt.X("bin:O", title=said["pit"], sort=None),
            xOffset="scope:N",
            y=alt.Y("share:Q", title=said["pit_share"]),
            color=alt.Color("scope:N", title=None),
            column=alt.Column("horizon:N", title=None, sort=None),
            tooltip=[*_horizon_and_scope(said), alt.Tooltip("bin:O", title=said["pit"]),
                     alt.Tooltip("share:Q", format=".3f", title=said["pit_share"])],
        )
    )  # fmt: skip
    return _spec(chart.properties(width=140, height=160, title=title).configure_legend(orient="bottom"))


def _horizon_and_scope(said: Mapping[str, str]) -> list[alt.Tooltip]:
    return [alt.Tooltip("horizon:N", title=said["horizon"]), alt.Tooltip("scope:N", title=said["scope"])]


def events_map(
    marks: Sequence[Mapping[str, Any]],
    iso3s: Iterable[str],
    *,
    title: str,
    bundle: Path | None = None,
    lang: str = "en",
) -> Spec:
    """Filtered events as marks over the outlines of the region's countries among ``iso3s``: one circle per mark
    (``latitude``, ``longitude``, ``events``, ``deaths``), its area by the events it holds — a dense place is one
    large circle, a lone event a small point; tooltips in ``lang``."""
    words = strings(lang)["events"]
    outlined = tuple(sorted({c for c in iso3s if find_country(c) is not None}))
    points = (
        alt.Chart(alt.Data(values=list(marks)))
        .mark_circle(color="#b2182b", opacity=0.6, stroke="#67001f", strokeWidth=0.5)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("events:Q", scale=alt.Scale(type="sqrt", range=[12, 900]), title=words["map_events"]),
            tooltip=[
                alt.Tooltip("events:Q", title=words["map_events"], format=","),
                alt.Tooltip("deaths:Q", title=words["map_deaths"], format=","),
            ],
        )
    )
    layers: list[Any] = [points]
    if outlined:
        shapes = [{**f, "properties": _named(f, strings(lang))} for f, _ in _features(outlined, bundle)]
        outlines = (
            alt.Chart(alt.Data(values=shapes))
            .mark_geoshape(fill="#f0f0f0", stroke="#969696", strokeWidth=0.8)
            .encode(tooltip=[alt.Tooltip("properties.name:N", title=words["country"])])
        )
        layers.insert(0, outlines)
    chart = alt.layer(*layers).project("mercator").properties(width="container", height=420, title=title)
    return _spec(chart.configure_view(stroke=None).configure_legend(orient="bottom"))
