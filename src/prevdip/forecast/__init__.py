"""Forecasts with honest backtests: the field's baselines, learned models, rolling-origin scoring, frozen vintages.

Public names: the targets and their defaults (:data:`TARGETS`, :data:`HORIZONS`, :data:`BACKTEST_ORIGINS`),
:func:`load_target` (a target panel from the lake), :data:`BASELINES`, :class:`HurdleForecaster`,
:class:`PanelTimeSplit`, :func:`run_backtest`, :func:`risk_at`; the published readings :func:`published_backtest`,
:func:`latest_vintage` and :func:`unit_forecast`; :func:`recalibration_maps` (what a new vintage's P(any) goes
through); and the vintage functions :func:`forecast_and_freeze` (what the faces call), :func:`issue_vintage` /
:func:`freeze_vintage`. The targets are plain names (:mod:`prevdip.forecast.targets`); everything else is loaded on
first use, so a command that only names a target does not import scikit-learn.
"""

from typing import TYPE_CHECKING

from prevdip.forecast.targets import BACKTEST_ORIGINS, CRISIS_TARGET, DEATHS_TARGET, HORIZONS, REFERENCE, TARGETS

if TYPE_CHECKING:  # the names below are loaded on first use (see __getattr__); type checkers see them here
    from prevdip.forecast.backtest import Backtest, parse_origins, run_backtest
    from prevdip.forecast.baselines import BASELINES
    from prevdip.forecast.forecasters import BEST_MODEL, MODEL_NAMES, registry
    from prevdip.forecast.models import HurdleForecaster
    from prevdip.forecast.predictive import Predictive
    from prevdip.forecast.published import (
        backtest_and_publish,
        backtest_fingerprint,
        crisis_risk,
        forecast_and_freeze,
        latest_vintage,
        load_target,
        province_forecasts,
        publish_backtest,
        published_backtest,
        published_stamp,
        recalibration_maps,
        regional_forecasts,
        unit_forecast,
    )
    from prevdip.forecast.risk import risk_at
    from prevdip.forecast.split import PanelTimeSplit
    from prevdip.forecast.target import TargetPanel, load_ucdp_best
    from prevdip.forecast.vintage import freeze as freeze_vintage
    from prevdip.forecast.vintage import issue as issue_vintage

__all__ = [
    "BACKTEST_ORIGINS",
    "BASELINES",
    "BEST_MODEL",
    "CRISIS_TARGET",
    "DEATHS_TARGET",
    "HORIZONS",
    "MODEL_NAMES",
    "REFERENCE",
    "TARGETS",
    "Backtest",
    "HurdleForecaster",
    "PanelTimeSplit",
    "Predictive",
    "TargetPanel",
    "backtest_and_publish",
    "backtest_fingerprint",
    "crisis_risk",
    "forecast_and_freeze",
    "freeze_vintage",
    "issue_vintage",
    "latest_vintage",
    "load_target",
    "load_ucdp_best",
    "parse_origins",
    "province_forecasts",
    "publish_backtest",
    "published_backtest",
    "published_stamp",
    "recalibration_maps",
    "regional_forecasts",
    "registry",
    "risk_at",
    "run_backtest",
    "unit_forecast",
]


def __getattr__(name: str) -> object:  # noqa: C901 - one branch per module: plain imports the checks can see
    """Load a heavier public name (scikit-learn, pandas) on first use."""
    if name in {"Backtest", "parse_origins", "run_backtest"}:
        from prevdip.forecast import backtest

        return getattr(backtest, name)
    if name == "BASELINES":
        from prevdip.forecast import baselines

        return baselines.BASELINES
    if name in {"BEST_MODEL", "MODEL_NAMES", "registry"}:
        from prevdip.forecast import forecasters

        return getattr(forecasters, name)
    if name == "HurdleForecaster":
        from prevdip.forecast import models

        return models.HurdleForecaster
    if name == "Predictive":
        from prevdip.forecast import predictive

        return predictive.Predictive
    if name in _PUBLISHED:
        from prevdip.forecast import published

        return getattr(published, name)
    if name == "risk_at":
        from prevdip.forecast import risk

        return risk.risk_at
    if name == "PanelTimeSplit":
        from prevdip.forecast import split

        return split.PanelTimeSplit
    if name in {"TargetPanel", "load_ucdp_best"}:
        from prevdip.forecast import target

        return getattr(target, name)
    if name in {"freeze_vintage", "issue_vintage"}:
        from prevdip.forecast import vintage

        return vintage.freeze if name == "freeze_vintage" else vintage.issue
    raise AttributeError(name)


_PUBLISHED = {
    "backtest_and_publish",
    "backtest_fingerprint",
    "crisis_risk",
    "forecast_and_freeze",
    "latest_vintage",
    "load_target",
    "province_forecasts",
    "publish_backtest",
    "published_backtest",
    "published_stamp",
    "recalibration_maps",
    "regional_forecasts",
    "unit_forecast",
}
