"""The domain's own words — places, agenda blocks, the reasons of a warning — in the reader's language.

The domains (:mod:`prevdip.geo`, :mod:`prevdip.response`) speak English and hand out codes beside their text; a
brief or a page words those codes with its catalogue, and falls back to the domain's English where the catalogue
has no word (a country outside the region, an agenda block recorded before the codes existed). Templates use these
as filters, given the page's catalogue ``t``: ``{{ u.unit | place(u.name, t) }}``, ``{{ block | agenda_title(t) }}``,
``{{ block | proposal(t) }}``, ``{{ w | reasons(t) | join('; ') }}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

Catalogue = Mapping[str, Mapping[str, str]]


def place(code: str, fallback: str, words: Catalogue) -> str:
    """A country (``KGZ``) or border dyad (``KGZ-TJK``) by its name in ``words``; ``fallback`` when one is missing."""
    names = words.get("country_name", {})
    parts = code.split("-")
    if len(parts) > 2 or not all(part in names for part in parts):
        return fallback
    return " – ".join(names[part] for part in parts)


def agenda_title(block: Mapping[str, Any], words: Catalogue) -> str:
    """The title of an agenda block, by its priority group."""
    return words.get("agenda", {}).get(f"title_{block.get('priority_group')}", block.get("title", ""))


def proposal(block: Mapping[str, Any], words: Catalogue) -> str:
    """What the centre proposes in an agenda block, by the proposal's code."""
    return words.get("agenda", {}).get(f"proposal_{block.get('proposal_code')}", block.get("proposal", ""))


def _percent(value: object) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "?"


def reasons(warning: Mapping[str, Any], words: Catalogue) -> list[str]:
    """Why a warning was raised, worded from its ``reason_codes``; its English ``reasons`` when it has none."""
    codes = warning.get("reason_codes") or []
    wording = words.get("warning_reason", {})
    if not codes or any(code.get("key") not in wording for code in codes):
        return list(warning.get("reasons") or [])
    said = []
    for code in codes:
        values = dict(code.get("values") or {})
        if "stage" in values:
            values["stage"] = words.get("stage", {}).get(values["stage"], values["stage"])
        for key in ("risk", "threshold"):
            if key in values:
                values[key] = _percent(values[key])
        said.append(wording[code["key"]].format(**values))
    return said


def install(env: jinja2.Environment) -> None:
    """Make these filters available to ``env``'s templates."""
    env.filters.update(place=place, agenda_title=agenda_title, proposal=proposal, reasons=reasons)
