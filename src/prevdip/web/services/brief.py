"""``/briefs/{month}``: the monthly situation brief, as the HTML document, its PDF, or its data."""

from __future__ import annotations

import threading
from pathlib import Path

from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import monthly_brief
from prevdip.situation.disputes import disputes_section
from prevdip.web._cache import while_workspace_unchanged
from prevdip.web._schemas import Brief, extended

#: The brief last answered for each cached brief, with the register's part as it was then (see :func:`brief_page`).
_answered: dict[int, tuple[Brief, Brief]] = {}
_answered_lock = threading.Lock()
ANSWERS_KEPT = 32


@while_workspace_unchanged(maxsize=8)
def _brief(month: Month, reader: Audience, *, workspace: Path, database_url: str | None) -> Brief:
    return extended(Brief, monthly_brief(month, workspace=workspace, audience=reader, database_url=database_url))


def brief_page(
    month: Month, reader: Audience = Audience.governments, *, workspace: Path, database_url: str | None = None
) -> Brief:
    """The brief's content for ``month`` as ``reader`` may read it (a few seconds the first time: it solves the
    water outlook). The workspace's part is kept while its files are unchanged; the register's "Disputes" part is
    read fresh, since an officer's write changes it without a file changing — and the same answer object is handed
    out while it is unchanged, so its rendering (the PDF) is kept too."""
    base = _brief(month, reader, workspace=workspace, database_url=database_url)
    warned = {w.unit for w in base.warnings.warnings or []}
    fresh = disputes_section(month, warned, url=database_url, audience=reader)
    if fresh == base.disputes:
        return base
    with _answered_lock:
        known = _answered.get(id(base))
        if known is not None and known[0] is base and known[1].disputes == fresh:
            return known[1]
        answer = base.model_copy(update={"disputes": fresh})
        if len(_answered) > ANSWERS_KEPT:
            _answered.clear()
        _answered[id(base)] = (base, answer)
        return answer
