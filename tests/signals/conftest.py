"""Small hand-written event lakes in the contract's layout, over the real bundle's series and boundaries."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from prevdip.events import EVENT_SCHEMA, Category, Event

LakeWriter = Callable[[Path, list[Event]], None]


def write_lake(workspace: Path, events: list[Event]) -> None:
    """Write events as `<ws>/lake/events/source=<s>/year=<y>/test-<n>.parquet`, exactly EVENT_SCHEMA."""
    groups: dict[tuple[str, int], list[Event]] = {}
    for event in events:
        groups.setdefault((event.source, event.date_start.year), []).append(event)
    for n, ((source, year), members) in enumerate(sorted(groups.items())):
        folder = workspace / "lake" / "events" / f"source={source}" / f"year={year}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist([e.as_row() for e in members], schema=EVENT_SCHEMA)
        pq.write_table(table, folder / f"test-{n}.parquet")


def event(uid: str, day: date, **fields: Any) -> Event:
    """An event with test defaults (source 'field', category other)."""
    return Event(source=fields.pop("source", "field"), source_event_id=uid, date_start=day, **fields)


# A small lake: one event per behaviour the panels and rules must show.
SEPT = date(2022, 9, 15)
SCENE = [
    # Kyrgyz-Tajik border battle at Vorukh: interstate, a km from the line.
    event(
        "vorukh",
        SEPT,
        source="ucdp_ged",
        country_iso3="TJK",
        latitude=39.85,
        longitude=70.58,
        actor1="Government of Kyrgyzstan",
        actor1_country="KGZ",
        actor2="Government of Tajikistan",
        actor2_country="TJK",
        category=Category.BATTLE,
        fatalities_best=10,
    ),
    # ISKP attack in northern Afghanistan, near the Tajik border.
    event(
        "iskp-north",
        date(2022, 9, 10),
        source="ucdp_ged",
        country_iso3="AFG",
        latitude=37.05,
        longitude=68.85,
        actor1="IS",
        actor2="Civilians",
        category=Category.VIOLENCE_AGAINST_CIVILIANS,
        fatalities_best=3,
    ),
    # Protest in Almaty (GDELT, CAMEO 141).
    event(
        "almaty-protest",
        date(2022, 1, 5),
        source="gdelt",
        country_iso3="KAZ",
        latitude=43.25,
        longitude=76.95,
        location="Almaty, Almaty City, Kazakhstan",
        source_event_type="14",
        source_sub_event_type="141",
        category=Category.PROTEST,
        goldstein=-6.5,
        quad_class=3,
    ),
    # Ceasefire declared in Bishkek (CAMEO 0871): cooperation that no priority-group rule covers.
    event(
        "bishkek-ceasefire",
        date(2022, 9, 20),
        source="gdelt",
        country_iso3="KGZ",
        latitude=42.87,
        longitude=74.59,
        location="Bishkek, Kyrgyzstan",
        source_event_type="08",
        source_sub_event_type="0871",
        category=Category.AGREEMENT,
        goldstein=9.0,
        quad_class=2,
        description="Declare truce, ceasefire",
    ),
    # A Basins-at-Risk water event on the Irtysh between China and Kazakhstan.
    event(
        "bar-ertix",
        date(1999, 9, 2),
        source="tfdd_bar",
        country_iso3="KAZ",
        location="Ertix River (a.k.a. Irtysh)",
        actor1_country="CHN",
        actor2_country="KAZ",
        category=Category.WATER_COOPERATION,
        water_scale=1,
    ),
    # Heroin seized by Tajik border guards on the Panj.
    event(
        "panj-heroin",
        date(2022, 9, 3),
        country_iso3="TJK",
        latitude=37.25,
        longitude=69.1,
        actor1="Border guards of Tajikistan",
        category=Category.STRATEGIC_DEVELOPMENT,
        description="Border guards seized 50 kg of heroin on the Panj",
    ),
]


@pytest.fixture
def lake_writer() -> LakeWriter:
    return write_lake


@pytest.fixture
def make_event() -> Callable[..., Event]:
    return event


@pytest.fixture(scope="session")
def scene_workspace(tmp_path_factory: pytest.TempPathFactory, bundle: Path, series_lake: Path) -> Path:
    """A workspace whose lake holds SCENE beside the real bundle's series (ingested: ``series_lake``), boundaries
    from the real bundle, built once per session.

    Read-only for the tests: pass it as ``workspace=`` so the built panels are cached and shared.
    """
    workspace = tmp_path_factory.mktemp("scene") / "workspace"
    shutil.copytree(series_lake, workspace)
    write_lake(workspace, SCENE)
    return workspace


@pytest.fixture(scope="session")
def real_lake(bundle_lake: dict[str, Any], bundle: Path, pointing_at: Any) -> Iterator[Path]:
    """The session's ingested bundle workspace, with the settings pointing at it while a test uses it."""
    ws: Path = bundle_lake["workspace"]
    with pointing_at(ws, bundle):
        yield ws
