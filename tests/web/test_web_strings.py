"""Every user-facing string the templates use is in the catalogue (so a translation can be complete)."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from prevdip.briefs.locale import say, strings
from prevdip.errors import NotFound

REFERENCE = re.compile(r"\bt\.([a-z_]+)\.([a-z_0-9]+)\b(?!\()")


def _templates() -> list[tuple[str, str]]:
    found = []
    for package in ("prevdip.web", "prevdip.briefs"):
        folder = files(package).joinpath("templates")
        found += [(entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir()]
    return found


def test_every_referenced_string_exists() -> None:
    catalogue = strings("en")
    referenced = {(name, section, key) for name, text in _templates() for section, key in REFERENCE.findall(text)}
    assert len(referenced) > 100
    missing = [
        f"{name}: t.{section}.{key}" for name, section, key in referenced if key not in catalogue.get(section, {})
    ]
    assert missing == []


def test_placeholders_are_filled() -> None:
    assert say("events.count", count="1,234") == "1,234 events match"
    assert say("brief.title", month="2022-09") == "Monthly situation brief — 2022-09"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(NotFound, match="no strings for language"):
        strings("xx")
