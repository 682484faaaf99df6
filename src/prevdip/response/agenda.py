"""Agenda blocks: open warnings grouped by priority group, the way the deputy foreign ministers' meeting is run.

The centre's meetings take the priority groups in a fixed order — cross-border threats, water and energy,
Afghanistan — then interstate border questions and internal stability; a block names its units, the instrument
the stages call for, and what the centre proposes to put on the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from prevdip.response.warnings import EarlyWarning
from prevdip.signals import AGENDA_ORDER
from prevdip.signals.taxonomy import AFGHANISTAN, BORDERS, CROSS_BORDER, INTERNAL, WATER_ENERGY

PRIORITY_ORDER = AGENDA_ORDER

BLOCK_TITLES = {
    CROSS_BORDER: "Cross-border threats: terrorism and violent extremism, drug trafficking, organised crime",
    WATER_ENERGY: "Environment, water and energy of the Amu Darya and Syr Darya",
    AFGHANISTAN: "Afghanistan: spill-over to the Central Asian borders",
    BORDERS: "Interstate borders: incidents, delimitation and demarcation",
    INTERNAL: "Internal stability: protest, unrest and its regional effects",
}

PROPOSALS = {
    "preventive_diplomacy": "consultations with the governments concerned; the centre's good offices",
    "crisis_diplomacy": "urgent contacts at deputy-minister level; a de-escalation mechanism on the ground",
    "peacemaking": "mediation between the parties; ceasefire and withdrawal arrangements",
    "peacebuilding": "follow-up of commitments; confidence-building measures in border communities",
    "peacetime_diplomacy": "routine exchange of information",
}

_INTENSITY = ("peacetime_diplomacy", "peacebuilding", "preventive_diplomacy", "crisis_diplomacy", "peacemaking")


class AgendaBlock(BaseModel):
    """One block of the meeting's agenda: a priority group, its warnings, the instrument and the proposal."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    priority_group: str
    title: str = Field(description="in English; a brief words it from priority_group in its own language")
    units: tuple[str, ...] = Field(description="the units of its warnings, each once")
    instrument: str = Field(description="the most intense instrument its warnings call for")
    proposal: str
    proposal_code: str = Field(description="the key of the proposal, so a brief can word it in its own language")
    warnings: tuple[EarlyWarning, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of a block."""
        return self.model_dump(mode="json")


def agenda_blocks(warnings: Iterable[EarlyWarning]) -> list[AgendaBlock]:
    """Group warnings into agenda blocks in the meeting's order; a warning in two groups appears in both."""
    by_group: dict[str, list[EarlyWarning]] = {g: [] for g in PRIORITY_ORDER}
    for warning in warnings:
        for group in warning.priority_groups:
            by_group.setdefault(group, []).append(warning)
    blocks = []
    for group, members in by_group.items():
        if not members:
            continue
        instrument = max((w.instrument for w in members), key=lambda i: _INTENSITY.index(i) if i in _INTENSITY else 0)
        code = instrument if instrument in PROPOSALS else "preventive_diplomacy"
        blocks.append(
            AgendaBlock(
                priority_group=group,
                title=BLOCK_TITLES.get(group, group.replace("_", " ").capitalize()),
                units=tuple(dict.fromkeys(w.unit for w in members)),
                instrument=instrument,
                proposal=PROPOSALS[code],
                proposal_code=code,
                warnings=tuple(members),
            )
        )
    return blocks
