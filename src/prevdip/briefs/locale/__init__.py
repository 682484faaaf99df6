"""Every user-facing string of the dashboard and the briefs, in one catalogue per language.

The strings live in ``<lang>.toml`` beside this module so a translator edits one file; Russian will follow English
with the same keys. Templates read them as ``t.section.key``; :func:`say` fills ``{placeholders}``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib.resources import files
from typing import Any

from prevdip.errors import NotFound

LANGUAGES = ("en",)


@lru_cache(maxsize=4)
def strings(lang: str = "en") -> dict[str, dict[str, str]]:
    """The catalogue of ``lang`` as nested sections; an unknown language is refused."""
    if lang not in LANGUAGES:
        raise NotFound(f"no strings for language {lang!r}", hint=f"known languages: {', '.join(LANGUAGES)}")
    text = files("prevdip.briefs.locale").joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def say(key: str, lang: str = "en", **values: Any) -> str:
    """The string at ``section.key`` with its placeholders filled, e.g. ``say("events.count", count=3)``."""
    section, _, name = key.partition(".")
    return strings(lang)[section][name].format(**values)
