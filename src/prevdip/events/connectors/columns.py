"""Column-wise normalisation: text, dates, numbers and code lookups on whole Arrow columns at once.

Each parser returns the parsed column and a mask of the values it could not read (present but unreadable), so the
connector can give the row a reason rather than silently turning a bad value into a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Column = pa.Array | pa.ChunkedArray


class Reasons:
    """The first reason each row of a batch is set aside (null: the row is fine)."""

    def __init__(self, length: int) -> None:
        self._array: pa.Array = pa.nulls(length, pa.string())
        self._any = False

    def add(self, mask: Column, reason: str, detail: Column | None = None) -> None:
        """Rows where ``mask`` is true (and no earlier reason) get ``reason`` (+ the row's ``detail`` text)."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        text: Column | pa.Scalar = pa.scalar(reason)
        if detail is not None:
            text = pc.binary_join_element_wise(reason, pc.fill_null(detail, ""), "")
        take = pc.and_(mask, pc.is_null(self._array))
        self._array = _flat(pc.if_else(take, text, self._array))
        self._any = True

    def any(self) -> bool:
        return self._any

    def mask(self) -> pa.Array:
        return _flat(pc.is_valid(self._array))

    def array(self) -> pa.Array:
        return self._array


def _flat(column: Column) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def joined_text(records: pa.Table, delimiter: str) -> pa.Array:
    """Each record's fields joined back into one line of text (the raw text kept in quarantine)."""
    if records.num_columns == 0:
        return pa.array([""] * records.num_rows)
    columns = [pc.fill_null(records.column(i), "") for i in range(records.num_columns)]
    return _flat(pc.binary_join_element_wise(*columns, delimiter))


def text(column: Column) -> Column:
    """Trimmed text with empty strings as null."""
    trimmed = pc.utf8_trim_whitespace(column)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def quoted(column: Column) -> Column:
    """The raw value in quotes, for reasons (``bad date: '2022-13-40'``)."""
    return pc.binary_join_element_wise("'", pc.fill_null(column, ""), "'", "")


def _unpadded(column: Column) -> Column:
    return pc.utf8_lower(pc.replace_substring_regex(column, r"(^|\D)0+(\d)", r"\1\2"))


def _rolled_over(value: Column, stamp: Column, fmt: str) -> pa.Array:
    """Which parsed dates are an impossible day rolled over into the next month (``2022-02-30`` → 2 March).

    A rolled-over date always falls on day 1-3 of a month, so only those are written back in ``fmt`` and compared
    with the text (leading zeros aside): the check costs little on millions of rows.
    """
    suspects = pc.indices_nonzero(pc.fill_null(pc.less_equal(pc.day(stamp), 3), False))
    bad = np.zeros(len(value), dtype=bool)
    if len(suspects):
        back = pc.strftime(pc.take(stamp, suspects), format=fmt)
        differs = pc.not_equal(_unpadded(back), _unpadded(pc.take(value, suspects)))
        bad[suspects.to_numpy()[pc.fill_null(differs, False).to_numpy(zero_copy_only=False)]] = True
    return pa.array(bad)


def dates(column: Column, formats: Sequence[str]) -> tuple[Column, Column]:
    """Parse with the first matching ``strptime`` format; returns (date32 column, unreadable mask).

    Arrow's strptime rolls impossible days over; :func:`_rolled_over` refuses them.
    """
    value = _flat(text(column))
    parsed: Column | None = None
    for fmt in formats:
        stamp = _flat(pc.strptime(value, format=fmt, unit="s", error_is_null=True))
        attempt = pc.if_else(_rolled_over(value, stamp, fmt), pa.scalar(None, pa.date32()), pc.cast(stamp, pa.date32()))
        parsed = attempt if parsed is None else pc.coalesce(parsed, attempt)
    assert parsed is not None
    return parsed, pc.and_(pc.is_valid(value), pc.is_null(parsed))


_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def numbers(column: Column, type_: pa.DataType) -> tuple[Column, Column]:
    """Parse numbers (empty → null); returns (column of ``type_``, unreadable mask). Integers may be written 4.0."""
    value = text(column)
    try:
        parsed = pc.cast(value, pa.float64())
        bad = pa.repeat(False, len(value))  # every present value was readable
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        ok = pc.match_substring_regex(value, _NUMBER)
        parsed = pc.cast(pc.if_else(ok, value, pa.scalar(None, pa.string())), pa.float64())
        bad = pc.and_(pc.is_valid(value), pc.invert(pc.fill_null(ok, True)))
    if pa.types.is_integer(type_):
        whole = pc.equal(pc.floor(parsed), parsed)
        bad = pc.or_(bad, pc.invert(pc.fill_null(whole, True)))
        parsed = pc.if_else(pc.fill_null(whole, False), parsed, pa.scalar(None, pa.float64()))
        return pc.cast(parsed, type_, safe=False), bad
    return pc.cast(parsed, type_), bad


def lookup(column: Column, mapping: Mapping[str, object], type_: pa.DataType = pa.string()) -> Column:
    """Replace each value by ``mapping[value]`` (missing keys → null)."""
    if not mapping:
        return pa.nulls(len(column), type_)
    keys = pa.array(list(mapping.keys()), pa.string())
    values = pa.array(list(mapping.values()), type_)
    return pc.take(values, pc.index_in(column, value_set=keys))


def translate(column: Column, resolve: Callable[[str], object], type_: pa.DataType = pa.string()) -> Column:
    """Map each *distinct* value through ``resolve`` in Python (few distinct values), then look up column-wise."""
    distinct = [v for v in pc.unique(column).to_pylist() if v is not None]
    return lookup(column, {v: resolve(v) for v in distinct}, type_)


def constant(value: object, length: int, type_: pa.DataType = pa.string()) -> pa.Array:
    return pa.repeat(pa.scalar(value, type_), length)


def canonical(length: int, columns: Mapping[str, Column | pa.Scalar | str | None]) -> pa.Table:
    """A table in the event schema: given columns cast to their canonical type, constants repeated, the rest null."""
    from prevdip.events.schema import EVENT_SCHEMA

    arrays = []
    for f in EVENT_SCHEMA:
        value = columns.get(f.name)
        if value is None or isinstance(value, str | pa.Scalar):
            scalar = value if isinstance(value, pa.Scalar) else pa.scalar(value, pa.string())
            arrays.append(pa.repeat(scalar.cast(f.type), length))
        else:
            arrays.append(_flat(pc.cast(value, f.type)))
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def starts_with(column: Column, prefix: str) -> Column:
    return pc.fill_null(pc.starts_with(column, prefix), False)
