"""Frozen forecast vintages: what prevdip said at an origin, hashed and never overwritten.

``prevdip forecast --month M`` forecasts from data up to and including month M (the origin) and writes the record
to ``<workspace>/vintages/<target>-<M>-<hash>.json``, naming the lake it was made from (``lake``: the lake's
provenance stamp, :func:`prevdip.events.lake.lake_stamp`). The hash is the SHA-256 of the record's canonical JSON,
so the file name proves its content; issuing the same forecast again finds the same file, and a *different* forecast
for a month already frozen is refused — every month becomes a prospective test that cannot be quietly rewritten.

Where the target's published backtest recalibrates the model's P(any) at a horizon, the vintage freezes the
calibrated figure as ``p_any`` and the model's own as ``p_any_raw``, and names the map in ``calibration``
(:mod:`prevdip.forecast.calibrated`); a vintage without those fields is raw throughout, as every older one is.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import prevdip
from prevdip.catalogue import Workspace
from prevdip.errors import RefusedInput
from prevdip.forecast.calibrated import Maps
from prevdip.forecast.explain import explain
from prevdip.forecast.features import MIN_HISTORY
from prevdip.forecast.forecasters import BEST_MODEL, cached, registry
from prevdip.forecast.target import TargetPanel
from prevdip.forecast.targets import EXPLAINED_HORIZON, HORIZONS
from prevdip.forecast.views import FrozenVintage

QUANTILES = {"q05": 0.05, "q25": 0.25, "q50": 0.5, "q75": 0.75, "q95": 0.95}


def _round(value: float) -> float:
    """Six significant digits: enough for a forecast, stable across machines for the hash."""
    return float(f"{value:.6g}")


def issue(
    panel: TargetPanel, month: str, *, bundle: Path | None, model: str = BEST_MODEL, maps: Maps | None = None
) -> dict[str, Any]:
    """The forecast record for origin ``month``: every unit of the universe at that month × horizon, with P(any),
    mean and quantiles, and for each unit what moved its next month's forecast since last month. With ``maps``
    (:func:`prevdip.forecast.published.recalibration_maps`), P(any) goes through them where they apply."""
    origin = panel.month_index(month)
    if origin < MIN_HISTORY + max(HORIZONS):
        raise RefusedInput(f"month {month} leaves too little history to learn from", hint="choose a later month")
    forecasters = registry(bundle)
    alive = panel.in_universe()[:, origin]
    rows: list[dict[str, Any]] = []
    for h in HORIZONS:
        forecast = cached(forecasters[model], panel, [origin], h, {})[origin]
        p_any = forecast.prob_positive()
        calibrated = maps.calibrated(h, p_any) if maps is not None else None
        mean = forecast.mean()
        quantiles = {k: forecast.quantile(q) for k, q in QUANTILES.items()}
        target_month = (panel.months[origin] + pd.DateOffset(months=h)).strftime("%Y-%m")
        for i, unit in enumerate(panel.units):
            if not alive[i]:
                continue
            rows.append(
                {
                    "unit": unit,
                    "horizon": h,
                    "month": target_month,
                    "p_any": _round(p_any[i] if calibrated is None else calibrated[i]),
                    **({} if calibrated is None else {"p_any_raw": _round(p_any[i])}),
                    "mean": _round(mean[i]),
                    **{k: _round(v[i]) for k, v in quantiles.items()},
                }
            )
    explained = _explained(forecasters, model, panel, origin, alive)
    return {
        "target": panel.name,
        "model": model,
        "origin": f"{panel.months[origin]:%Y-%m}",
        "data_through": f"{panel.months[origin]:%Y-%m}",
        "months_seen": [f"{panel.months[0]:%Y-%m}", f"{panel.months[-1]:%Y-%m}"],
        "lake": panel.lake,
        "prevdip_version": prevdip.__version__,
        "n_units": int(alive.sum()),
        "forecasts": rows,
        "explanations": explained if maps is None else maps.explained(explained),
        **({} if maps is None else {"calibration": maps.stamp()}),
    }


def _explained(
    forecasters: dict[str, Any], model: str, panel: TargetPanel, origin: int, alive: np.ndarray
) -> dict[str, Any]:
    """Next month's forecast per unit, explained by the inputs that moved it (:mod:`prevdip.forecast.explain`);
    empty for a model that cannot be explained that way (a baseline alone has nothing but its window)."""
    try:
        explained = explain(forecasters[model], forecasters, panel, origin, EXPLAINED_HORIZON)
    except TypeError:
        return {}
    return {unit: explained[unit] for i, unit in enumerate(panel.units) if alive[i]}


def content_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k not in {"vintage", "path"}}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def freeze(record: dict[str, Any], workspace: Path) -> tuple[FrozenVintage, bool]:
    """Write the record once; returns it with ``vintage`` and ``path``, and whether it was newly written."""
    digest = content_hash(record)
    folder = Workspace(workspace).vintages
    stem = f"{record['target']}-{record['origin']}"
    path = folder / f"{stem}-{digest[:16]}.json"
    frozen = FrozenVintage.model_validate({**record, "vintage": digest, "path": str(path)})
    if path.is_file():
        return frozen, False
    others = sorted(folder.glob(f"{stem}-*.json")) if folder.is_dir() else []
    if others:
        raise RefusedInput(
            f"a different vintage for {record['target']} {record['origin']} is already frozen: {others[0]}",
            hint="frozen vintages are never overwritten; compare them instead of re-issuing",
        )
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".vintage-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({**record, "vintage": digest}, f, sort_keys=True, ensure_ascii=False, allow_nan=False)
    os.replace(temp, path)
    return frozen, True


def read_vintage(path: Path) -> dict[str, Any]:
    """A frozen vintage, checked against its own hash (a tampered file is refused). Read once while the file stays
    as it is (a page or brief asks for every unit of the region); callers treat the record as read-only."""
    info = path.stat()
    return _checked(path, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=16)
def _checked(path: Path, size: int, mtime_ns: int) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if content_hash(record) != record.get("vintage"):
        raise RefusedInput(f"{path}: content does not match its hash", hint="the vintage was altered after freezing")
    return record


def as_array(record: dict[str, Any], horizon: int) -> np.ndarray:
    """P(any fatality) per unit at one horizon, in the record's unit order (for comparisons)."""
    return np.array([r["p_any"] for r in record["forecasts"] if r["horizon"] == horizon])
