"""Every user-facing string of the dashboard and the briefs, in one catalogue per language.

The strings live in ``<lang>.toml`` beside this module so a translator edits one file: English, and Russian (the
working language of the region's deputy foreign ministers together) with the same keys and placeholders. Templates
read them as ``t.section.key``; :func:`say` fills ``{placeholders}``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from typing import Any

from prevdip.errors import NotFound, RefusedInput

LANGUAGES = ("en", "ru")


@lru_cache(maxsize=4)
def strings(lang: str = "en") -> dict[str, dict[str, str]]:
    """The catalogue of ``lang`` as nested sections; an unknown language is refused."""
    if lang not in LANGUAGES:
        raise NotFound(f"no strings for language {lang!r}", hint=f"known languages: {', '.join(LANGUAGES)}")
    text = files("prevdip.briefs.locale").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def language(code: str) -> str:
    """``code`` when there is a catalogue for it; refused otherwise (a 422, exit 2), naming the languages there are."""
    if code not in LANGUAGES:
        raise RefusedInput(f"unknown language {code!r}", hint=f"allowed values: {', '.join(LANGUAGES)}")
    return code


def say(key: str, lang: str = "en", **values: Any) -> str:
    """The string at ``section.key`` with its placeholders filled, e.g. ``say("events.count", count=3)``."""
    section, _, name = key.partition(".")
    return strings(lang)[section][name].format(**values)


def number(value: object) -> str:
    """A figure as people read it: thousands separated, about three significant digits, ``—`` when missing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)  # years stay 2022, not 2,022
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def probability(value: object) -> str:
    """A probability as a whole percentage, never 0 % or 100 %: a forecast is never certain, so what rounds to
    either end reads ``<1%`` or ``>99%``; ``—`` when missing."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—"
    shown = f"{value:.0%}"
    if shown in ("0%", "-0%") or value < 0.005:  # 0.005 rounds to even: "0%"
        return "<1%"
    if shown == "100%" or value >= 0.995:
        return ">99%"
    return shown


def explanation_line(name: str, explanation: Mapping[str, Any] | None, lang: str = "en") -> str | None:
    """One sentence on what moved a unit's next-month risk since last month ("Risk in Tajikistan rose from 9% to
    14%: deaths last month, neighbours' violence"), from a vintage's explanation; None without one."""
    if not explanation:
        return None
    before, now = explanation["p_before"], explanation["p_now"]
    words = strings(lang)["explanation"]
    shown = {"name": name, "before": probability(before), "now": probability(now)}
    key = "held" if shown["before"] == shown["now"] else ("rose" if now > before else "fell")
    drivers = [words.get(d["feature"], d["words"]) for d in explanation.get("drivers", [])[:2] if d["p_change"]]
    head = words[key].format(**shown)
    return f"{head}: {', '.join(drivers)}" if drivers and key != "held" else head


def evidence_line(item: object) -> str:
    """One piece of evidence in a sentence: its kind, its reason or note, then its figures."""
    if not isinstance(item, dict):
        return str(item)
    head = " ".join(str(item[k]) for k in ("kind", "rule", "series", "trend") if item.get(k) not in (None, ""))
    said = item.get("reason") or item.get("note") or item.get("text") or ""
    skip = {"kind", "rule", "series", "trend", "reason", "note", "text", "condition", "source"}
    figures = []
    for key, value in item.items():
        if key in skip or value is None:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {number(v)}" for k, v in value.items() if v is not None)
        figures.append(f"{key.replace('_', ' ')} {number(value) if isinstance(value, int | float) else value}")
    return f"{head}: {said}" + (f" ({'; '.join(figures)})" if figures else "")
