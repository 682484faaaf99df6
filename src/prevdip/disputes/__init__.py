"""Disputes: the register mediators work from — each dispute of the region on Zartman's line between conflict
management and conflict resolution, with its dated record, its evidence and its public sources.

A dispute (the Kyrgyz-Tajik border, the Rogun dam, the Qosh Tepa canal) has parties, issues, a priority group, the
units it lives on (border dyads, provinces, a basin) and the GMCR cases and basin scenarios a mediator can run on it
(linked by id; a model uploaded on the dashboard as ``upload:<model id>``). Its lifecycle — ``latent`` →
``escalating`` → ``violent`` → ``managed`` → ``resolved``, relapse possible — is recorded transition by transition
with evidence (agreements, figures, events of the lake, the ledger's meetings, commitments and actions) and who
recorded it; the signals propose transitions and an officer confirms.
The register lives in the system of record, seeded on first use from the shipped ``register.toml``.

    with open_register("a.officer") as register:
        record_transition(register, "kgz-tjk-border", "violent", when="2026-06-02",
                          sources=["https://24.kg/..."], note="Shooting at the Vorukh road")
        current = [d.as_dict() for d in list_disputes(register)]
    moves = proposals(current_views, month=date(2022, 9, 1))

Public names: :func:`open_register`, :func:`list_disputes`, :func:`show_dispute`, :func:`disputes_on`,
:func:`actions_on`, :func:`for_audience`, :func:`add_dispute`, :func:`record_transition`, :func:`record_milestone`,
:func:`link_gmcr`, :func:`unlink_gmcr`, :func:`entry_data`, :func:`proposals`, :func:`shipped_register`, the
models (:class:`DisputeView`, :class:`Transition`, :class:`Milestone`, :class:`Proposal`) and the lifecycle's
:data:`PHASES`, :data:`MOVES`, :data:`QUIET_MONTHS`.
"""

from prevdip.disputes.links import link_gmcr, unlink_gmcr
from prevdip.disputes.phases import MOVES, PHASES, QUIET_MONTHS
from prevdip.disputes.proposals import Proposal, proposals
from prevdip.disputes.reading import (
    actions_on,
    disputes_on,
    for_audience,
    list_disputes,
    register_mark,
    show_dispute,
)
from prevdip.disputes.records import ISSUE_KINDS, DisputeIn, DisputeView, Milestone, Transition
from prevdip.disputes.register import Register, open_register
from prevdip.disputes.shipped import shipped_register
from prevdip.disputes.writing import add_dispute, entry_data, record_milestone, record_transition

__all__ = [
    "ISSUE_KINDS",
    "MOVES",
    "PHASES",
    "QUIET_MONTHS",
    "DisputeIn",
    "DisputeView",
    "Milestone",
    "Proposal",
    "Register",
    "Transition",
    "actions_on",
    "add_dispute",
    "disputes_on",
    "entry_data",
    "for_audience",
    "link_gmcr",
    "list_disputes",
    "register_mark",
    "open_register",
    "proposals",
    "record_milestone",
    "record_transition",
    "shipped_register",
    "show_dispute",
    "unlink_gmcr",
]
