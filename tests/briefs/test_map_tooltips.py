"""Issue 16 §4: a map's tooltip names what it shows in the reader's language — never a field name such as
``properties.name`` (Vega-Lite shows an untitled field by its name). Maps built on the bundle's Natural Earth files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prevdip.briefs import charts


def tooltips(spec: Any) -> Iterator[dict[str, Any]]:
    """Every tooltip entry of a Vega-Lite spec, however deep its layers."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip" and isinstance(value, list):
                yield from (entry for entry in value if isinstance(entry, dict))
            elif key == "tooltip" and isinstance(value, dict):
                yield value
            else:
                yield from tooltips(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from tooltips(item)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_map_tooltip_is_titled_in_the_reader_s_language(bundle: Path, lang: str) -> None:
    maps = {
        "locator": charts.locator_map(("KGZ", "TJK", "UZB"), {"KGZ"}, title="t", bundle=bundle, lang=lang),
        "basin": charts.basin_map("syr-darya", title="t", bundle=bundle, lang=lang),
        "events": charts.events_map(
            [{"lon": 70.6, "lat": 39.9, "count": 3, "name": "Vorukh", "deaths": 0}],
            ("KGZ", "TJK"),
            title="t",
            bundle=bundle,
            lang=lang,
        ),  # fmt: skip
    }
    for name, spec in maps.items():
        entries = [e for e in tooltips(spec) if str(e.get("field", "")).startswith("properties.")]
        assert entries, f"{name}: no tooltip over the shapes"
        for entry in entries:
            assert entry.get("title"), f"{name}: {entry['field']} shown by its field name"
            if lang == "ru":
                assert any("а" <= c.lower() <= "я" for c in entry["title"]), f"{name}: {entry['title']!r}"
