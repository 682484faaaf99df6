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
from prevdip.geo import find_country, outlines_feature_collection, rewind
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
) -> Spec:
    """The region coloured by stage, each country labelled with its code and trend arrow; legend and tooltips in
    ``lang``; with ``links`` (a path with ``{iso3}``, on the dashboard) a click on a country opens its page.

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
        if links:
            props["url"] = links.format(iso3=iso3)
        shapes.append({**feature, "properties": props})
        labels.append({"lon": lon, "lat": lat, "label": f"{iso3} {arrow}".strip()})
    base = (
        alt.Chart(alt.Data(values=shapes))
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color("properties.stage:N", scale=_stage_scale(lang), title=words["overview"]["col_stage"]),
            **({"href": alt.Href("properties.url:N")} if links else {}),
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
    names: Mapping[str, str] | None = None,
) -> Spec:
    """Bars of ``y`` by ``x``, side by side by ``colour`` (backtest scores by horizon, benefits by scenario), the
    value axis titled with its ``unit``; ``names`` titles the fields in the tooltip in the reader's language."""
    said = names or {}
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=None, sort=None),  # in the order of the rows
            xOffset=f"{colour}:N",
            y=alt.Y(f"{y}:Q", axis=_figures(unit or y)),
            color=alt.Color(f"{colour}:N", title=None),
            tooltip=[
                alt.Tooltip(f"{field}:{kind}", title=said.get(field, field))
                for field, kind in ((x, "N"), (colour, "N"), (y, "Q"))
            ],
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
            .encode(tooltip=[alt.Tooltip("properties.name:N")])
        )
        layers.insert(0, outlines)
    chart = alt.layer(*layers).project("mercator").properties(width="container", height=420, title=title)
    return _spec(chart.configure_view(stroke=None).configure_legend(orient="bottom"))
