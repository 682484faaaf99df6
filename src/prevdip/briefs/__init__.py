"""Situation briefs, and the charts, maps and wording the dashboard shares with them.

The web layer and the CLI call :func:`render_html`, :func:`render_pdf` and :func:`write_brief`; what a brief says is
gathered, for its audience, by the situation read model (:func:`prevdip.situation.monthly_brief`) — briefs render.
"""

from prevdip.briefs.brief import render_html, render_pdf, write_atomically, write_brief

__all__ = ["render_html", "render_pdf", "write_atomically", "write_brief"]
