"""The warnings the signals raise in a month, for both kinds of unit: what the ledger's actions answer.

The same computation as the dashboard's and the brief's warnings (the staged panels, plus the newest frozen
forecast's risk of crisis when there is one), so an action recorded "from a warning" starts from what the officer saw.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prevdip.response.warnings import EarlyWarning, open_warnings
from prevdip.signals import stage_panel


def _workspace(workspace: Path | None) -> Path:
    from prevdip.settings import get_settings

    return (workspace or get_settings().workspace).resolve()


def warnings_raised(month: date, *, workspace: Path | None = None) -> list[EarlyWarning]:
    """Every open warning of ``month`` (countries, then border dyads; alerts before watches)."""
    from prevdip.forecast import crisis_risk  # heavy (scikit-learn): only when warnings are asked for

    ws = _workspace(workspace)
    risks = crisis_risk(workspace=ws, month=month) or None
    found: list[EarlyWarning] = []
    for kind in ("country", "dyad"):
        found += open_warnings(stage_panel(kind, workspace=ws), month, kind=kind, risks=risks)
    return found


def latest_month(*, workspace: Path | None = None) -> date:
    """The last month the signals cover."""
    return stage_panel("country", workspace=_workspace(workspace))["month"].max().date()  # type: ignore[no-any-return]
