"""The shipped register (``src/prevdip/disputes/register.toml``) held to its sources and to the lifecycle's rules.

The file cites, for every date, the public sources it was read in; these tests read the file and assert that each
dispute's history keeps the rules, that the documented dates are the ones the brief and the sources name, that
every date has two sources or says why not, and that the figures taken from the reference bundle are the bundle's.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from prevdip.disputes import shipped_register
from prevdip.disputes.checks import check_links, check_units
from prevdip.disputes.phases import history_refusal
from prevdip.disputes.records import DisputeIn, Entry, first_day, steps
from prevdip.disputes.shipped import read_register, register_path
from prevdip.errors import RefusedInput

REGISTER = {d.id: d for d in shipped_register()}


def _entries(dispute: DisputeIn) -> list[Entry]:
    return [*dispute.history, *dispute.milestones]


def _phases(dispute_id: str) -> list[tuple[str, str]]:
    return [(t.phase, t.date) for t in REGISTER[dispute_id].history]


def test_the_register_ships_the_regions_disputes() -> None:
    assert set(REGISTER) == {
        "kgz-tjk-border", "kgz-uzb-border", "rogun-dam", "kambarata-1", "qosh-tepa-canal", "syr-darya-winter-releases",
    }  # fmt: skip
    assert REGISTER["kambarata-1"].parties == ["KGZ", "KAZ", "UZB"]
    assert REGISTER["qosh-tepa-canal"].parties[0] == "AFG" and set(REGISTER["qosh-tepa-canal"].parties[1:]) == {
        "UZB",
        "TKM",
    }
    assert REGISTER["rogun-dam"].gmcr_cases == ["rogun-vakhsh"]
    assert "toktogul-winter-release" in REGISTER["syr-darya-winter-releases"].gmcr_cases
    assert all(d.name.ru and d.name.en != d.name.ru for d in REGISTER.values())


@pytest.mark.parametrize("dispute_id", sorted(REGISTER))
def test_every_history_keeps_the_lifecycle_rules(dispute_id: str) -> None:
    dispute = REGISTER[dispute_id]
    assert history_refusal(steps(dispute.history)) is None
    for transition in dispute.history:
        if transition.phase == "resolved":  # resolved only by an agreement, with its sources
            assert transition.agreements and all(a.sources for a in transition.agreements)


def test_the_kyrgyz_tajik_border_is_dated_as_its_sources_say() -> None:
    assert _phases("kgz-tjk-border") == [
        ("latent", "1991-12-26"),
        ("violent", "2014-01-11"),
        ("managed", "2014-01-15"),
        ("violent", "2021-04-28"),
        ("managed", "2021-05-01"),
        ("violent", "2022-09-14"),
        ("managed", "2022-09-19"),
        ("resolved", "2025-03-13"),
    ]
    resolved = REGISTER["kgz-tjk-border"].history[-1]
    assert resolved.agreements[0].title.startswith("Treaty on the State Border")
    assert resolved.agreements[0].signed == "2025-03-13"
    khujand = next(m for m in REGISTER["kgz-tjk-border"].milestones if m.date == "2025-03-31")
    assert "Khujand" in khujand.what and "Junction Point" in khujand.agreements[0].title
    first_tolls = {f.value for f in REGISTER["kgz-tjk-border"].history[5].figures if "Kyrgyz side" in f.what}
    assert {24, 36, 59} <= first_tolls  # the tolls as they grew, each with its source


def test_the_kyrgyz_uzbek_border_is_dated_as_its_sources_say() -> None:
    assert _phases("kgz-uzb-border") == [("latent", "1991-12-26"), ("resolved", "2022-11-03")]
    titles = [a.title for a in REGISTER["kgz-uzb-border"].history[-1].agreements]
    assert any("Kempir-Abad" in t for t in titles) and any("state border" in t for t in titles)
    assert "2023-01-27" in [m.date for m in REGISTER["kgz-uzb-border"].milestones]  # the border treaty in force


def test_the_water_disputes_are_dated_as_their_sources_say() -> None:
    assert _phases("rogun-dam") == [("latent", "1991-12-26"), ("escalating", "2010-02"), ("latent", "2018-11-16")]
    assert _phases("kambarata-1") == [("latent", "1991-12-26"), ("escalating", "2012-09-07"), ("latent", "2021-03")]
    assert _phases("qosh-tepa-canal") == [("latent", "2022-03")]
    assert _phases("syr-darya-winter-releases") == [
        ("latent", "1991-12-26"),
        ("resolved", "1998-03-17"),
        ("escalating", "2004-01"),
        ("latent", "2004-02"),
    ]
    assert REGISTER["qosh-tepa-canal"].history[0].precision == "month"
    assert REGISTER["qosh-tepa-canal"].history[0].disagreement  # the Washington Post dates the start to 2021


@pytest.mark.parametrize("dispute_id", sorted(REGISTER))
def test_every_date_has_two_sources_or_says_why_not(dispute_id: str) -> None:
    for entry in _entries(REGISTER[dispute_id]):
        assert entry.sources, entry.date
        assert all(s.url or s.outlet.startswith("bundle:") for s in entry.sources), entry.date
        if entry.confirmed:
            assert len(entry.sources) >= 2, f"{dispute_id} {entry.date}: one source, not marked unconfirmed"
        else:
            assert entry.unconfirmed and len(entry.unconfirmed) > 20
        for source in entry.sources:  # a source cannot report an entry before it happened
            if source.published is not None:
                assert first_day(source.published) >= entry.day.replace(day=1), (entry.date, source.outlet)
        for figure in entry.figures:
            assert figure.sources and all(s.outlet for s in figure.sources)


def _brd_best(bundle: Path, year: int) -> int:
    with (bundle / "ucdp" / "ucdp-brd-dyadic-251.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if {r["gwno_a"], r["gwno_b"]} == {"703", "702"} and r["year"] == str(year)]
    assert len(rows) == 1
    return int(rows[0]["bd_best"])


def test_figures_read_in_the_bundle_are_the_bundles(bundle: Path) -> None:
    border = REGISTER["kgz-tjk-border"].history
    by_year = {2021: border[3], 2022: border[5]}
    for year, transition in by_year.items():
        ucdp = next(f for f in transition.figures if "UCDP BRD" in f.what)
        assert transition.day.year == year and ucdp.value == _brd_best(bundle, year)  # 56 and 150
    with (bundle / "tfdd" / "tfdd_treaties_raw.csv").open(encoding="utf-8-sig", errors="replace", newline="") as f:
        rows = csv.DictReader(f)
        signed = {r["DateSigned"] for r in rows if "water and energy resources of the S" in r["DocumentName"]}
    resolved = REGISTER["syr-darya-winter-releases"].history[1]
    assert "3/17/98" in signed and resolved.date == "1998-03-17"


def test_units_and_linked_models_exist(bundle: Path) -> None:
    for dispute in REGISTER.values():
        check_units(dispute.units, bundle)  # provinces as the signals spell them, basins of the basin model
        check_links(dispute.gmcr_cases, dispute.basin_scenarios)


def test_a_mistake_in_a_register_file_is_refused_naming_the_dispute_and_field(tmp_path: Path) -> None:
    text = register_path().read_text(encoding="utf-8")
    broken = tmp_path / "register.toml"
    broken.write_text(text.replace('date = "2021-05-01"', 'date = "2021-04-01"', 1), encoding="utf-8")
    with pytest.raises(RefusedInput, match=r"disputes\[0\] \(kgz-tjk-border\): history step 5.*before"):
        read_register(broken)
    broken.write_text(text.replace('phase = "resolved"', 'phase = "settled"', 1), encoding="utf-8")
    with pytest.raises(RefusedInput, match=r"\(kgz-tjk-border\): history\.7\.phase"):
        read_register(broken)


def test_the_docs_describe_every_shipped_dispute() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "disputes.md").read_text(encoding="utf-8")
    assert all(f"`{dispute_id}`" in docs for dispute_id in REGISTER)
    assert date.today() >= max(t.day for d in REGISTER.values() for t in d.history)
