"""One call for a mediator's full analysis of a model, and its JSON shape (documented in ``docs/gmcr.md``).

Explanations, robustness and coalition analysis grow faster than the model (robustness re-runs the analysis once
per adjacent swap; coalition analysis keeps m²/8 bytes per coalition), so by default they are produced for models
up to :data:`EXPLAIN_LIMIT`, :data:`ROBUSTNESS_LIMIT` and :data:`COALITION_LIMIT` states; larger models get the
stability tables and equilibria, and a note saying what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from prevdip.gmcr.coalition_stability import coalition_report, coalition_stability, joint_improvements
from prevdip.gmcr.explain import explain_all
from prevdip.gmcr.limited_move import limited_move_stability
from prevdip.gmcr.model import BoolArray, GraphModel
from prevdip.gmcr.robustness import robustness as robustness_of
from prevdip.gmcr.stability import CONCEPTS, Stability, analyse_stability
from prevdip.gmcr.wording import phrases

EXPLAIN_LIMIT = 512
ROBUSTNESS_LIMIT = 128
COALITION_LIMIT = 4096
DEFAULT_HORIZON = 4


@dataclass
class AnalysisReport:
    """Stability tables, equilibria and the readings built on them, for one model."""

    model: GraphModel
    stability: Stability
    explanations: dict[str, Any] = field(default_factory=dict)
    robustness: dict[str, Any] = field(default_factory=dict)
    limited_move: dict[int, BoolArray] = field(default_factory=dict)
    coalitions: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def stable_states(self, concept: str, dm: str) -> list[str]:
        row = self.stability.stable[concept][self.model.dm_index(dm)]
        return [self.model.states[s] for s in np.flatnonzero(row)]

    def equilibria(self, concept: str) -> list[str]:
        return [self.model.states[s] for s in np.flatnonzero(self.stability.equilibria(concept))]

    def as_dict(self) -> dict[str, Any]:
        m = self.model
        out: dict[str, Any] = {
            "model": m.name,
            "description": m.description,
            "decision_makers": list(m.decision_makers),
            "states": list(m.states),
        }
        if m.options is not None:
            out["options"] = m.options.as_dict(m.states)
        out["status_quo"] = m.status_quo
        out["rankings"] = {dm: m.ranking(i) for i, dm in enumerate(m.decision_makers)}
        out["stability"] = {c: {dm: self.stable_states(c, dm) for dm in m.decision_makers} for c in CONCEPTS}
        out["equilibria"] = {c: self.equilibria(c) for c in CONCEPTS}
        out["explanations"] = self.explanations
        out["robustness"] = self.robustness
        out["coalitions"] = self.coalitions
        if self.limited_move:
            out["limited_move"] = {
                str(h): {dm: [m.states[s] for s in np.flatnonzero(table[i])] for i, dm in enumerate(m.decision_makers)}
                for h, table in self.limited_move.items()
            }
        out["notes"] = list(m.notes) + self.notes
        return out


def analyze(
    model: GraphModel,
    *,
    explain: bool | None = None,
    robustness: bool | None = None,
    coalitions: bool | None = None,
    horizon: int = DEFAULT_HORIZON,
    lang: str = "en",
) -> AnalysisReport:
    """Analyse every state for every decision maker under Nash, GMR, SMR and SEQ (and L_h for two), and for
    every coalition of two or more; the explanations in ``lang``."""
    stability = analyse_stability(model, CONCEPTS)
    report = AnalysisReport(model=model, stability=stability)
    if _wanted(report, explain, EXPLAIN_LIMIT, "explanations", lang):
        report.explanations = explain_all(model, lang)
    if _wanted(report, robustness, ROBUSTNESS_LIMIT, "robustness", lang):
        report.robustness = robustness_of(model, stability)
    if _wanted(report, coalitions, COALITION_LIMIT, "coalition_analysis", lang):
        report.coalitions = coalition_report(model, coalition_stability(model), stability)
        if model.m <= EXPLAIN_LIMIT:
            report.coalitions["improvements"] = joint_improvements(model)
    if model.n == 2:
        report.limited_move = limited_move_stability(model, horizon)
    return report


def _wanted(report: AnalysisReport, asked: bool | None, limit: int, part: str, lang: str) -> bool:
    """Whether to produce a part: as asked, or by default when the model is within its size limit (else a note in
    ``lang``)."""
    if asked is not None:
        return asked
    if report.model.m <= limit:
        return True
    report.notes.append(phrases(lang)[f"left_out_{part}"].format(limit=limit))
    return False
