"""What the forecast domain publishes, as typed values: a unit's forecast, the newest vintage in the words of a page,
the published backtest with the bar's verdict. The dashboard, the brief and the CLI read these; their JSON form
(:meth:`View.as_json`) is the one the JSON twins print, keys exactly as the records hold them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    """A published reading (fields never set are left out of its JSON; unknown fields are refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class ForecastHorizon(View):
    """One horizon of a forecast in the words of a page: median, 50 % and 90 % intervals, P(any fatality), and
    P(stage ≥ crisis) where the unit is in the stage panel. A border dyad has the crisis forecast only (no
    ``unit``, ``horizon`` or ``mean``: the deaths target does not cover it)."""

    unit: str | None = None
    horizon: int | None = None
    month: str = Field(description="YYYY-MM, the month forecast")
    median: float | None
    low50: float | None
    high50: float | None
    low90: float | None
    high90: float | None
    mean: float | None = None
    p_any: float | None = Field(description="P(any fatality): calibrated where ``p_any_raw`` is given, else raw")
    p_crisis: float | None
    p_any_raw: float | None = Field(None, description="the model's own P(any) where a recalibration map was applied")
    p_crisis_raw: float | None = Field(None, description="the model's own P(crisis) where a map was applied")


class Driver(View):
    """An input that moved a forecast: how much P(any) and the median would change back with last month's value."""

    feature: str
    words: str = Field(description="the input in the centre's words")
    p_change: float
    median_change: float


class Explanation(View):
    """What moved a unit's next-month forecast since last month (re-scored with last month's inputs)."""

    p_now: float
    p_before: float
    median_now: float
    median_before: float
    drivers: list[Driver]


class VintageRow(View):
    """One unit and horizon of a frozen vintage: P(any), the mean and five quantiles of the forecast."""

    unit: str
    horizon: int
    month: str = Field(description="YYYY-MM, the month forecast")
    p_any: float = Field(description="calibrated where ``p_any_raw`` is given, else the model's own")
    p_any_raw: float | None = Field(None, description="the model's own P(any), where a recalibration map was applied")
    mean: float
    q05: float
    q25: float
    q50: float
    q75: float
    q95: float


class VintageCalibration(View):
    """Which recalibration map made a vintage's P(any) (:mod:`prevdip.forecast.calibrated`): the published backtest
    it was fitted in, the lake that backtest read, and the horizons it was applied at — none when it is stale."""

    backtest: str | None = Field(description="the published backtest's fingerprint")
    lake: str | None = Field(description="the lake's provenance stamp the backtest (and its map) was made under")
    validation_origins: list[str] | None = Field(description="[first, last] validation origin the maps were fitted on")
    horizons: list[int] = Field(description="horizons whose P(any) is calibrated (the backtest's criterion held)")
    stale: str | None = Field(None, description="why no map was applied although one was published")


class FrozenVintage(View):
    """What prevdip said at an origin, as frozen (``prevdip forecast --json``): never overwritten, named by its hash."""

    target: str
    model: str
    origin: str = Field(description="YYYY-MM, the last month of data the forecast uses")
    data_through: str
    months_seen: list[str] | None = Field(None, description="[first, last] month of the panel the model saw")
    lake: str | None = Field(None, description="the lake's provenance stamp when the vintage was issued")
    prevdip_version: str
    n_units: int
    forecasts: list[VintageRow]
    explanations: dict[str, Explanation] | None = Field(None, description="unit → what moved next month's forecast")
    calibration: VintageCalibration | None = Field(None, description="the recalibration map P(any) went through")
    vintage: str = Field(description="SHA-256 of the record's canonical JSON")
    path: str | None = Field(None, description="where it is frozen")


class UnitForecast(View):
    """A unit's forecast from the newest vintages issued at or before a month."""

    unit: str
    origin: str | None = Field(description="YYYY-MM of the deaths vintage; null when the unit has only P(crisis)")
    horizons: list[ForecastHorizon]
    explanation: Explanation | None = Field(None, description="what moved next month's forecast since last month")
    calibration: VintageCalibration | None = Field(None, description="the map the deaths vintage's P(any) went through")


class ProvinceRow(ForecastHorizon):
    """Next month's forecast of a province (``unit`` is ``ISO3:province``)."""

    name: str


class ProvinceForecasts(View):
    """Next month's forecast per province of the region, riskiest first."""

    origin: str
    units: list[ProvinceRow]
    calibration: VintageCalibration | None = None


class RegionalRow(View):
    """A unit of the region's table: next month's forecast, the change since the previous vintage, what moved it."""

    unit: str
    name: str
    month: str = Field(description="YYYY-MM, the month forecast")
    median: float
    low50: float
    high50: float
    low90: float
    high90: float
    mean: float
    p_any: float
    p_any_raw: float | None = Field(None, description="the model's own P(any) where it was recalibrated")
    p_change: float | None = Field(description="P(any) now minus P(any) in the previous vintage")
    explanation: Explanation | None


class RegionalTable(View):
    """The newest vintage of one target for the region's units; no field at all when none is frozen."""

    target: str | None = None
    origin: str | None = None
    vintage: str | None = None
    previous_origin: str | None = None
    calibration: VintageCalibration | None = None
    units: list[RegionalRow] | None = None


class RegionalForecasts(View):
    """Next month's forecast for the region's countries, border dyads and provinces."""

    countries: RegionalTable
    dyads: RegionalTable
    provinces: RegionalTable


class LatestVintage(View):
    """The newest frozen deaths vintage, rows riskiest first, P(stage ≥ crisis) beside them."""

    target: str
    model: str
    origin: str
    data_through: str
    n_units: int
    vintage: str = Field(description="SHA-256 of the frozen record")
    calibration: VintageCalibration | None = None
    forecasts: list[ForecastHorizon]


class BarCheck(View):
    requirement: str
    horizon: int
    value: float | None
    threshold: float | None
    met: bool | None


class BarVerdict(View):
    """Whether the best model meets the bar the centre set it (None where the backtest did not run a check)."""

    model: str
    met: bool | None
    checks: list[BarCheck]
    short: list[BarCheck]


class ReliabilityBin(View):
    """Unit-origins whose forecast probability fell in [low, high): their mean forecast and observed frequency."""

    low: float
    high: float
    n: int
    forecast: float | None
    observed: float | None


class CalibrationRecord(View):
    """Whether the forecasts mean what they say (:mod:`prevdip.forecast.calibration`)."""

    n: int
    reliability: list[ReliabilityBin]
    pit: list[float] = Field(description="share of PIT mass in each tenth of [0, 1]")
    coverage50: float | None
    coverage90: float | None


class RecalibrationRecord(View):
    """An isotonic map of P(any) fitted on the validation origins only, and the test origins' figures before and
    after it (:mod:`prevdip.forecast.recalibration`)."""

    validation_origins: list[str] = Field(description="[first, last] validation origin the map was fitted on")
    n_validation: int
    criterion: str = Field(description="when a target × horizon is recalibrated")
    recalibrated: bool = Field(description="whether the criterion holds: the validation figures are off")
    validation_ece: float | None
    validation_ece_recalibrated: float | None
    held_out_ece: float | None = Field(description="the last third of the validation origins, raw")
    held_out_ece_recalibrated: float | None = Field(description="...through a map fitted on the first two-thirds")
    test_ece: float | None
    test_ece_recalibrated: float | None
    test_brier: float | None
    test_brier_recalibrated: float | None
    map: list[list[float]] = Field(description="[forecast, recalibrated] knots, linear between them")
    reliability: dict[str, list[ReliabilityBin]] = Field(description="global / region → the test origins' bins")


class PublishedBacktest(View):
    """The published backtest of a target, as ``prevdip backtest --json`` printed it."""

    target: str
    origins: list[str] = Field(description="[first, last] origin month")
    n_units: int
    scores: dict[str, dict[str, dict[str, float | None]]] = Field(description="model → horizon → score → value")
    skill_vs_conflictology12: dict[str, dict[str, dict[str, float | None]]]
    bar: BarVerdict | None = None
    alarms: dict[str, dict[str, list[dict[str, float | int | None]]]] | None = Field(
        None,
        description="model → horizon → one row per threshold: unit_origins, events, alarms, hits, precision, "
        "recall, false_alarm_rate",
    )
    calibration: dict[str, dict[str, dict[str, CalibrationRecord]]] | None = Field(
        None, description="model → horizon → global / region → reliability, PIT and coverage"
    )
    recalibration: dict[str, dict[str, RecalibrationRecord]] | None = Field(
        None, description="model → horizon → P(any) recalibrated on the validation origins, raw and after"
    )
    fingerprint: str | None = Field(None, description="hash of the backtest's inputs, the lake's stamp among them")
    lake: str | None = Field(None, description="the provenance stamp of the lake it was made from")
    published_at: str | None = None
