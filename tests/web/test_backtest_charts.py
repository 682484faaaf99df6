"""The charts of ``/backtests`` and ``/forecasts`` speak the reader's language: titles, axes, legends and tooltips
(issue 16 §4).

The calibration record is written in the shape ``prevdip backtest --json`` publishes (``forecast.calibration``'s
``calibration_record``: reliability bins, a ten-bin PIT histogram, coverage), for the global series and the region.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prevdip.briefs import charts
from prevdip.web._schemas import Backtests, BacktestSection
from prevdip.web.services.forecasts import backtests_charts

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
LATIN_WORD = re.compile(r"\b[a-z]{3,}\b")  # an English word, which codes such as "PIT", "CRPS", "P(any)" are not


def _record(shift: float) -> dict[str, Any]:
    bins = [
        {"low": k / 10, "high": (k + 1) / 10, "n": 40 - k, "forecast": k / 10 + 0.05, "observed": k / 10 + shift}
        for k in range(10)
    ]
    return {"n": 310, "reliability": bins, "pit": [0.1] * 10, "coverage50": 0.5, "coverage90": 0.9}


def _published() -> Backtests:
    calibration = {"ensemble": {h: {"global": _record(0.02), "region": _record(0.04)} for h in ("1", "3", "6")}}
    scores = {m: {h: {"crps": 1.0 + int(h) / 10} for h in ("1", "3", "6")} for m in ("ensemble", "conflictology12")}
    backtest = BacktestSection(available=True, target="ucdp-best", scores=scores, calibration=calibration)
    return Backtests(backtest=backtest, more={})


def _said(spec: Any) -> Iterator[str]:
    """Every text a reader sees in a chart: titles (of the chart, axes, legends, tooltips) and legend values."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                yield value
            elif key in ("scope", "horizon") and isinstance(value, str):
                yield value
            else:
                yield from _said(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _said(item)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_reliability_pit_and_crps_charts_are_in_the_readers_language(lang: str) -> None:
    drawn = backtests_charts(_published(), lang)
    assert set(drawn) == {"crps", "reliability_main", "pit_main"}
    said = {name: set(_said(spec)) for name, spec in drawn.items()}
    if lang == "en":
        assert {"Observed frequency", "1 mo ahead", "Central Asia and Afghanistan"} <= said["reliability_main"]
        assert "ucdp-best: PIT histogram" in said["pit_main"]
        return
    assert {"Наблюдаемая частота", "на 1 мес. вперёд", "весь мир", "Центральная Азия и Афганистан"} <= said[
        "reliability_main"
    ]
    assert {"ucdp-best: гистограмма PIT", "Доля исходов"} <= said["pit_main"]
    assert {"Модель", "Горизонт"} <= said["crps"]
    english = {text for texts in said.values() for text in texts if LATIN_WORD.search(text.replace("ucdp-best", ""))}
    assert english == set()


def _tooltips(spec: Any) -> Iterator[dict[str, Any]]:
    if isinstance(spec, dict):
        if "tooltip" in spec and isinstance(spec["tooltip"], list):
            yield from spec["tooltip"]
        for value in spec.values():
            yield from _tooltips(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _tooltips(item)


def test_the_forecasts_map_titles_its_tooltips_in_russian(bundle: Path) -> None:
    """A tooltip without a title shows its field's name ("properties.name") to the reader."""
    point = {"lon": 70.5, "lat": 40.0, "name": "Batken", "p": 0.2}
    spec = charts.risk_map(("KGZ", "TJK"), {"KGZ": 0.1}, [point], title="P", legend="P(хотя бы один погибший)",
                           bundle=bundle, lang="ru")  # fmt: skip
    titles = [tip.get("title") for tip in _tooltips(spec)]
    assert len(titles) == 4 and all(title and CYRILLIC.search(title) for title in titles)
