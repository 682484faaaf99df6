"""Record-for-record copies of the system of record as plain JSON, portable between SQLite and PostgreSQL.

Backups of a PostgreSQL database need no ``pg_dump``: every table the migrations made is read in primary-key
order and written as JSON; a restore migrates an empty database to the same revision and inserts them back.
Tables are found by reflection, so this works at any revision, not only the one the models describe.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from sqlalchemy import JSON, Connection, Date, DateTime, Integer, LargeBinary, MetaData, Numeric, Table, func, select

from prevdip.store._text import records_without_nul

#: Table names and their rows, each row a mapping of column name to a JSON value.
Records = dict[str, list[dict[str, Any]]]

_BATCH = 5_000


def record_tables(connection: Connection) -> list[Table]:
    """The database's tables except Alembic's bookkeeping, parents before children."""
    metadata = MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name != "alembic_version"]


def count_records(connection: Connection) -> dict[str, int]:
    """How many records each table holds."""
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in record_tables(connection)
    }


def dump_records(connection: Connection) -> Records:
    """Every record of every table as JSON values, rows in primary-key order (run it in one transaction)."""
    records: Records = {}
    for table in record_tables(connection):
        query = select(table).order_by(*table.primary_key.columns)
        records[table.name] = [
            {name: _to_json(value) for name, value in row.items()} for row in connection.execute(query).mappings()
        ]
    return records


def load_records(connection: Connection, records: Mapping[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Insert dumped records into the (migrated, empty) tables; returns the count per table. NULs (which an older
    prevdip let into SQLite) are shown as ``\\x00`` on both backends (:mod:`prevdip.store._text`)."""
    tables = {table.name: table for table in record_tables(connection)}
    unknown = sorted(set(records) - set(tables))
    if unknown:
        raise ValueError(f"the records name tables this database does not have: {', '.join(unknown)}")
    counts: dict[str, int] = {}
    for name, table in tables.items():
        rows = records.get(name, [])
        _json_nulls_as_sql_nulls(table)
        converters = {column.name: _from_json_converter(column.type) for column in table.columns}
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            connection.execute(table.insert(), [_convert(records_without_nul(row), converters) for row in batch])
        counts[name] = len(rows)
    if connection.dialect.name == "postgresql":
        _advance_sequences(connection, tables.values())
    return counts


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        # Every moment in the store is UTC; SQLite hands them back naive.
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _from_json_converter(kind: Any) -> Any:
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    return None


def _convert(row: Mapping[str, Any], converters: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        convert = converters.get(name)
        out[name] = value if value is None or convert is None else convert(value)
    return out


def _json_nulls_as_sql_nulls(table: Table) -> None:
    """Reflected JSON columns would store ``None`` as the JSON text ``null``; the models store SQL NULL."""
    for column in table.columns:
        if isinstance(column.type, JSON):
            column.type = JSON(none_as_null=True)


def _advance_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """After explicit ids were inserted, move PostgreSQL's id sequences past them."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.scalar(select(func.pg_get_serial_sequence(table.name, column.name)))
            if sequence is not None:
                top = connection.scalar(select(func.coalesce(func.max(column), 0)))
                connection.execute(select(func.setval(sequence, int(top or 0) + 1, False)))
