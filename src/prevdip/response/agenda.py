"""Agenda blocks: open warnings grouped by priority group, the way the deputy foreign ministers' meeting is run.

The centre's meetings take the priority groups in a fixed order — cross-border threats, water and energy,
Afghanistan — then interstate border questions and internal stability; a block names its units, the instrument
the stages call for, and what the centre proposes to put on the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from prevdip.response.warnings import EarlyWarning
from prevdip.signals import AGENDA_ORDER

PRIORITY_ORDER = AGENDA_ORDER

BLOCK_TITLES = {
    "cross_border_threats": "Cross-border threats: terrorism and violent extremism, drug trafficking, organised crime",
    "environment_water_energy": "Environment, water and energy of the Amu Darya and Syr Darya",
    "afghanistan_spillover": "Afghanistan: spill-over to the Central Asian borders",
    "border_disputes": "Interstate borders: incidents, delimitation and demarcation",
    "internal_instability": "Internal stability: protest, unrest and its regional effects",
}

PROPOSALS = {
    "preventive_diplomacy": "consultations with the governments concerned; the centre's good offices",
    "crisis_diplomacy": "urgent contacts at deputy-minister level; a de-escalation mechanism on the ground",
    "peacemaking": "mediation between the parties; ceasefire and withdrawal arrangements",
    "peacebuilding": "follow-up of commitments; confidence-building measures in border communities",
    "peacetime_diplomacy": "routine exchange of information",
}

_INTENSITY = ("peacetime_diplomacy", "peacebuilding", "preventive_diplomacy", "crisis_diplomacy", "peacemaking")


@dataclass(frozen=True)
class AgendaBlock:
    """One block of the meeting's agenda: a priority group, its warnings, the instrument and the proposal."""

    priority_group: str
    title: str
    warnings: tuple[EarlyWarning, ...]
    instrument: str
    proposal: str

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w.unit for w in self.warnings))

    @property
    def proposal_code(self) -> str:
        """The key of :data:`PROPOSALS` the proposal was taken from, so a brief can word it in its own language."""
        return self.instrument if self.instrument in PROPOSALS else "preventive_diplomacy"

    def as_dict(self) -> dict[str, Any]:
        return {
            "priority_group": self.priority_group,
            "title": self.title,
            "units": list(self.units),
            "instrument": self.instrument,
            "proposal": self.proposal,
            "proposal_code": self.proposal_code,
            "warnings": [w.as_dict() for w in self.warnings],
        }


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
        blocks.append(
            AgendaBlock(
                priority_group=group,
                title=BLOCK_TITLES.get(group, group.replace("_", " ").capitalize()),
                warnings=tuple(members),
                instrument=instrument,
                proposal=PROPOSALS.get(instrument, PROPOSALS["preventive_diplomacy"]),
            )
        )
    return blocks
