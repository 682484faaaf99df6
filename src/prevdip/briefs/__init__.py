"""Situation briefs, and the charts, maps and wording the dashboard shares with them.

The web layer and the CLI call :func:`monthly_brief`, :func:`render_html` and :func:`render_pdf`; the readings of
other domains go through :mod:`prevdip.briefs.readings`, the one place where they are wired.
"""

from prevdip.briefs.brief import monthly_brief, render_html, render_pdf, write_atomically, write_brief
from prevdip.briefs.months import parse_month

__all__ = ["monthly_brief", "parse_month", "render_html", "render_pdf", "write_atomically", "write_brief"]
