"""Panels in DuckDB SQL: country-month, border-dyad-month and admin1-month cells over the lake and the series.

Every panel is built the same way: a *membership* query says which events fall in which cell (a country's events;
a dyad's events as :mod:`prevdip.events.dyads` defines them, the same as ``prevdip events --dyad``; an admin-1 area's
events), one aggregation turns members into counts by category and priority group, fatalities, Goldstein sum and
mean and the BAR water score, and the full unit × month grid is joined with the aggregate series, which reach the
months the event files do not (country-month deaths to 2026; UCDP conflict years, interstate dyads included).
``deaths`` is the larger of the events' and the series' figure for the cell, so one source never double counts
the other (both are UCDP-based). Months since the last month at 1/5/25 deaths and their decay 2^(−t/24), and the
neighbours' spatial lag, are window functions and joins over that grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb

from prevdip.events import Category
from prevdip.events.dyads import membership_sql
from prevdip.geo import BORDER_DYADS
from prevdip.months import RECORD_START
from prevdip.signals.taxonomy import CROSS_BORDER_GROUPS, PRIORITY_GROUPS

FIRST_MONTH = RECORD_START.first_day
DECAY_HALF_LIFE = 24
DEATH_LEVELS = (1, 5, 25)

CATEGORY_COLUMNS = tuple(f"n_{c.value}" for c in Category)
GROUP_COLUMNS = tuple(f"pg_{g}" for g in PRIORITY_GROUPS)
# Deaths that concern a border: interstate events and events in these groups (a dyad's deaths count only these,
# so a Tajik government operation near Khujand does not put the Kyrgyz-Tajik dyad at war).
CROSS_BORDER_SQL = "(" + ", ".join(f"'{g}'" for g in CROSS_BORDER_GROUPS) + ")"


def _values(rows: Sequence[tuple[str, ...]], columns: str, alias: str = "t") -> str:
    """An inline VALUES table of short codes (ISO3, dyad codes: never user text)."""
    body = ", ".join("(" + ", ".join(f"'{v}'" for v in row) + ")" for row in rows)
    return f"(VALUES {body}) AS {alias}({columns})"


def aggregate_members(con: duckdb.DuckDBPyConnection, members: str, membership: str) -> str:
    """Store the membership query (unit, month, event_uid) as table ``members``; SQL aggregating it per cell."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {members} AS SELECT DISTINCT unit, month, event_uid FROM ({membership})")
    categories = ",\n".join(f"count(*) FILTER (WHERE e.category = '{c.value}') AS n_{c.value}" for c in Category)
    groups = ",\n".join(f"count(*) FILTER (WHERE g.priority_group = '{g}') AS pg_{g}" for g in PRIORITY_GROUPS)
    return f"""
        WITH cells AS (SELECT * FROM {members}),
        ev AS (
            SELECT c.unit, c.month, count(*) AS events, {categories},
                count(*) FILTER (WHERE e.event_uid NOT IN (SELECT event_uid FROM event_groups)) AS unclassified,
                sum(e.fatalities_best) AS event_deaths,
                sum(e.fatalities_best) FILTER (WHERE e.interstate OR e.event_uid IN (
                    SELECT event_uid FROM event_groups WHERE priority_group IN {CROSS_BORDER_SQL}
                )) AS cross_border_deaths,
                sum(e.goldstein) AS goldstein_sum, avg(e.goldstein) AS goldstein_mean,
                sum(e.water_scale) AS bar_water_score, count(e.water_scale) AS water_events
            FROM cells c JOIN enriched e USING (event_uid) GROUP BY ALL
        ),
        gr AS (SELECT c.unit, c.month, {groups} FROM cells c JOIN event_groups g USING (event_uid) GROUP BY ALL)
        SELECT * FROM ev LEFT JOIN gr USING (unit, month)
    """


