"""Geolocated deaths from the event lake, the input of the border-dyad and province targets.

Read through the events domain's public reader (:func:`prevdip.events.events_relation`), never the bundle's CSVs:
a fetch or ingest of newer events moves these targets. Deaths are UCDP's ``best`` estimate of GED and Candidate
events (source ``ucdp-ged``); ACLED events (source ``acled``), when the lake holds them, count only for the months
after UCDP's coverage ends — the two code many of the same deaths, so adding both would count them twice.

Which months a source covers is read from the lake itself: a month counts if the source has at least half its
median monthly number of events, and a target runs from the source's first event to its last covered month. The
bundle's lake shows why: the reduced GED 21.1 extract gives 8,000–14,000 events a year to 2020, and the
1,000-event GED 23.1 sample adds 53 in 2021 and 61 in 2022 — a handful a month, which as a target would read as a
sudden peace. So the bundle's geolocated targets run 1989-01 to 2020-12.

The reduced GED 21.1 extract is a teaching sample of about two-thirds of GED's events, selection undocumented
("do not use for totals", bundle README): deaths per dyad or province are the sample's, lower than UCDP's totals.
Models and baselines are scored on the same sample, so their comparison stands; the level does not.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

UCDP_SOURCE = "ucdp-ged"
ACLED_SOURCE = "acled"
COVERED_SHARE = 0.5  # of the source's median events per month


def read_geolocated(workspace: Path | None = None) -> pd.DataFrame:
    """Columns source, month (first day), country, longitude, latitude, deaths: every geolocated event with deaths
    recorded (zero included: an event is evidence the month is covered)."""
    from prevdip.events import events_relation

    con = duckdb.connect()
    try:
        con.register("lake", events_relation(con, workspace=workspace))
        frame = con.execute(
            "select source, date_trunc('month', date_start) as month, country_iso3 as country, longitude, latitude,"
            " coalesce(fatalities_best, 0) as deaths from lake"
            " where source in (?, ?) and latitude is not null and longitude is not null and country_iso3 is not null",
            [UCDP_SOURCE, ACLED_SOURCE],
        ).df()
    finally:
        con.close()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def covered_months(events: pd.DataFrame) -> pd.DatetimeIndex:
    """The months a source covers: at least half its median monthly events (empty without events). The
    targets are global, so a month only some countries were fetched for is not covered: a cycle's fetch keeps
    them moving only when it reaches the whole world (``docs/backtest.md``)."""
    counts = events.groupby("month").size()
    if counts.empty:
        return pd.DatetimeIndex([])
    full = counts.reindex(pd.date_range(counts.index.min(), counts.index.max(), freq="MS"), fill_value=0)
    return pd.DatetimeIndex(full.index[full >= COVERED_SHARE * float(np.median(full))])


def target_events(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """The events the targets count and the months they span: UCDP to the last month it covers, then ACLED's
    covered months after it."""
    ucdp = events[events["source"] == UCDP_SOURCE]
    months = covered_months(ucdp)
    chosen = ucdp[ucdp["month"] <= months.max()] if len(months) else ucdp.iloc[0:0]
    acled = events[events["source"] == ACLED_SOURCE]
    later = covered_months(acled)
    if len(months):
        later = later[later > months.max()]
    if len(later):
        chosen = pd.concat([chosen, acled[acled["month"].isin(later)]], ignore_index=True)
        months = months.union(later)
    if not len(months):
        return chosen, pd.DatetimeIndex([])
    return chosen, pd.date_range(min(months.min(), chosen["month"].min()), months.max(), freq="MS")


def monthly_sums(
    unit: np.ndarray, month: pd.Series, deaths: np.ndarray, n_units: int, months: pd.DatetimeIndex
) -> np.ndarray:
    """Deaths summed into an (n_units, n_months) matrix; rows outside ``months`` are left out."""
    column = months.get_indexer(pd.DatetimeIndex(month))
    keep = column >= 0
    out = np.zeros((n_units, len(months)))
    np.add.at(out, (unit[keep], column[keep]), deaths[keep])
    return out
