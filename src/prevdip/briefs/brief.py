"""The monthly situation brief: for each country and border dyad its stage and trend, what changed and why, the
forecast with its uncertainty, developments in each priority group, the water season outlook, and agenda blocks
for the next meeting of deputy foreign ministers. One HTML document (map as inline SVG); PDF through WeasyPrint.
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

from prevdip.briefs.charts import region_map
from prevdip.briefs.locale import evidence_line, number, say, strings
from prevdip.briefs.situation import regional_situation

_env = jinja2.Environment(
    loader=jinja2.FunctionLoader(
        lambda name: files("prevdip.briefs").joinpath("templates", name).read_text(encoding="utf-8")
    ),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["number"] = number
_env.filters["evidence"] = evidence_line


def _changes(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units whose stage deteriorated or improved this month, deteriorations first."""
    moved = [u for u in units if u.get("trend") in ("deteriorated", "improved")]
    return sorted(moved, key=lambda u: (u["trend"] != "deteriorated", u["unit"]))


def monthly_brief(month: date, *, workspace: Path) -> dict[str, Any]:
    """The brief's content for ``month``, JSON-ready (the map is drawn when the brief is rendered)."""
    situation = regional_situation(month, workspace=workspace, water=True)
    stages = situation["stages"]
    return {
        **situation,
        "changes": _changes(stages.get("units", [])) if stages["available"] else [],
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workspace": str(workspace),
    }


def map_svg(brief: dict[str, Any], *, bundle: Path | None) -> str:
    """The region map of the brief, coloured by stage, as SVG (no browser needed)."""
    by_iso3 = {u["unit"]: u for u in brief["stages"].get("units", []) if u["kind"] == "country"}
    iso3s = tuple(c["unit"] for c in brief["countries"])
    spec = region_map(iso3s, by_iso3, title=say("brief.map_caption", month=brief["month"]), bundle=bundle)
    spec.setdefault("config", {})["font"] = "DejaVu Sans"  # the PDF's font, so the map's labels match the text
    return str(vl_convert.vegalite_to_svg(spec, vl_version="6.4"))


def render_html(brief: dict[str, Any], *, bundle: Path | None) -> str:
    """The brief as one self-contained HTML document (styles and map inline, nothing fetched)."""
    return _env.get_template("brief.html").render(b=brief, t=strings("en"), map_svg=map_svg(brief, bundle=bundle))


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


BRIEF_SECTIONS = ("stages", "forecast", "priority_groups", "water_outlook", "warnings")


def write_brief(
    month: date, *, fmt: str = "html", out: Path | None = None, workspace: Path, bundle: Path | None
) -> dict[str, Any]:
    """Render the brief for ``month`` as ``html`` or ``pdf`` and write it atomically; returns what was written.

    The default place is ``<workspace>/briefs/brief-YYYY-MM.<fmt>``; the report names each section and whether it
    had data, because a brief that says "not available" must be visible as such to whoever sends it on.
    """
    content = monthly_brief(month, workspace=workspace)
    html = render_html(content, bundle=bundle)
    data = html.encode("utf-8") if fmt == "html" else render_pdf(html)
    target = out or workspace / "briefs" / f"brief-{month:%Y-%m}.{fmt}"
    write_atomically(target, data)
    return {
        "month": f"{month:%Y-%m}",
        "format": fmt,
        "path": str(target),
        "bytes": len(data),
        "sections": {name: bool(content[name]["available"]) for name in BRIEF_SECTIONS},
    }
