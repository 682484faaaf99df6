"""Distance from an event to the region's land borders, from the bundle's Natural Earth 10m boundary lines.

DuckDB's spatial extension cannot be installed offline, so distances are computed here: each boundary line is
densified to points at most ``STEP_KM`` apart and put in a k-d tree of unit vectors; the nearest point's chord
length gives the great-circle distance to within ``STEP_KM / 2``, which is far below the precision of the events'
own coordinates (UCDP and ACLED place many events at a district centre).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput
from prevdip.geo._countries import find_country

EARTH_KM = 6371.0088
STEP_KM = 1.0


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def _densify(line: list[list[float]]) -> np.ndarray:
    """Points along a line (lon, lat) no more than STEP_KM apart, as (lat, lon) rows (vectorised per line)."""
    coords = np.asarray(line, dtype=float)[:, :2]
    start, end = coords[:-1], coords[1:]
    mid_lat = np.radians((start[:, 1] + end[:, 1]) / 2)
    km = np.hypot((end[:, 0] - start[:, 0]) * 111.32 * np.cos(mid_lat), (end[:, 1] - start[:, 1]) * 110.57)
    steps = np.maximum(1, np.ceil(km / STEP_KM).astype(int))
    segment = np.repeat(np.arange(len(steps)), steps)
    offset = np.arange(len(segment)) - np.repeat(np.cumsum(steps) - steps, steps)
    t = ((offset + 1) / steps[segment])[:, None]
    points = np.vstack((coords[:1], start[segment] + (end[segment] - start[segment]) * t))
    return points[:, ::-1]


def _iso3(code: str | None) -> str | None:
    if not code:
        return None
    found = find_country(code)
    if found is not None:
        return found.iso3
    # Natural Earth uses ADM0_A3 codes; those equal ISO3 for every real state outside the region's crosswalk
    # (KAS Kashmir and KAB Baikonur are areas, not states, and are skipped).
    return code if code not in {"KAS", "KAB"} else None


@lru_cache(maxsize=4)
def _shared_lines(bundle: Path) -> dict[tuple[str, str], tuple[list[list[float]], ...]]:
    """The boundary lines (lon, lat vertices) each pair of countries shares, keyed (a, b) with a < b."""
    path = bundle / BUNDLE.land_boundaries
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="set PREVDIP_BUNDLE to the reference bundle")
    shared: dict[tuple[str, str], list[list[list[float]]]] = {}
    for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
        p = feature["properties"]
        left, right = _iso3(p.get("adm0_a3_l")), _iso3(p.get("adm0_a3_r"))
        if left is None or right is None or left == right:
            continue
        a, b = sorted((left, right))
        geometry = feature["geometry"]
        lines = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        shared.setdefault((a, b), []).extend(line for line in lines if len(line) >= 2)
    return {pair: tuple(lines) for pair, lines in shared.items()}


@lru_cache(maxsize=4)
def border_lines(bundle: Path) -> dict[tuple[str, str], cKDTree]:
    """One k-d tree per pair of countries sharing a boundary line, keyed (a, b) with a < b."""
    return {
        pair: cKDTree(_unit_vectors(*np.vstack([_densify(line) for line in lines]).T))
        for pair, lines in _shared_lines(bundle).items()
    }


@lru_cache(maxsize=4)
def border_midpoints(bundle: Path) -> dict[tuple[str, str], tuple[float, float]]:
    """A point on each shared border where a map marks the dyad, keyed (a, b) with a < b, as (lon, lat): the
    border's vertex nearest the mean of its vertices, so the mark sits on the border itself even where the border
    bends (a mean alone can fall inside one of the two countries)."""
    marks = {}
    for pair, lines in _shared_lines(bundle).items():
        vertices = np.vstack([np.asarray(line, dtype=float)[:, :2] for line in lines])
        nearest = np.argmin(((vertices - vertices.mean(axis=0)) ** 2).sum(axis=1))
        marks[pair] = (round(float(vertices[nearest, 0]), 3), round(float(vertices[nearest, 1]), 3))
    return marks


def near_border(
    latitudes: np.ndarray,
    longitudes: np.ndarray,
    *,
    within_km: float,
    bundle: Path,
    pairs: Collection[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Every (point, boundary line) pair closer than ``within_km``: columns latitude, longitude, a, b, km (``pairs``:
    only these boundaries, each written (a, b) with a < b)."""
    frames = []
    lat = np.asarray(latitudes, dtype=float)
    lon = np.asarray(longitudes, dtype=float)
    if len(lat):
        xyz = _unit_vectors(lat, lon)
        chord_limit = 2 * np.sin(within_km / EARTH_KM / 2)
        for (a, b), tree in border_lines(bundle).items():
            if pairs is not None and (a, b) not in pairs:
                continue
            chord, _ = tree.query(xyz, distance_upper_bound=chord_limit)
            hit = np.isfinite(chord)
            if hit.any():
                km = 2 * EARTH_KM * np.arcsin(np.clip(chord[hit] / 2, 0, 1))
                frames.append(pd.DataFrame({"latitude": lat[hit], "longitude": lon[hit], "a": a, "b": b, "km": km}))
    if not frames:
        return pd.DataFrame(
            {
                "latitude": pd.Series(dtype="float64"),
                "longitude": pd.Series(dtype="float64"),
                "a": pd.Series(dtype="str"),
                "b": pd.Series(dtype="str"),
                "km": pd.Series(dtype="float64"),
            }
        )
    return pd.concat(frames, ignore_index=True)
