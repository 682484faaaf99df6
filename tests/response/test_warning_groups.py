"""Warnings filed under the priority group of what drives them (issue 16 §2): the rules one by one on cells built
here, then the Kyrgyz-Tajik border war of September 2022 on the ingested bundle and the agenda it makes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from prevdip.response import agenda_blocks, warnings_raised
from prevdip.response.warnings import attribute


def _cell(unit: str, **values: Any) -> dict[str, Any]:
    """A panel row as :func:`prevdip.signals.stage_panel` gives it (absent columns read as zero or missing)."""
    return {"unit": unit, "deaths": 0, "cy_interstate": False, "cy_interstate_dyad": None, **values}


def test_afghanistan_is_its_own_block_whatever_its_events() -> None:
    filed = attribute(_cell("AFG", deaths=300, pg_internal_instability=4, pgd_cross_border_threats=20), "country")
    assert (filed.groups, filed.dyad, filed.driver) == (("afghanistan_spillover",), None, "own")


def test_deaths_in_a_year_of_interstate_conflict_go_to_the_border_dyad() -> None:
    filed = attribute(
        _cell("KGZ", deaths=67, cy_interstate=True, cy_interstate_dyad="KGZ-TJK", pg_internal_instability=2), "country"
    )
    assert (filed.groups, filed.dyad, filed.driver) == (("border_disputes",), "KGZ-TJK", "interstate")
    calm = attribute(_cell("KGZ", deaths=0, cy_interstate_dyad="KGZ-TJK", pg_internal_instability=2), "country")
    assert calm.groups == ("internal_instability",)  # no deaths: the interstate conflict does not drive this month


def test_deaths_go_by_the_actors_of_the_events_that_carry_them() -> None:
    cell = _cell("TJK", deaths=12, pgd_cross_border_threats=12, pg_cross_border_threats=1, pg_internal_instability=5)
    filed = attribute(cell, "country")
    assert (filed.groups, filed.driver) == (("cross_border_threats",), "deaths")
    protests = attribute(_cell("KAZ", deaths=0, pg_internal_instability=5), "country")
    assert (protests.groups, protests.driver) == (("internal_instability",), "events")


def test_nothing_attributes_it_so_it_says_so() -> None:
    filed = attribute(_cell("PAK", deaths=382), "country")
    assert (filed.groups, filed.dyad, filed.driver) == (("unattributed",), None, "unattributed")
    dyad = attribute(_cell("KGZ-UZB", deaths=3), "dyad")  # a dyad counts only interstate and cross-border deaths
    assert (dyad.groups, dyad.dyad) == (("border_disputes",), "KGZ-UZB")


@pytest.mark.slow
def test_september_2022_files_the_border_war_under_borders_and_afghanistan_under_afghanistan(
    bundle_lake: dict[str, Any],
) -> None:
    workspace = Path(bundle_lake["workspace"])
    found = {w.unit: w for w in warnings_raised(date(2022, 9, 1), workspace=workspace)}
    for unit in ("KGZ", "TJK", "KGZ-TJK"):
        assert found[unit].priority_groups == ("border_disputes",) and found[unit].dyad == "KGZ-TJK"
    assert found["KGZ"].driver == found["TJK"].driver == "interstate"
    assert found["AFG"].priority_groups == ("afghanistan_spillover",)
    blocks = {b.priority_group: b for b in agenda_blocks(found.values())}
    assert {"KGZ", "TJK", "KGZ-TJK"} <= set(blocks["border_disputes"].units)
    assert "AFG" in blocks["afghanistan_spillover"].units
    internal = blocks["internal_instability"].units if "internal_instability" in blocks else ()
    assert not {"KGZ", "TJK", "AFG"} & set(internal)
    assert list(blocks)[-1] == "unattributed"  # what nothing attributes comes last, said as such
