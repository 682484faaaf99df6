"""What the centre forecasts, and how a forecast is scored by default: the targets, the horizons, the backtest's
origins and the reference baseline. Named once here, at the bottom of the forecast domain, so the backtest, the bar,
the published readings, the vintages, the cycle and the CLI all say the same thing.
"""

from __future__ import annotations

#: UCDP best deaths per country-month, every country of the series (the field's target).
DEATHS_TARGET = "ucdp-best"
#: P(stage ≥ crisis) per country-month and border-dyad-month of the signals' panels (the centre's own target).
CRISIS_TARGET = "stage-crisis"
TARGETS = (DEATHS_TARGET, CRISIS_TARGET)

#: Months ahead that vintages are issued for and backtests score by default.
HORIZONS = (1, 3, 6, 12)
#: The backtest's rolling origins by default: 2018-01 to 2025-06 (model choices were made on 2012-2017).
BACKTEST_ORIGINS = "2018-01:2025-06"
#: The baseline every skill is measured against (issue 4).
REFERENCE = "conflictology12"
