"""What a page says in the reader's words (issue 16 §4): no command line, repository path or server path in a
reason; charts with monthly ticks, a unit on every value axis and figures never printed as "0.000000"; the coverage
line from the coverage section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prevdip.briefs import charts
from prevdip.briefs.locale import strings
from prevdip.briefs.locale.terms import coverage_line, readable

EN, RU = strings("en"), strings("ru")


@pytest.mark.parametrize(
    ("reason", "kept"),
    [
        (
            "No event lake in the workspace /srv/prevdip/ws: run `prevdip ingest bundle` (or `prevdip demo`) first.",
            "No event lake in the workspace.",
        ),
        ("no frozen forecast covers KGZ — run `prevdip forecast --month YYYY-MM`", "no frozen forecast covers KGZ."),
        ("no published backtest for ucdp-best — see docs/backtest.md", "no published backtest for ucdp-best."),
    ],
)
def test_a_reason_loses_its_commands_and_paths_and_says_who_can_help(reason: str, kept: str) -> None:
    said = readable(reason, EN)
    assert said == f"{kept} {EN['notice']['who_adds']}"
    assert "`" not in said and "prevdip " not in said and ".md" not in said and "/srv" not in said
    assert readable(reason, RU).endswith(RU["notice"]["who_adds"])  # the sentence in the reader's language


def test_a_plain_reason_stays_as_it_is() -> None:
    assert (
        readable("the forecast domain has published nothing yet", EN)
        == "the forecast domain has published nothing yet."
    )
    assert (
        readable("use ISO3 codes such as KGZ (see `prevdip regions show x`)", EN, False)
        == "use ISO3 codes such as KGZ."
    )
    assert readable(None, EN) == ""


def _axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    layers = spec.get("layer", [spec])
    return [layer["encoding"] for layer in layers if "encoding" in layer]


def test_monthly_series_tick_by_month_and_say_their_units() -> None:
    rows = [{"month": f"2022-{m:02d}-01", "group": "border_disputes", "events": m % 3} for m in range(1, 13)]
    (encoding,) = _axes(charts.group_counts_chart(rows, title="t", lang="ru"))
    assert encoding["x"]["timeUnit"] == "yearmonth" and encoding["x"]["axis"]["format"] == "%b %Y"
    assert encoding["x"]["axis"]["tickCount"] == {"interval": "month", "step": 3}
    assert encoding["x"]["title"] == "Месяц" and encoding["y"]["axis"]["title"] == "Событий в месяц"
    horizons = [{"month": "2022-10-01", "median": 0.0, "low50": 0, "high50": 0, "low90": 0, "high90": 0.5}]
    first, *_ = _axes(charts.forecast_chart(horizons, title="t"))
    assert first["y"]["axis"]["title"] == EN["chart"]["deaths"]
    assert first["y"]["axis"]["format"] == ",~g"  # d3's trimmed format: 0 reads "0", never "0.000000"


def test_the_coverage_line_names_the_sources_and_what_ended() -> None:
    section = {
        "available": True,
        "sources": [
            {
                "source": "ucdp-ged",
                "first_month": "1989-01",
                "last_month": "2022-12",
                "countries": {"KGZ": {"first_month": "1999-08", "last_month": "2010-06"}},
            },
            {"source": "ucdp-cm", "first_month": "1989-01", "last_month": "2026-05", "countries": {}},
        ],
        "ended": [{"source": "ucdp-ged", "last_month": "2022-12", "remedy": "ucdp"}],
    }
    line = coverage_line(section, EN)
    assert line.startswith("What the counts cover: UCDP GED (georeferenced events) 1989-01 to 2022-12; UCDP deaths")
    assert line.endswith("No data from UCDP GED (georeferenced events) after 2022-12: fetch newer UCDP data.")
    assert "1999-08 to 2010-06" in coverage_line(section, EN, "KGZ")
    assert "UCDP deaths" not in coverage_line(section, EN, "KGZ")  # only the sources with data in the country
    assert coverage_line({"available": False}, EN) == ""


def test_the_evidence_of_a_stage_reads_in_either_language() -> None:
    from prevdip.briefs.locale.terms import evidence
    from prevdip.signals import RULES

    assert {r.id for r in RULES} == set(EN["stage_rule"]) == set(RU["stage_rule"])  # every rule worded twice
    rule = {
        "kind": "rule",
        "rule": "W1",
        "stage": "war",
        "reason": "at least 25 deaths in the month",
        "condition": "deaths >= 25",
        "values": {"deaths": 150, "decay_25": 1},
    }
    assert evidence(rule, EN) == (
        "Rule W1 (war): at least 25 deaths in the month — Deaths this month 150; "
        "Time since the last month with 25+ deaths (1 = this month, halves every 2 years) 1"
    )
    assert evidence(rule, RU).startswith("Правило W1 (война): не менее 25 погибших за месяц — Погибшие за месяц 150")
    trend = {
        "kind": "trend",
        "trend": "deteriorated",
        "previous_month": "2022-08",
        "previous_stage": "unstable_peace",
        "previous_deaths": 0,
        "deaths": 150,
    }
    assert "2022-08" in evidence(trend, RU) and "нестабильный мир" in evidence(trend, RU)
    event = {
        "kind": "event",
        "source": "ucdp-ged",
        "date": "2022-09-16",
        "category": "battle",
        "fatalities_best": 12,
        "location": "Batken",
        "description": "clashes on the border",
    }
    assert evidence(event, RU) == (
        "2022-09-16, UCDP GED (события с географической привязкой): События: боевые столкновения, погибших 12, "
        "Batken: clashes on the border"
    )
    years = {
        "kind": "series",
        "series": "conflict_years",
        "year": 2022,
        "battle_deaths": 150,
        "intensity_level": 1,
        "interstate": True,
    }
    assert evidence(years, RU).endswith("межгосударственный: да")


def test_month_names_follow_the_language_of_the_page() -> None:
    rows = [{"month": "2022-09-01", "group": "border_disputes", "events": 1}]
    russian = charts.group_counts_chart(rows, title="t", lang="ru")["config"]["locale"]["time"]
    assert russian["shortMonths"][5] == "июн" and len(russian["months"]) == 12 and len(russian["shortDays"]) == 7
    english = charts.forecast_chart([], title="t")["config"]["locale"]["time"]
    assert english["shortMonths"][5] == "Jun"


def test_the_dashboard_map_opens_a_country_and_the_brief_map_links_nowhere(bundle: Path) -> None:
    iso3s = ("KAZ", "KGZ")
    linked = charts.region_map(iso3s, {}, title="t", bundle=bundle, links="/countries/{iso3}?month=2022-09")
    shapes = linked["layer"][0]
    assert shapes["encoding"]["href"] == {"field": "properties.url", "type": "nominal"}
    urls = {f["properties"]["iso3"]: f["properties"]["url"] for f in shapes["data"]["values"]}
    assert urls == {"KAZ": "/countries/KAZ?month=2022-09", "KGZ": "/countries/KGZ?month=2022-09"}
    printed = charts.region_map(iso3s, {}, title="t", bundle=bundle)
    assert "href" not in printed["layer"][0]["encoding"]
