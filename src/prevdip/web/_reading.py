"""The plain-words readings shipped with example models are short Markdown; this renders the little they use
(headings, paragraphs, bullet lists, bold and italics) as safe HTML, everything else escaped."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def _inline(text: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", str(escape(text))))


def _block(block: str) -> str:
    lines = block.splitlines()
    if lines[0].startswith("#"):
        return f"<h3>{_inline(lines[0].lstrip('#').strip())}</h3>" + (_block("\n".join(lines[1:])) if lines[1:] else "")
    first_item = next((i for i, line in enumerate(lines) if line.startswith("- ")), None)
    if first_item:  # a paragraph that leads into a list
        return _block("\n".join(lines[:first_item])) + _block("\n".join(lines[first_item:]))
    if first_item == 0:
        items: list[str] = []
        for line in lines:
            if line.startswith("- "):
                items.append(line[2:])
            elif items:
                items[-1] += " " + line.strip()
        return "<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>"
    return f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>"


def reading_html(text: str) -> Markup:
    """``text`` (a small Markdown subset) as HTML."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return Markup("\n".join(_block(b) for b in blocks))
