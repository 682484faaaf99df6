"""ACLED files as ACLED writes them, for the tests of the events domain.

The bundle holds no ACLED event rows (ACLED's terms forbid redistributing them), so ACLED rows are written here in
ACLED's own export layout: the 31 columns in the order of the bundle's ``README.md`` (acled/) and
``acled/acled_codebook.csv``, comma-separated, quoted only where a value holds a comma, quote or line break (what
ACLED's CSV export and Python's csv module both do). Values follow ACLED's codebook (2021): state forces named
``Military Forces of State (years)``, ``inter1``/``inter2`` codes 1-8 in exports, words in what the API and its R
client return by default (``acledR::acled_api(inter_numeric = FALSE)``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ACLED_COLUMNS = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 inter1 "
    "actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 location "
    "latitude longitude geo_precision source source_scale notes fatalities tags timestamp"
).split()

# A Kyrgyz-Tajik border clash as ACLED codes one: two state forces (inter 1), interaction 11, in Batken.
BATKEN_CLASH: dict[str, str] = {
    "event_id_cnty": "KGZ3001",
    "event_date": "2022-09-14",
    "year": "2022",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Kyrgyzstan (2021-)",
    "assoc_actor_1": "Border Guards of Kyrgyzstan",
    "inter1": "1",
    "actor2": "Military Forces of Tajikistan (1994-)",
    "assoc_actor_2": "",
    "inter2": "1",
    "interaction": "11",
    "civilian_targeting": "",
    "iso": "417",
    "region": "Caucasus and Central Asia",
    "country": "Kyrgyzstan",
    "admin1": "Batken",
    "admin2": "Batken",
    "admin3": "Samarkandek",
    "location": "Kok-Tash",
    "latitude": "39.95",
    "longitude": "70.58",
    "geo_precision": "1",
    "source": "24.kg; AKIpress",
    "source_scale": "National",
    "notes": "On 14 September 2022, Kyrgyz and Tajik border guards exchanged fire near Kok-Tash, Batken.",
    "fatalities": "2",
    "tags": "",
    "timestamp": "1663300000",
}


def acled_csv(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = ACLED_COLUMNS) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue()


@pytest.fixture
def acled_file(tmp_path: Path) -> Callable[..., Path]:
    """Write ACLED rows (changes to :data:`BATKEN_CLASH`) as an export file; returns its path."""

    def write(*changes: dict[str, Any], name: str = "acled-export.csv") -> Path:
        rows = [BATKEN_CLASH | {k: str(v) for k, v in change.items()} for change in changes]
        path = tmp_path / name
        path.write_text(acled_csv(rows), encoding="utf-8")
        return path

    return write
