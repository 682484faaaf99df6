"""The latest version of each event — the one definition the lake's reader (:mod:`prevdip.events.query`) and the
events page's listing (:mod:`prevdip.events.listing`) share — and what a filter finds, in either.

It stands below both so that the listing need not import the reader that consults it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from prevdip.events.schema import EVENT_SCHEMA


def stored_columns(stored: duckdb.DuckDBPyRelation, names: tuple[str, ...] | list[str]) -> str:
    """A select list of ``names`` over stored files: a column written before it was added to the schema (files
    older than it lack it) reads as null."""
    return ", ".join(
        name
        if name in stored.columns
        else f"cast(null as {_DUCKDB_TYPES[str(EVENT_SCHEMA.field(name).type)]}) as {name}"
        for name in names
    )


def latest_sql(table: str, columns: str, where: str = "") -> str:
    """The latest version of every event of ``table`` (highest version, then latest ingest), as ``columns``: the one
    definition of "latest" (the lake's reader and the events page's listing both use it)."""
    return f"""
        select {columns} from (
          select *, row_number() over (
            partition by source, source_event_id
            order by {version_key("source_version")} desc nulls last, source_version desc, ingested_at desc
          ) as version_rank
          from {table} {where}
        ) where version_rank = 1
        """


def version_key(expression: str) -> str:
    """SQL: a version as a list of numbers, so versions compare part by part (GED 23.1 < Candidate 24.0.9 <
    24.0.10; ACLED timestamps and report revisions are one number); an empty version is the oldest."""
    return (
        f"case when coalesce({expression}, '') = '' then []::bigint[] "
        f"else list_transform(string_split({expression}, '.'), lambda part: try_cast(part as bigint)) end"
    )


_DUCKDB_TYPES = {
    "string": "varchar",
    "date32[day]": "date",
    "double": "double",
    "float": "float",
    "int8": "tinyint",
    "int32": "integer",
    "bool": "boolean",
    "map<string, string>": "map(varchar, varchar)",
    "timestamp[us, tz=UTC]": "timestamptz",
}


@dataclass(frozen=True)
class Matching:
    """What a filter finds for an audience: ``count`` events it may see listed, and ``rows``, the ones asked for;
    ``withheld``, by source, the ones it may see counted but not listed (a licence keeps their rows); ``sources``,
    the sources of all of them (each asks to be cited)."""

    count: int
    rows: list[dict[str, Any]]
    withheld: dict[str, int]
    sources: list[str]
