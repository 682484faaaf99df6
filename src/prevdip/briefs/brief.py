"""The monthly situation brief: for each country and border dyad its stage and trend, what changed and why, the
forecast with its uncertainty, developments in each priority group, the centre's field reports, the water season
outlook, and agenda blocks for the next meeting of deputy foreign ministers. One HTML document (map as inline SVG);
PDF through WeasyPrint.

**Audience.** A brief is written for one :class:`~prevdip.events.sharing.Audience` — by default the governments,
since it goes to their deputy foreign ministers (fail closed: the centre's own, complete brief must be asked for).
A field report that audience may not see is left out of *everything* the brief prints, not only of what it quotes:
stages, trends, instruments, priority-group counts, the evidence of what changed (rules, figures, the weightiest
events) and the open warnings are all computed from the events that audience may see (the signals board is built
per audience), so no line or count can be traced back to a hidden report.
The reporter of a field report is named only in the centre's brief (monitors are not identified to outsiders).

The crisis forecast learns from stages that count every field report, so where the lake hides reports from the
audience it is withheld (no P(crisis), no watch raised on it; the brief says why). The deaths forecast stands on
the UCDP series alone, the watch record is an aggregate over years, and the water outlook has no events: they
stay. The dashboard, the centre's own tool, shows signals computed from the full lake.

This module renders: the content is gathered, for the audience, by the situation read model
(:func:`prevdip.situation.monthly_brief`).
"""

from __future__ import annotations

import os
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import vl_convert

from prevdip.briefs.charts import region_map
from prevdip.briefs.locale import evidence_line, explanation_line, number, probability, say, strings, terms
from prevdip.catalogue import Workspace
from prevdip.events.sharing import Audience
from prevdip.months import Month
from prevdip.situation import MonthlyBrief, monthly_brief

_env = jinja2.Environment(
    loader=jinja2.FunctionLoader(
        lambda name: files("prevdip.briefs").joinpath("templates", name).read_text(encoding="utf-8")
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["number"] = number
_env.filters["probability"] = probability
_env.filters["explained"] = explanation_line
_env.filters["evidence"] = evidence_line
terms.install(_env)


def map_svg(brief: MonthlyBrief, *, bundle: Path | None, lang: str = "en") -> str:
    """The region map of the brief, coloured by stage, as SVG (no browser needed); its title in ``lang``."""
    by_iso3 = {u.unit: u.as_json() for u in brief.stages.units or [] if u.kind == "country"}
    iso3s = tuple(c.unit for c in brief.countries)
    title = say("brief.map_caption", lang, month=brief.month)
    spec = region_map(iso3s, by_iso3, title=title, bundle=bundle, lang=lang)
    spec.setdefault("config", {})["font"] = "DejaVu Sans"  # the PDF's font, so the map's labels match the text
    return str(vl_convert.vegalite_to_svg(spec, vl_version="6.4"))


def render_html(brief: MonthlyBrief, *, bundle: Path | None, lang: str = "en") -> str:
    """The brief as one self-contained HTML document (styles and map inline, nothing fetched), worded in ``lang``."""
    drawn = map_svg(brief, bundle=bundle, lang=lang)
    return _env.get_template("brief.html").render(b=brief.as_json(), t=strings(lang), lang=lang, map_svg=drawn)


def render_pdf(html: str) -> bytes:
    """The HTML brief as PDF; fonts (DejaVu, which covers Cyrillic and Kazakh letters) are embedded and subset."""
    import weasyprint

    return bytes(weasyprint.HTML(string=html, base_url=None).write_pdf())


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so no half-written brief is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


BRIEF_SECTIONS = ("stages", "forecast", "priority_groups", "field_reports", "water_outlook", "warnings")


def brief_path(
    workspace: Path, month: Month, fmt: str, audience: Audience = Audience.governments, lang: str = "en"
) -> Path:
    """``<workspace>/briefs/brief-YYYY-MM.<fmt>`` for the governments; other audiences' briefs carry their name
    (``brief-YYYY-MM-centre.pdf``), so the centre's complete brief is never mistaken for the one sent out, and
    briefs in another language than English carry it last (``brief-YYYY-MM-centre-ru.pdf``)."""
    suffix = "" if audience is Audience.governments else f"-{audience.value}"
    suffix += "" if lang == "en" else f"-{lang}"
    return Workspace(workspace).briefs / f"brief-{month}{suffix}.{fmt}"


def write_brief(
    month: Month,
    *,
    fmt: str = "html",
    out: Path | None = None,
    workspace: Path,
    bundle: Path | None,
    audience: Audience = Audience.governments,
    lang: str = "en",
) -> dict[str, Any]:
    """Render the brief for ``month`` and ``audience`` as ``html`` or ``pdf``, worded in ``lang``, and write it
    atomically; returns what was written.

    The default place is :func:`brief_path`; the report names each section and whether it had data, because a
    brief that says "not available" must be visible as such to whoever sends it on.
    """
    content = monthly_brief(month, workspace=workspace, audience=audience)
    html = render_html(content, bundle=bundle, lang=lang)
    data = html.encode("utf-8") if fmt == "html" else render_pdf(html)
    target = out or brief_path(workspace, month, fmt, audience, lang)
    write_atomically(target, data)
    return {
        "month": str(month),
        "audience": audience.value,
        "lang": lang,
        "format": fmt,
        "path": str(target),
        "bytes": len(data),
        "sections": {name: bool(getattr(content, name).available) for name in BRIEF_SECTIONS},
    }
