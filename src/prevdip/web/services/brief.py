"""``/briefs/{month}``: the monthly situation brief, as the HTML document, its PDF, or its data."""

from __future__ import annotations

from pathlib import Path

from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import monthly_brief
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Brief, extended


@while_workspace_unchanged(maxsize=8)
def brief_page(month: Month, reader: Audience = Audience.governments, *, workspace: Path) -> Brief:
    """The brief's content for ``month`` as ``reader`` may read it (a few seconds the first time: it solves the
    water outlook)."""
    return extended(Brief, monthly_brief(month, workspace=workspace, audience=reader))
