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
stay. The dashboard, the centre's own tool, shows
signals computed from the full lake.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import vl_convert

from prevdip.briefs import readings
from prevdip.briefs.charts import region_map
from prevdip.briefs.locale import evidence_line, explanation_line, number, probability, say, strings, terms
from prevdip.briefs.months import month_end
from prevdip.briefs.readings import section
from prevdip.briefs.situation import regional_situation
from prevdip.events.sharing import Audience

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


def _changes(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units whose stage deteriorated or improved this month, deteriorations first."""
    moved = [u for u in units if u.get("trend") in ("deteriorated", "improved")]
    return sorted(moved, key=lambda u: (u["trend"] != "deteriorated", u["unit"]))


FIELD_REPORTS = 25  # the month's latest; the count says how many there were in all


def _field_reports(month: date, reader: Audience, workspace: Path) -> dict[str, Any]:
    """The month's field reports ``reader`` may see, newest first; the reporter only for the centre."""
    filters = {"source": "field", "since": month, "until": month_end(month), "audience": reader}
    found = readings.events(filters, limit=FIELD_REPORTS, workspace=workspace)
    keep = ("date_start", "country_iso3", "location", "category", "fatalities_best", "description", "sharing")
    reports = []
    for event in found["events"]:
        said = dict(part.split(": ", 1) for part in (event["source_reference"] or "").split("; ") if ": " in part)
        named = {"reporter": said.get("reporter")} if reader is Audience.centre else {}
        reports.append({k: event[k] for k in keep} | {"confidence": said.get("confidence")} | named)
    return {"count": found["count"], "reports": reports}


def monthly_brief(month: date, *, workspace: Path, audience: Audience = Audience.governments) -> dict[str, Any]:
    """The brief's content for ``month`` as ``audience`` may read it, JSON-ready (the map is drawn when the brief
    is rendered)."""
    situation = regional_situation(month, workspace=workspace, water=True, audience=audience)
    stages = situation["stages"]
    return {
        **situation,
        "audience": audience.value,
        "field_reports": section(lambda: _field_reports(month, audience, workspace)),
        "watch_record": section(lambda: readings.watch_record(workspace=workspace)),
        "changes": _changes(stages.get("units", [])) if stages["available"] else [],
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "attributions": readings.attributions(workspace),  # what every source of the lake asks to be cited with
        "workspace": str(workspace) if audience is Audience.centre else None,  # a server path stays in the centre
    }


def map_svg(brief: dict[str, Any], *, bundle: Path | None, lang: str = "en") -> str:
    """The region map of the brief, coloured by stage, as SVG (no browser needed); its title in ``lang``."""
    by_iso3 = {u["unit"]: u for u in brief["stages"].get("units", []) if u["kind"] == "country"}
    iso3s = tuple(c["unit"] for c in brief["countries"])
    title = say("brief.map_caption", lang, month=brief["month"])
    spec = region_map(iso3s, by_iso3, title=title, bundle=bundle, lang=lang)
    spec.setdefault("config", {})["font"] = "DejaVu Sans"  # the PDF's font, so the map's labels match the text
    return str(vl_convert.vegalite_to_svg(spec, vl_version="6.4"))


def render_html(brief: dict[str, Any], *, bundle: Path | None, lang: str = "en") -> str:
    """The brief as one self-contained HTML document (styles and map inline, nothing fetched), worded in ``lang``."""
    drawn = map_svg(brief, bundle=bundle, lang=lang)
    return _env.get_template("brief.html").render(b=brief, t=strings(lang), lang=lang, map_svg=drawn)


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
    workspace: Path, month: date, fmt: str, audience: Audience = Audience.governments, lang: str = "en"
) -> Path:
    """``<workspace>/briefs/brief-YYYY-MM.<fmt>`` for the governments; other audiences' briefs carry their name
    (``brief-YYYY-MM-centre.pdf``), so the centre's complete brief is never mistaken for the one sent out, and
    briefs in another language than English carry it last (``brief-YYYY-MM-centre-ru.pdf``)."""
    suffix = "" if audience is Audience.governments else f"-{audience.value}"
    suffix += "" if lang == "en" else f"-{lang}"
    return workspace / "briefs" / f"brief-{month:%Y-%m}{suffix}.{fmt}"


def write_brief(
    month: date,
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
        "month": f"{month:%Y-%m}",
        "audience": audience.value,
        "lang": lang,
        "format": fmt,
        "path": str(target),
        "bytes": len(data),
        "sections": {name: bool(content[name]["available"]) for name in BRIEF_SECTIONS},
    }
