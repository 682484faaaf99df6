"""The border-dyad-month target: deaths in geolocated events near the land boundary between two states.

VIEWS forecasts countries and grid cells; Central Asia's violence happens on its borders (Kyrgyz–Tajik 2021 and
2022, the Osh aftermath of 2010, the enclaves), so the centre forecasts border dyads too — and, to learn and to
score with thousands of unit-months rather than ten units, every land-border pair in the world
(:func:`~prevdip.forecast.borders.land_borders`).

A dyad-month's value is the sum of UCDP ``best`` deaths (:mod:`prevdip.forecast.geolocated`) of events located in
one of the two states within ``BORDER_KM`` = 50 km of their common boundary. An event belongs to the dyads of its
own country only (an Uzbek event near the Kyrgyz–Tajik tripoint is not a Kyrgyz–Tajik event), and one close to
two of its country's borders counts for both. ``docs/backtest.md`` gives the sensitivity at 25 and 100 km. A
dyad's neighbours are the dyads sharing one of its states.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.errors import RefusedInput
from prevdip.forecast.borders import Border, distance_km, land_borders
from prevdip.forecast.geolocated import monthly_sums, read_geolocated, target_events
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import DYAD_TARGET

BORDER_KM = 50.0


def near_border(events: pd.DataFrame, borders: tuple[Border, ...], km: float) -> pd.DataFrame:
    """One row per (event, dyad) with the event within ``km`` of the dyad's boundary: columns ``dyad`` (index
    into ``borders``), ``month``, ``deaths``."""
    by_country = dict(tuple(events.groupby("country")))
    pieces = []
    for i, border in enumerate(borders):
        for country in (border.a, border.b):
            rows = by_country.get(country)
            if rows is None:
                continue
            near = distance_km(rows["longitude"].to_numpy(), rows["latitude"].to_numpy(), border.segments) <= km
            if near.any():
                pieces.append(pd.DataFrame({"dyad": i, "month": rows["month"][near], "deaths": rows["deaths"][near]}))
    if not pieces:
        return pd.DataFrame({"dyad": pd.Series(dtype=int), "month": pd.Series(dtype="datetime64[ns]"),
                             "deaths": pd.Series(dtype=float)})  # fmt: skip
    return pd.concat(pieces, ignore_index=True)


def dyad_neighbours(codes: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """For each dyad, the other dyads that share one of its two states."""
    by_state: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        for state in code.split("-"):
            by_state.setdefault(state, []).append(i)
    return tuple(
        np.array(sorted({j for s in code.split("-") for j in by_state[s]} - {i}), dtype=np.int64)
        for i, code in enumerate(codes)
    )


def load_border_dyads(bundle: Path, workspace: Path | None = None, *, km: float = BORDER_KM) -> TargetPanel:
    """Deaths within ``km`` of every land boundary, per dyad and month, from the workspace's event lake."""
    events, months = target_events(read_geolocated(workspace))
    if not len(months):
        raise RefusedInput(
            "the event lake holds no geolocated UCDP or ACLED events", hint="run `prevdip ingest bundle` first"
        )
    borders = land_borders(bundle)
    near = near_border(events, borders, km)
    values = monthly_sums(near["dyad"].to_numpy(), near["month"], near["deaths"].to_numpy(float), len(borders), months)
    codes = tuple(b.code for b in borders)
    return TargetPanel(DYAD_TARGET, codes, months, values, dyad_neighbours(codes))
