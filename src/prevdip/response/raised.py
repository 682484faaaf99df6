"""The warnings raised in a month, for an audience: assembled here once for every face that shows them.

The staged panels of countries and border dyads, as the audience may see them, plus the newest frozen forecast's
risk of crisis — unless the lake hides reports from that audience: the crisis forecast learns from stages that count
every field report, so a watch raised on it could point at what the audience may not see, and it is withheld. The
dashboard, the brief, the cycle's summary, the ledger's "action from a warning" and its agenda from the month's
warnings all read this one function, so an officer acts on exactly what the page showed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prevdip.events.sharing import Audience, hides_anything
from prevdip.response.warnings import EarlyWarning, open_warnings
from prevdip.settings import resolve_workspace
from prevdip.signals import stage_panel


def crisis_withheld(workspace: Path, audience: Audience) -> bool:
    """Whether the crisis forecast (and the watches it raises) is withheld from ``audience``: the lake holds a report
    it may not see."""
    return hides_anything(workspace, audience)


def warnings_raised(
    month: date, *, workspace: Path | None = None, audience: Audience = Audience.centre
) -> list[EarlyWarning]:
    """Every open warning of ``month`` as ``audience`` may see it (countries, then border dyads; alerts before
    watches)."""
    from prevdip.forecast import crisis_risk  # heavy (scikit-learn): only when warnings are asked for

    ws = resolve_workspace(workspace)
    risks = None if crisis_withheld(ws, audience) else crisis_risk(workspace=ws, month=month) or None
    found: list[EarlyWarning] = []
    for kind in ("country", "dyad"):
        found += open_warnings(stage_panel(kind, workspace=ws, audience=audience), month, kind=kind, risks=risks)
    return found


def latest_month(*, workspace: Path | None = None) -> date:
    """The last month the signals cover."""
    return stage_panel("country", workspace=resolve_workspace(workspace))["month"].max().date()  # type: ignore[no-any-return]
