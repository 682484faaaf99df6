"""Slow-moving structural covariates per unit-month: population, infant mortality, GDP per head (World Bank WDI).

Onsets — deaths in a country quiet for a year — are rare and scattered (a terror attack in a large rich country, a
flare-up in a poor one), and history alone ranks them poorly (AUROC ≈ 0.71). The field's onset models lean on
structure (the Early Warning Project: population, infant mortality). Each month of year Y reads the value for year
Y − 1, carried forward when later years are missing, which is about what had been published by then; WDI revisions
are not replayed (the bundle holds one vintage), a caveat the backtest documentation states.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from prevdip.catalogue import BUNDLE
from prevdip.errors import RefusedInput

WDI_COLUMNS = {
    "log_population": "wdi.popsize.new",
    "log_infant_mortality": "wdi.imrate.new",
    "log_gdp_per_head": "wdi.gdppc.new",
}


def read_structural(bundle: Path, units: tuple[str, ...], months: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Each covariate as an (n_units, n_months) array of logs; a unit the table lacks gets the cross-unit median.
    Units that are not countries (border dyads, provinces) get none: a country's covariates do not describe them."""
    path = bundle / BUNDLE.wdi
    if not path.is_file():
        raise RefusedInput(f"{path} is missing", hint="the bundle's WDI covariates feed the onset model")
    table = pd.read_csv(path, usecols=["iso3c", "year", *WDI_COLUMNS.values()])
    if not table["iso3c"].isin(units).any():
        return {}
    years = np.arange(int(table["year"].min()), int(months[-1].year) + 1)
    wanted = months.year.to_numpy() - 1
    out: dict[str, np.ndarray] = {}
    for name, column in WDI_COLUMNS.items():
        wide = table.pivot_table(index="iso3c", columns="year", values=column, aggfunc="first")
        wide = wide.reindex(index=list(units), columns=years).ffill(axis=1)
        logged = np.log(wide.reindex(columns=wanted).to_numpy(dtype=np.float64))
        with warnings.catch_warnings():  # months before the table starts have no value anywhere
            warnings.simplefilter("ignore", RuntimeWarning)
            fill = np.nanmedian(logged, axis=0)
            fill = np.where(np.isnan(fill), np.nanmedian(logged), fill)
        out[name] = np.where(np.isnan(logged), fill[None, :], logged)
    return out
