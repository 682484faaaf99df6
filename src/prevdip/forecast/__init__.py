"""Forecasts with honest backtests: the field's baselines, learned models, rolling-origin scoring, frozen vintages.

Public names: :func:`load_ucdp_best` (the target panel), :data:`BASELINES`, :class:`HurdleForecaster`,
:class:`PanelTimeSplit`, :func:`run_backtest`, :func:`risk_at`; the published readings :func:`published_backtest`,
:func:`latest_vintage` and :func:`unit_forecast`; and the vintage functions :func:`issue_vintage` /
:func:`freeze_vintage`.
"""

from prevdip.forecast.backtest import Backtest, parse_origins, run_backtest
from prevdip.forecast.baselines import BASELINES
from prevdip.forecast.forecasters import BEST_MODEL, MODEL_NAMES, registry
from prevdip.forecast.models import HurdleForecaster
from prevdip.forecast.predictive import Predictive
from prevdip.forecast.published import (
    TARGETS,
    backtest_and_publish,
    backtest_fingerprint,
    crisis_risk,
    latest_vintage,
    load_target,
    province_forecasts,
    publish_backtest,
    published_backtest,
    regional_forecasts,
    unit_forecast,
)
from prevdip.forecast.risk import risk_at
from prevdip.forecast.split import PanelTimeSplit
from prevdip.forecast.target import TargetPanel, load_ucdp_best
from prevdip.forecast.vintage import freeze as freeze_vintage
from prevdip.forecast.vintage import issue as issue_vintage

__all__ = [
    "BASELINES",
    "BEST_MODEL",
    "MODEL_NAMES",
    "Backtest",
    "HurdleForecaster",
    "PanelTimeSplit",
    "Predictive",
    "TARGETS",
    "TargetPanel",
    "backtest_and_publish",
    "load_target",
    "backtest_fingerprint",
    "crisis_risk",
    "latest_vintage",
    "publish_backtest",
    "province_forecasts",
    "published_backtest",
    "regional_forecasts",
    "unit_forecast",
    "freeze_vintage",
    "issue_vintage",
    "load_ucdp_best",
    "parse_origins",
    "registry",
    "risk_at",
    "run_backtest",
]
