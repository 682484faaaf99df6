"""The public face of signals: the staged panels and one unit-month's reading with its evidence.

Building the panels takes a second or two, so a built :class:`Board` is kept per workspace and audience and reused
while the lake's provenance stamp stays the same (:func:`prevdip.events.lake.lake_stamp`: a new ingest changes it)
— the episode record asks for dozens of unit-months in one command.
A board is built for one :class:`~prevdip.events.sharing.Audience` (the centre's own: everything): a brief for the
governments stages the region on what they may see, so none of its figures can come from a hidden report.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from prevdip.errors import NotFound, RefusedInput
from prevdip.events.lake import lake_stamp
from prevdip.events.sharing import Audience, hides_anything, visible_sql
from prevdip.geo import country, dyad, region
from prevdip.settings import get_settings, resolve_workspace
from prevdip.signals import classify, lake, panels
from prevdip.signals.admin1 import admin1_month
from prevdip.signals.classify import SIGNALS_REGION
from prevdip.signals.lake import SeriesOrigins
from prevdip.signals.stages import staged_sql

Kind = Literal["country", "dyad"]
STAGE_COLUMNS = ("unit", "month", "stage", "instrument", "trend", "stage_rule")


@dataclass
class Board:
    """The staged country and dyad panels of one workspace, with the connection holding their event tables."""

    con: duckdb.DuckDBPyConnection
    country: pd.DataFrame
    dyad: pd.DataFrame
    admin1: pd.DataFrame
    origins: SeriesOrigins
    last_month: date
    lock: threading.Lock = field(default_factory=threading.Lock)  # one DuckDB connection: one query at a time


def _last_month(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute(
        "SELECT greatest((SELECT max(month) FROM country_month_deaths_norm), (SELECT max(month) FROM enriched))"
    ).fetchone()
    if row is None or row[0] is None:
        raise RefusedInput("the lake and the series are empty", hint="run `prevdip ingest bundle` first")
    return row[0]  # type: ignore[no-any-return]


def _staged(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    frame = con.sql(staged_sql(table)).df()
    frame["month"] = pd.to_datetime(frame["month"])
    return frame[[*STAGE_COLUMNS, *[c for c in frame.columns if c not in STAGE_COLUMNS]]]


def build_board(
    workspace: Path,
    bundle: Path | None,
    con: duckdb.DuckDBPyConnection | None = None,
    audience: Audience = Audience.centre,
) -> Board:
    """Classify the events ``audience`` may see, build and stage both panels (no cache)."""
    con = con or duckdb.connect()
    classify.load_events(con, workspace, bundle, audience)
    origins = lake.load_series(con, workspace)
    last = _last_month(con)
    units = region(SIGNALS_REGION).iso3s
    country_table = panels.country_month(con, units, last)
    dyad_table = panels.dyad_month(con, units, last)
    admin1 = con.sql(f"SELECT * FROM {admin1_month(con, bundle, last)}").df()
    admin1["month"] = pd.to_datetime(admin1["month"])
    return Board(con, _staged(con, country_table), _staged(con, dyad_table), admin1, origins, last)


@lru_cache(maxsize=8)  # two lake versions for each of the four audiences
def _cached_board(workspace: Path, bundle: Path | None, stamp: str, audience: Audience) -> Board:
    return build_board(workspace, bundle, audience=audience)


def board(workspace: Path | None = None, audience: Audience = Audience.centre) -> Board:
    """The current board of ``workspace`` (default: the settings' workspace) as ``audience`` may see it, rebuilt
    when the lake changed."""
    settings = get_settings()
    ws = resolve_workspace(workspace)
    stamp = lake_stamp(ws).digest
    built = _cached_board(ws, settings.bundle, stamp, _audience_needed(ws, stamp, audience))
    if audience is not Audience.centre and _holds_hidden(built, audience):  # a report landed after the check
        built = _cached_board(ws, settings.bundle, stamp, audience)
    return built


def _holds_hidden(built: Board, audience: Audience) -> bool:
    """Whether a board's own events include one ``audience`` may not see — the check that decides, on the events the
    board was built from, so an ingest between the file check and the build cannot leak into a brief."""
    with built.lock:
        found = built.con.execute(f"SELECT 1 FROM lake_events WHERE NOT {visible_sql(audience)} LIMIT 1").fetchall()
    return bool(found)


@lru_cache(maxsize=16)
def _audience_needed(workspace: Path, stamp: str, audience: Audience) -> Audience:
    """The audience a board must be built for: the centre's board serves any audience the lake hides nothing from
    (a lake of published sources), so a governments' brief does not stage the region twice."""
    return audience if hides_anything(workspace, audience) else Audience.centre


def stage_panel(
    kind: Kind,
    *,
    workspace: Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    audience: Audience = Audience.centre,
) -> pd.DataFrame:
    """Every unit-month of the country or border-dyad panel with its stage, instrument, trend and indicators.

    Columns: unit, month (Timestamp, first day), stage, instrument, trend, stage_rule, then the indicators.
    Passing ``con`` builds afresh in that connection (its temporary tables stay there for further SQL).
    """
    if kind not in ("country", "dyad"):
        raise RefusedInput(f"unknown panel kind {kind!r}", hint="use 'country' or 'dyad'")
    if con is not None:
        built = build_board(resolve_workspace(workspace), get_settings().bundle, con, audience)
    else:
        built = board(workspace, audience)
    return (built.country if kind == "country" else built.dyad).copy()


def admin1_panel(*, workspace: Path | None = None) -> pd.DataFrame:
    """The admin1-month panel (units ``ISO3:Province``) with the same event indicators as the country panel."""
    return board(workspace).admin1.copy()


def resolve_unit(unit: str) -> tuple[Kind, str]:
    """A country code/name or a dyad ``A-B`` → (kind, canonical unit code); unknown units are refused."""
    if "-" in unit.strip("-"):
        return "dyad", dyad(unit).code
    found = country(unit).iso3
    if found not in region(SIGNALS_REGION).iso3s:
        covered = ", ".join(region(SIGNALS_REGION).iso3s)
        raise NotFound(f"{found} is not in the signals panel", hint=f"covered: {covered}")
    return "country", found
