"""The episode catalogue: sourced figures only, UCDP figures that match the bundle, and the 1/3/6-month record."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pydantic import ValidationError

from prevdip.signals import STAGES, episode_record, episodes
from prevdip.signals.episodes import Casualty

REQUIRED = {
    "tajik-civil-war",
    "imu-incursions-1999-2000",
    "osh-2010",
    "khorog-2012",
    "kgz-tjk-border-2014",
    "kgz-tjk-border-2021",
    "kazakhstan-january-2022",
    "khorog-2022",
    "karakalpakstan-2022",
    "kgz-tjk-border-2022",
    "kempir-abad-2022",
    "rogun-dispute",
    "kambarata-dispute",
}


def test_the_catalogue_holds_the_regions_episodes_with_sources() -> None:
    catalogue = {e.id: e for e in episodes()}
    assert set(catalogue) == REQUIRED
    for episode in catalogue.values():
        assert episode.sources, episode.id
        assert episode.countries or episode.dyads
        for figure in episode.casualties:
            assert figure.source.strip()
    sept = catalogue["kgz-tjk-border-2022"]
    figures = {c.measure: c.value for c in sept.casualties}
    assert figures["Kyrgyz dead"] == 62 and figures["Tajik dead"] == 41  # reference §7 [130]
    assert catalogue["osh-2010"].casualties[0].value == 470  # KIC [117]
    # No source gives casualties for the 2014 incidents or the dam disputes: the catalogue says nothing.
    for empty in ("kgz-tjk-border-2014", "rogun-dispute", "kambarata-dispute"):
        assert catalogue[empty].casualties == []


def test_a_figure_without_a_source_is_refused() -> None:
    with pytest.raises(ValidationError):
        Casualty(measure="dead", value=10, source=" ")


def _brd(bundle: Path, conflict_id: str, years: range) -> tuple[int, int, int]:
    with (bundle / "ucdp" / "ucdp-brd-dyadic-251.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["conflict_id"] == conflict_id and int(r["year"]) in years]
    return tuple(sum(int(r[k]) for r in rows) for k in ("bd_best", "bd_low", "bd_high"))  # type: ignore[return-value]


def test_ucdp_figures_match_the_bundles_battle_deaths_file(bundle: Path) -> None:
    catalogue = {e.id: e for e in episodes()}
    for episode_id, conflict_id, years in (
        ("tajik-civil-war", "395", range(1992, 1999)),
        ("imu-incursions-1999-2000", "415", range(1999, 2001)),
        ("kgz-tjk-border-2022", "13324", range(2022, 2023)),
        ("kgz-tjk-border-2021", "13324", range(2021, 2022)),
    ):
        ucdp = [c for c in catalogue[episode_id].casualties if c.source.startswith("UCDP BRD")]
        assert len(ucdp) == 1
        best, low, high = _brd(bundle, conflict_id, years)
        assert ucdp[0].value == best
        assert ucdp[0].low in (None, low) and ucdp[0].high in (None, high)


def test_the_record_gives_the_stage_1_3_and_6_months_before(series_workspace: Path) -> None:
    record = {e["id"]: e for e in episode_record(workspace=series_workspace)}
    assert set(record) == REQUIRED
    for episode in record.values():
        for unit, entry in episode["record"].items():
            assert set(entry["before"]) == {"1", "3", "6"}
            for lead, shown in entry["before"].items():
                assert shown["stage"] in STAGES, (episode["id"], unit, lead)
                assert "forecast_risk" in shown and shown["forecast_risk"] is None
    war = record["kgz-tjk-border-2022"]["record"]
    assert set(war) == {"KGZ", "TJK", "KGZ-TJK"}
    assert war["KGZ-TJK"]["at_start"]["stage"] == "war"
    assert war["KGZ-TJK"]["before"]["1"]["month"] == "2022-08"
    assert war["KGZ-TJK"]["before"]["6"]["month"] == "2022-03"
