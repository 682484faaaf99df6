"""The admin-1-month target: deaths per province of Central Asia and Afghanistan.

The bundle has the region's admin-1 *label points* (``ne_10m_admin_1_label_points_CA_AFG.geojson``, 96 points)
and no admin-1 polygons, so a province is the Voronoi cell of its label points within its own country: an event
belongs to the province whose label point is nearest, among the provinces of the event's country (the source's
country, so an event is never moved across a border). A province with several label points (Balkan, Leninabad,
Ferghana, Mangghystau...) is the union of their cells; Kazakhstan's "minor island" points are not provinces and are
left out. Names are Natural Earth's, some of them Soviet-era (Leninabad is Sughd, Tashauz Dashoguz, Chardzhou
Lebap). Near a boundary between provinces a Voronoi cell is not the province — tests check the assignment against
the admin-1 names the official GED rows carry.

Values are UCDP ``best`` deaths of the geolocated events (:mod:`prevdip.forecast.geolocated`); a province's
neighbours are the provinces whose label points lie within ``NEIGHBOUR_KM``, across borders too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.forecast.borders import EARTH_RADIUS_KM
from prevdip.forecast.geolocated import monthly_sums, read_geolocated, target_events
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import PROVINCE_TARGET
from prevdip.geo import home_region

NEIGHBOUR_KM = 300.0


@dataclass(frozen=True)
class LabelPoints:
    """The province of each label point (unit code ``ISO3:Name``), and the points' coordinates."""

    province: tuple[str, ...]
    longitude: np.ndarray
    latitude: np.ndarray

    @property
    def country(self) -> tuple[str, ...]:
        return tuple(p.split(":", 1)[0] for p in self.province)


def read_label_points(bundle: Path) -> LabelPoints:
    path = bundle / BUNDLE.admin1_label_points
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="the bundle's admin-1 label points define the provinces")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    wanted = set(home_region().iso3s)
    rows = [
        (f"{f['properties']['sr_adm0_a3']}:{f['properties']['name']}", *f["geometry"]["coordinates"][:2])
        for f in features
        if f["properties"].get("sr_adm0_a3") in wanted and "minor island" not in str(f["properties"].get("name"))
    ]
    if not rows:
        raise RefusedInput(f"{path}: no label points of {', '.join(sorted(wanted))}", hint="expected Natural Earth's")
    return LabelPoints(tuple(r[0] for r in rows), np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))


def _km(lon0: np.ndarray, lat0: np.ndarray, lon1: np.ndarray, lat1: np.ndarray) -> np.ndarray:
    """Great-circle distances (haversine), every first point × every second."""
    p0, p1 = np.radians(lat0)[:, None], np.radians(lat1)[None, :]
    dlon = np.radians(lon1[None, :] - lon0[:, None])
    h = np.sin((p1 - p0) / 2) ** 2 + np.cos(p0) * np.cos(p1) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1))))


def assign_provinces(events: pd.DataFrame, points: LabelPoints) -> np.ndarray:
    """For each event, the label point nearest to it in its own country (−1 outside the region)."""
    out = np.full(len(events), -1)
    countries = np.array(points.country)
    for country in np.unique(countries):
        mine = np.flatnonzero(countries == country)
        rows = np.flatnonzero(events["country"].to_numpy() == country)
        if len(rows):
            lon, lat = events["longitude"].to_numpy()[rows], events["latitude"].to_numpy()[rows]
            distances = _km(lon, lat, points.longitude[mine], points.latitude[mine])
            out[rows] = mine[distances.argmin(axis=1)]
    return out


def province_neighbours(units: tuple[str, ...], points: LabelPoints) -> tuple[np.ndarray, ...]:
    """Provinces with a label point within ``NEIGHBOUR_KM`` of one of the province's own."""
    close = _km(points.longitude, points.latitude, points.longitude, points.latitude) <= NEIGHBOUR_KM
    index = {u: i for i, u in enumerate(units)}
    of_point = np.array([index[p] for p in points.province])
    out = []
    for i in range(len(units)):
        near = np.unique(of_point[close[of_point == i].any(axis=0)])
        out.append(near[near != i].astype(np.int64))
    return tuple(out)


def load_provinces(bundle: Path, workspace: Path | None = None) -> TargetPanel:
    """Deaths per province of the five states and Afghanistan and month, from the workspace's event lake."""
    events, months = target_events(read_geolocated(workspace))
    if not len(months):
        raise RefusedInput(
            "the event lake holds no geolocated UCDP or ACLED events", hint="run `prevdip ingest bundle` first"
        )
    points = read_label_points(bundle)
    units = tuple(sorted(set(points.province)))
    point = assign_provinces(events, points)
    inside = point >= 0
    unit_of_point = np.array([units.index(p) for p in points.province])
    values = monthly_sums(
        unit_of_point[point[inside]], events["month"][inside], events["deaths"].to_numpy(float)[inside], len(units),
        months,
    )  # fmt: skip
    return TargetPanel(PROVINCE_TARGET, units, months, values, province_neighbours(units, points))
