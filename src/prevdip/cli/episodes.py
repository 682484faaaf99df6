"""``prevdip episodes``: the region's episodes and what prevdip showed 1, 3 and 6 months before each."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from prevdip.cli.output import JSON_OPTION, report


def _fill_forecast_risk(episodes: list[dict[str, Any]]) -> None:
    """Put ``prevdip.forecast.risk_at(unit, origin_month, horizon)`` into each lead's slot.

    The CLI may import forecast; signals may not, so the slot is filled here. The horizon is the lead itself: the
    forecast issued ``lead`` months before the episode, for the episode's month. A unit the forecast does not cover
    (a border dyad; a state before it existed) gets ``None`` with a note — Kazakhstan and Turkmenistan, states with
    no UCDP death, are covered since the universe is every GW state; a failure is reported in the slot, never hidden.
    """
    from prevdip.forecast import risk_at

    for episode in episodes:
        for unit_code, unit in episode["record"].items():
            for horizon, lead in unit["before"].items():
                origin = date.fromisoformat(lead["month"] + "-01")
                try:
                    lead["forecast_risk"] = risk_at(unit_code, origin, int(horizon))
                except Exception as exc:  # noqa: BLE001 - any failure is reported in the slot, never hidden
                    lead["forecast_risk"] = None
                    lead["forecast_risk_note"] = f"risk_at failed: {exc}"
                    continue
                lead.pop("forecast_risk_note", None)
                if lead["forecast_risk"] is None:
                    lead["forecast_risk_note"] = "no country-month forecast for this unit at this origin"


def episodes(as_json: bool = JSON_OPTION) -> None:
    """List the episode catalogue with the stage (and forecast risk) shown 1, 3 and 6 months before each."""
    from prevdip.signals.episodes import RECORD_BASIS, episode_record

    records = episode_record()
    _fill_forecast_risk(records)

    def render(console: Console, d: Mapping[str, Any]) -> None:
        table = Table("episode", "start", "unit", "at start", "1 before", "3 before", "6 before")
        for e in d["episodes"]:
            for unit, r in e["record"].items():
                before = [str(r["before"][k]["stage"]) for k in ("1", "3", "6")]
                table.add_row(e["name"], e["start"], unit, str(r["at_start"]["stage"]), *before)
        console.print(table)
        console.print(d["basis"])

    report({"episodes": records, "basis": RECORD_BASIS}, as_json=as_json, render=render)


def register(app: typer.Typer) -> None:
    app.command("episodes")(episodes)
