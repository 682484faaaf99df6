"""Warnings from a staged panel, and the agenda blocks they make."""

from __future__ import annotations

from datetime import date

import pandas as pd

from prevdip.response import agenda_blocks, open_warnings


def _panel() -> pd.DataFrame:
    rows = [
        # unit, month, stage, trend, instrument, pg_water, pg_border, deaths
        ("KGZ-TJK", "2022-09-01", "war", "deteriorated", "peacemaking", 0, 3, 67),
        ("KGZ-UZB", "2022-09-01", "unstable_peace", "unchanged", "preventive_diplomacy", 2, 0, 0),
        ("KAZ-KGZ", "2022-09-01", "stable_peace", "unchanged", "peacetime_diplomacy", 0, 0, 0),
        ("TJK-UZB", "2022-09-01", "stable_peace", "deteriorated", "peacetime_diplomacy", 0, 0, 0),
        ("KGZ-TJK", "2022-08-01", "unstable_peace", "unchanged", "preventive_diplomacy", 0, 0, 0),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "unit",
            "month",
            "stage",
            "trend",
            "instrument",
            "pg_environment_water_energy",
            "pg_border_disputes",
            "deaths",
        ],
    )
    frame["month"] = pd.to_datetime(frame["month"])
    frame["stage_rule"] = "R"
    return frame


def test_alerts_for_war_watches_for_deterioration_and_unstable_peace_with_events() -> None:
    warnings = open_warnings(_panel(), date(2022, 9, 1), kind="dyad")
    by_unit = {w.unit: w for w in warnings}
    assert set(by_unit) == {"KGZ-TJK", "KGZ-UZB", "TJK-UZB"}
    assert by_unit["KGZ-TJK"].level == "alert"
    assert by_unit["KGZ-TJK"].priority_groups == ("border_disputes",)
    assert by_unit["KGZ-UZB"].level == "watch"
    assert by_unit["KGZ-UZB"].priority_groups == ("environment_water_energy",)
    assert by_unit["TJK-UZB"].reasons == ("deteriorated since last month",)
    assert warnings[0].unit == "KGZ-TJK"  # alerts first


def test_forecast_risk_raises_a_watch_only_above_the_threshold() -> None:
    panel = _panel()
    quiet = open_warnings(panel, date(2022, 9, 1), kind="dyad", risks={"KAZ-KGZ": 0.1})
    assert "KAZ-KGZ" not in {w.unit for w in quiet}
    risky = open_warnings(panel, date(2022, 9, 1), kind="dyad", risks={"KAZ-KGZ": 0.4})
    kaz = next(w for w in risky if w.unit == "KAZ-KGZ")
    assert kaz.level == "watch" and kaz.risk == 0.4
    assert "forecast P(crisis or worse)" in kaz.reasons[0]


def test_no_warning_in_a_month_without_rows() -> None:
    assert open_warnings(_panel(), date(2021, 1, 1), kind="dyad") == []


def test_agenda_blocks_follow_the_meeting_order_and_take_the_strongest_instrument() -> None:
    warnings = open_warnings(_panel(), date(2022, 9, 1), kind="dyad")
    blocks = agenda_blocks(warnings)
    assert [b.priority_group for b in blocks] == ["environment_water_energy", "border_disputes"]
    border = blocks[1]
    assert border.units == ("KGZ-TJK", "TJK-UZB")  # a dyad's unclassified deterioration is a border matter
    assert border.instrument == "peacemaking"
    assert "mediation" in border.proposal
    assert border.as_dict()["warnings"][0]["month"] == "2022-09"


def test_each_reason_has_a_code_with_its_figures_beside_the_english() -> None:
    risky = open_warnings(_panel(), date(2022, 9, 1), kind="dyad", risks={"KGZ-TJK": 0.312})
    war = next(w for w in risky if w.unit == "KGZ-TJK").as_dict()
    assert war["reasons"] == [
        "stage war (rule R)",
        "deteriorated since last month",
        "forecast P(crisis or worse) next month 31% ≥ 25%",
    ]
    assert war["reason_codes"] == [
        {"key": "stage", "values": {"stage": "war", "rule": "R"}},
        {"key": "deteriorated", "values": {}},
        {"key": "risk", "values": {"risk": 0.312, "threshold": 0.25}},
    ]
    water = next(w for w in risky if w.unit == "KGZ-UZB").as_dict()
    assert water["reason_codes"] == [{"key": "unstable_with_events", "values": {}}]
    assert water["reasons"] == ["unstable peace with events in a priority group"]
    block = agenda_blocks(w for w in risky if w.unit == "KGZ-TJK")[0].as_dict()
    assert block["proposal_code"] == "peacemaking" and block["instrument"] == "peacemaking"