def month_grid(con: duckdb.DuckDBPyConnection, units: Sequence[str], last_month: date) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE grid AS
        SELECT unit, range::DATE AS month FROM {_values([(u,) for u in units], "unit")}
        CROSS JOIN range(DATE '{FIRST_MONTH}', DATE '{last_month}' + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
        """
    )


def with_history(cells: str, neighbours: str) -> str:
    """Deaths history and spatial lag over a complete grid table ``cells`` (unit, month, deaths, ...)."""
    since = ",\n".join(
        f"idx - max(CASE WHEN deaths >= {k} THEN idx END) OVER w AS months_since_{k}" for k in DEATH_LEVELS
    )
    decay = ",\n".join(f"coalesce(pow(2, -months_since_{k} / {DECAY_HALF_LIFE}), 0) AS decay_{k}" for k in DEATH_LEVELS)
    return f"""
        WITH indexed AS (SELECT *, year(month) * 12 + month(month) AS idx FROM {cells}),
        hist AS (
            SELECT *, {since},
                sum(deaths) OVER (PARTITION BY unit ORDER BY month ROWS 11 PRECEDING) AS deaths_12m
            FROM indexed WINDOW w AS (PARTITION BY unit ORDER BY month ROWS UNBOUNDED PRECEDING)
        ),
        decayed AS (SELECT * EXCLUDE (idx), {decay} FROM hist),
        lag AS (
            SELECT n.unit, d.month, sum(d.deaths) AS neighbours_deaths, avg(d.decay_25) AS neighbours_decay_25
            FROM {neighbours} JOIN decayed d ON d.unit = n.neighbour GROUP BY ALL
        )
        SELECT d.*, coalesce(l.neighbours_deaths, 0) AS neighbours_deaths,
            coalesce(l.neighbours_decay_25, 0) AS neighbours_decay_25
        FROM decayed d LEFT JOIN lag l USING (unit, month)
        ORDER BY unit, month
    """


def zero_filled() -> str:
    cols = ("events", *CATEGORY_COLUMNS, "unclassified", *GROUP_COLUMNS, "water_events", "goldstein_sum")
    return ", ".join(f"coalesce(a.{c}, 0) AS {c}" for c in cols)


def country_month(con: duckdb.DuckDBPyConnection, units: Sequence[str], last_month: date) -> str:
    """Build table ``country_panel`` for ``units``; needs ``classify.load_events`` and ``lake.load_series`` first."""
    month_grid(con, units, last_month)
    membership = "SELECT country_iso3 AS unit, month, event_uid FROM enriched WHERE country_iso3 IS NOT NULL"
    pairs = [(d.a, d.b) for d in BORDER_DYADS if d.a in units and d.b in units]
    neighbours = _values(pairs + [(b, a) for a, b in pairs] or [("", "")], "unit, neighbour", alias="n")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE country_cells AS
        WITH agg AS ({aggregate_members(con, "country_members", membership)}),
        cy AS (
            SELECT iso3 AS unit, year, sum(best) AS cy_deaths, max(intensity_level) AS cy_intensity,
                bool_or(type_of_conflict = 2) AS cy_interstate
            FROM (SELECT *, unnest(location_iso3s) AS iso3 FROM conflict_years_norm) GROUP BY ALL
        )
        SELECT g.unit, g.month, {zero_filled()}, a.event_deaths, a.cross_border_deaths, a.goldstein_mean,
            a.bar_water_score, s.best_deaths AS series_deaths, cy.cy_deaths, cy.cy_intensity,
            coalesce(cy.cy_interstate, false) AS cy_interstate,
            greatest(coalesce(a.event_deaths, 0), coalesce(s.best_deaths, 0)) AS deaths
        FROM grid g
        LEFT JOIN agg a USING (unit, month)
        LEFT JOIN country_month_deaths_norm s ON s.iso3 = g.unit AND s.month = g.month
        LEFT JOIN cy ON cy.unit = g.unit AND cy.year = year(g.month)
        """
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE country_panel AS {with_history('country_cells', neighbours)}")
    return "country_panel"


def dyad_month(con: duckdb.DuckDBPyConnection, units: Sequence[str], last_month: date) -> str:
    """Build table ``dyad_panel`` for the border dyads among ``units`` (unit codes ``A-B``)."""
    dyads = [d for d in BORDER_DYADS if d.a in units and d.b in units]
    month_grid(con, [d.code for d in dyads], last_month)
    dyad_table = _values([(d.code, d.a, d.b) for d in dyads], "code, a, b", alias="d")
    membership = f"""
        SELECT m.dyad AS unit, e.month, e.event_uid
        FROM ({membership_sql("enriched", dyad_table)}) m JOIN enriched e USING (event_uid)
    """
    pairs = [(x.code, y.code) for x in dyads for y in dyads if x != y and {x.a, x.b} & {y.a, y.b}]
    neighbours = _values(pairs or [("", "")], "unit, neighbour", alias="n")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dyad_cells AS
        WITH agg AS ({aggregate_members(con, "dyad_members", membership)}),
        cy AS (
            SELECT d.code AS unit, c.year, sum(c.best) AS cy_deaths, max(c.intensity_level) AS cy_intensity,
                true AS cy_interstate
            FROM conflict_years_norm c JOIN {dyad_table}
                ON least(c.iso3_a, c.iso3_b) = d.a AND greatest(c.iso3_a, c.iso3_b) = d.b
            WHERE c.type_of_conflict = 2 GROUP BY ALL
        ),
        attributed AS (
            SELECT d.code AS unit, s.month, sum(s.best_deaths) AS series_deaths
            FROM country_month_deaths_norm s JOIN {dyad_table} ON s.iso3 IN (d.a, d.b)
            JOIN cy ON cy.unit = d.code AND cy.year = year(s.month) GROUP BY ALL
        )
        SELECT g.unit, g.month, {zero_filled()}, a.event_deaths, a.cross_border_deaths, a.goldstein_mean,
            a.bar_water_score, s.series_deaths, cy.cy_deaths, cy.cy_intensity,
            coalesce(cy.cy_interstate, false) AS cy_interstate,
            greatest(coalesce(a.cross_border_deaths, 0), coalesce(s.series_deaths, 0)) AS deaths
        FROM grid g
        LEFT JOIN agg a USING (unit, month)
        LEFT JOIN attributed s USING (unit, month)
        LEFT JOIN cy ON cy.unit = g.unit AND cy.year = year(g.month)
        """
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE dyad_panel AS {with_history('dyad_cells', neighbours)}")
    return "dyad_panel"
