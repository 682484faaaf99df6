"""Signals: events sorted into the centre's priority groups, panels, and stages on Lund's conflict curve.

Public names: :func:`stage_panel` (country or border-dyad panel with stage, instrument, trend and indicators),
:func:`signals_for` (one unit-month with its evidence), :func:`classify_events`, :func:`taxonomy`,
:func:`episodes` and :func:`episode_record`; :func:`admin1_units` names the provinces of the admin1 panel.
Signals read the event lake and aggregate series through the events domain and never import forecast.
"""

from prevdip.signals.admin1 import admin1_units
from prevdip.signals.classify import classify_events
from prevdip.signals.episodes import Episode, episode_record, episodes
from prevdip.signals.evidence import signals_for
from prevdip.signals.reading import Kind, admin1_panel, resolve_unit, stage_panel
from prevdip.signals.stages import CRISIS_STAGES, INSTRUMENTS, RULES, STAGES
from prevdip.signals.taxonomy import AGENDA_ORDER, PRIORITY_GROUPS, taxonomy

__all__ = [
    "AGENDA_ORDER",
    "CRISIS_STAGES",
    "INSTRUMENTS",
    "PRIORITY_GROUPS",
    "RULES",
    "STAGES",
    "Episode",
    "Kind",
    "admin1_panel",
    "admin1_units",
    "classify_events",
    "episode_record",
    "episodes",
    "resolve_unit",
    "signals_for",
    "stage_panel",
    "taxonomy",
]
