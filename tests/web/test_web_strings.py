"""Every user-facing string the templates use is in each catalogue, and Russian matches English key for key."""

from __future__ import annotations

import re
import string
from importlib.resources import files

import pytest

from prevdip.briefs.locale import LANGUAGES, say, strings
from prevdip.errors import NotFound

REFERENCE = re.compile(r"\bt\.([a-z_]+)\.([a-z_0-9]+)\b(?!\()")


def _templates() -> list[tuple[str, str]]:
    found = []
    for package in ("prevdip.web", "prevdip.briefs"):
        folder = files(package).joinpath("templates")
        found += [(entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir()]
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_referenced_string_exists(lang: str) -> None:
    catalogue = strings(lang)
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


SAME_IN_RUSSIAN = {"app.name", "nav.api", "backtests.col_value", "country.heading"}  # a name, a code, a placeholder
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _flat(lang: str) -> dict[str, str]:
    return {f"{section}.{key}": text for section, keys in strings(lang).items() for key, text in keys.items()}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_russian_has_exactly_the_english_keys_and_placeholders() -> None:
    english, russian = _flat("en"), _flat("ru")
    assert sorted(russian) == sorted(english)
    assert list(strings("ru")) == list(strings("en"))  # the same sections in the same order, for the translator
    differing = {k: (_placeholders(english[k]), _placeholders(russian[k])) for k in english}
    assert {k: pair for k, pair in differing.items() if pair[0] != pair[1]} == {}


def test_no_russian_string_is_left_in_english() -> None:
    english, russian = _flat("en"), _flat("ru")
    untranslated = [
        k for k in russian if k not in SAME_IN_RUSSIAN and (russian[k] == english[k] or not CYRILLIC.search(russian[k]))
    ]
    assert untranslated == []
    assert all(russian[k] == english[k] for k in SAME_IN_RUSSIAN)  # the list stays honest
    assert say("events.count", "ru", count=12) == "Найдено событий: 12"


def test_the_gmcr_readings_and_case_narratives_have_their_russian() -> None:
    """Issue 16: a missing Russian explanation phrase, case title, description or narrative fails here, not on the
    page (where the English would show through)."""
    from prevdip.gmcr import list_cases
    from prevdip.gmcr.wording import PHRASES

    english, russian = PHRASES["en"], PHRASES["ru"]
    assert sorted(russian) == sorted(english)
    assert {k: _placeholders(russian[k]) for k in english} == {k: _placeholders(english[k]) for k in english}
    assert [k for k, text in russian.items() if not CYRILLIC.search(text) or text == english[k]] == []
    folder = files("prevdip.gmcr").joinpath("cases")
    cases = {c["case"]: c for c in list_cases("en")}
    for case in list_cases("ru"):
        name = case["case"]
        assert folder.joinpath(f"{name}.ru.md").is_file(), f"{name}: no Russian narrative"
        for field in ("title", "description", "reading"):
            assert CYRILLIC.search(case[field]) and case[field] != cases[name][field], f"{name}: {field}"
