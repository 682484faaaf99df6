"""Benchmark: building the staged signal panels (DuckDB SQL) against a plain pandas baseline, in the same run.

Usage: ``python benchmarks/signals_panels.py [WORKSPACE]`` — without a workspace, the reference bundle is ingested
into a temporary one first (not timed). prevdip's figure is the full build: classification of every regional event
by the 29 taxonomy rules, border distances, the country, dyad and admin1 panels with series, history and spatial
lag, and the stages. The baseline computes far less — country-month event counts by category, fatalities and the
months since the last fatal month — the way one would in pandas without SQL, on the same events.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd


def _workspace() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1]).resolve()
    folder = Path(tempfile.mkdtemp()) / "workspace"
    os.environ["PREVDIP_WORKSPACE"] = str(folder)
    from prevdip.events import ingest_bundle
    from prevdip.settings import get_settings

    get_settings.cache_clear()
    ingest_bundle()  # type: ignore[operator]
    return folder


def _prevdip(workspace: Path, bundle: Path) -> float:
    from prevdip.signals.reading import build_board

    start = time.perf_counter()
    build_board(workspace, bundle)
    return time.perf_counter() - start


def _baseline(workspace: Path) -> float:
    from prevdip.events.query import events_relation
    from prevdip.geo import region

    units = list(region("neighbours").iso3s)
    events = events_relation(duckdb.connect(), workspace=workspace).df()
    start = time.perf_counter()
    events = events[events["country_iso3"].isin(units)].copy()
    events["month"] = pd.to_datetime(events["date_start"]).dt.to_period("M")
    counts = events.pivot_table(index=["country_iso3", "month"], columns="category", aggfunc="size", fill_value=0)
    deaths = events.groupby(["country_iso3", "month"])["fatalities_best"].sum()
    months = pd.period_range("1989-01", "2026-05", freq="M")
    since: dict[tuple[str, pd.Period], int | None] = {}
    for unit in units:
        last = None
        for i, month in enumerate(months):
            if deaths.get((unit, month), 0) >= 1:
                last = i
            since[(unit, month)] = None if last is None else i - last
    assert len(counts) > 0 and len(since) == len(units) * len(months)
    return time.perf_counter() - start


def main() -> None:
    from prevdip.settings import get_settings

    workspace = _workspace()
    bundle = get_settings().bundle
    assert bundle is not None, "set PREVDIP_BUNDLE"
    ours = min(_prevdip(workspace, bundle) for _ in range(3))
    theirs = min(_baseline(workspace) for _ in range(3))
    print(f"prevdip staged panels (country + dyad + admin1, all indicators): {ours:.2f} s")
    print(f"pandas baseline (country-month counts, deaths, months since): {theirs:.2f} s")
    print(f"ratio prevdip / baseline: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
