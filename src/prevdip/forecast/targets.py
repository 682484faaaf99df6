"""What the centre forecasts, and how a forecast is scored by default: the targets, the horizons, the backtest's
origins and the reference baselines. Named once here, at the bottom of the forecast domain, so the backtest, the bar,
the published readings, the vintages, the cycle and the CLI all say the same thing.
"""

from __future__ import annotations

#: UCDP best deaths per country-month over every state of the Gleditsch–Ward system (the field's target).
DEATHS_TARGET = "ucdp-best"
#: P(stage ≥ crisis) per country-month and border-dyad-month of the signals' panels (the centre's own target).
CRISIS_TARGET = "stage-crisis"
#: Deaths near every land border per month, from the lake's geolocated events.
DYAD_TARGET = "border-dyads"
#: Deaths per province of Central Asia and Afghanistan per month, from the lake's geolocated events.
PROVINCE_TARGET = "provinces"
TARGETS = (DEATHS_TARGET, CRISIS_TARGET, DYAD_TARGET, PROVINCE_TARGET)
#: The targets built from the lake's geolocated events: they end where those events do.
GEOLOCATED_TARGETS = (DYAD_TARGET, PROVINCE_TARGET)

#: Months ahead that vintages are issued for and backtests score by default.
HORIZONS = (1, 3, 6, 12)
#: The horizon whose forecast a vintage explains (what moved it since last month) and the region's tables show.
EXPLAINED_HORIZON = 1
#: The backtest's rolling origins by default: 2018-01 to 2025-06 (model choices were made on 2012-2017).
BACKTEST_ORIGINS = "2018-01:2025-06"
#: Each target's default origins. The geolocated targets end where the lake's geolocated events do (2020-12 on the
#: bundle's lake): their window stops there (see ``parse_origins``), and can be set apart here.
DEFAULT_ORIGINS = dict.fromkeys(TARGETS, BACKTEST_ORIGINS)
#: The baseline every skill is measured against (issue 4).
REFERENCE = "conflictology12"
#: The baseline onset detection is measured against (issue 15): P(any death) decaying with the time since the last.
ONSET_REFERENCE = "decay"
