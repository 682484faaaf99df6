"""``/briefs/{month}``: the monthly situation brief, as the HTML document, its PDF, or its data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from prevdip.briefs import monthly_brief
from prevdip.events.sharing import Audience
from prevdip.web._cache import while_workspace_unchanged


@while_workspace_unchanged(maxsize=8)
def brief_page(month: date, reader: Audience = Audience.governments, *, workspace: Path) -> dict[str, Any]:
    """The brief's content for ``month`` as ``reader`` may read it (a few seconds the first time: it solves the
    water outlook)."""
    return monthly_brief(month, workspace=workspace, audience=reader)
