"""Column-wise normalisation: text, dates, numbers and code lookups on whole Arrow columns at once.

Each parser returns the parsed column and a mask of the values it could not read (present but unreadable), so the
connector can give the row a reason rather than silently turning a bad value into a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Column: TypeAlias = pa.Array | pa.ChunkedArray


class Reasons:
    """The first reason each row of a batch is set aside (null: the row is fine)."""

    def __init__(self, length: int) -> None:
        self._array: pa.Array = pa.nulls(length, pa.string())
        self._any = False

    def add(
        self,
        mask: Column,
        reason: str,
        detail: Column | Callable[[], Column] | None = None,
        *,
        quote: Column | None = None,
    ) -> None:
        """Rows where ``mask`` is true (and no earlier reason) get ``reason`` (+ the row's ``detail`` text, or its
        ``quote`` value in quotes). The detail is built only when some row is bad: on a clean 2-million-row chunk
        quoting every value of every checked column was a tenth of the normalisation time."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        if quote is not None:
            detail = quoted(quote)
        elif callable(detail):
            detail = detail()
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
_EXACT = 2**53  # beyond this a float64 no longer holds every integer: an integer written as a float is refused


def _floats(value: Column) -> tuple[Column, Column]:
    """Decimal numbers as float64, and the mask of present values that are not finite decimal numbers."""
    present = pc.is_valid(value)
    try:
        parsed = pc.cast(value, pa.float64())  # the common case: every value reads, in one vectorised pass
        bad: Column = pa.repeat(False, len(value))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        ok = pc.fill_null(pc.match_substring_regex(value, _NUMBER), False)
        parsed = pc.cast(pc.if_else(ok, value, pa.scalar(None, pa.string())), pa.float64())
        bad = pc.and_(present, pc.invert(ok))
    infinite = pc.invert(pc.fill_null(pc.is_finite(parsed), True))  # nan, inf and 1e400 (which reads as inf)
    return pc.if_else(infinite, pa.scalar(None, pa.float64()), parsed), pc.or_(bad, infinite)


def _integers(value: Column) -> tuple[Column, Column]:
    """Whole numbers as int64 (``800.0`` is 800), and the mask of present values that are not whole numbers."""
    try:
        return pc.cast(value, pa.int64()), pa.repeat(False, len(value))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    parsed, bad = _floats(value)
    whole = pc.and_(pc.equal(pc.floor(parsed), parsed), pc.less_equal(pc.abs(parsed), _EXACT))
    whole = pc.fill_null(whole, False)
    bad = pc.or_(bad, pc.and_(pc.is_valid(parsed), pc.invert(whole)))
    return pc.cast(pc.if_else(whole, parsed, pa.scalar(None, pa.float64())), pa.int64()), bad


def _bounds(type_: pa.DataType, minimum: float | None, maximum: float | None) -> tuple[float | None, float | None]:
    """The tighter of the type's own range and the caller's: a value outside never wraps, it is refused."""
    if pa.types.is_integer(type_):
        info = np.iinfo(type_.to_pandas_dtype())
        low, high = float(info.min), float(info.max)
        return max(low, minimum) if minimum is not None else low, min(high, maximum) if maximum is not None else high
    if type_ == pa.float32():
        limit = float(np.finfo(np.float32).max)
        return max(-limit, minimum) if minimum is not None else -limit, min(
            limit, maximum
        ) if maximum is not None else limit
    return minimum, maximum


def numbers(
    column: Column, type_: pa.DataType, *, minimum: float | None = None, maximum: float | None = None
) -> tuple[Column, Column]:
    """Parse numbers (empty → null); returns (column of ``type_``, mask of present values that could not be read).

    A value cannot be read when it is not a finite decimal number (``abc``, ``nan``, ``inf``, ``1e400``), when an
    integer is required and it is not whole (``2.5``), or when it lies outside ``[minimum, maximum]`` or the type's
    own range (``260`` for an 8-bit code): such a value is never stored as null or wrapped, the caller quarantines
    its row. Integral floats written by spreadsheets and pandas (``800.0``, ``1642532076.0``) read as the integers
    they are. The mask never holds nulls.
    """
    value = text(column)
    parsed, bad = _integers(value) if pa.types.is_integer(type_) else _floats(value)
    low, high = _bounds(type_, minimum, maximum)
    seen = pc.min_max(parsed)  # one pass; the masks below only when some value lies outside
    smallest, largest = seen["min"].as_py(), seen["max"].as_py()
    if (low is None or smallest is None or smallest >= low) and (high is None or largest is None or largest <= high):
        return _flat(pc.cast(parsed, type_)), _flat(bad)
    outside = pc.or_(
        pc.fill_null(pc.less(parsed, low if low is not None else float("-inf")), False),
        pc.fill_null(pc.greater(parsed, high if high is not None else float("inf")), False),
    )
    kept = pc.if_else(outside, pa.scalar(None, parsed.type), parsed)
    return _flat(pc.cast(kept, type_)), _flat(pc.or_(bad, outside))


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
        if value is None:
            arrays.append(pa.nulls(length, f.type))
        elif isinstance(value, str | pa.Scalar):
            scalar = value if isinstance(value, pa.Scalar) else pa.scalar(value, pa.string())
            arrays.append(pa.repeat(scalar.cast(f.type), length))
        else:
            arrays.append(_flat(pc.cast(value, f.type)))
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


def optional_text(records: pa.Table, name: str) -> Column:
    """A column the layout may lack (then all null), as :func:`text`."""
    return text(records[name]) if name in records.column_names else pa.nulls(records.num_rows, pa.string())


def starts_with(column: Column, prefix: str) -> Column:
    return pc.fill_null(pc.starts_with(column, prefix), False)


def checked_number(
    records: pa.Table,
    name: str,
    type_: pa.DataType,
    reasons: Reasons,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    kind: str = "bad number",
) -> Column:
    """Column ``name`` as numbers (all null when the layout lacks it); a value that cannot be read (see
    :func:`numbers`) gives the row ``<kind>: name 'x'``. Every number a connector stores goes through here."""
    if name not in records.column_names:
        return pa.nulls(records.num_rows, type_)
    value, bad = numbers(records[name], type_, minimum=minimum, maximum=maximum)
    reasons.add(bad, f"{kind}: {name} ", quote=records[name])
    return value


def checked_coordinates(records: pa.Table, names: tuple[str, str], reasons: Reasons) -> tuple[Column, Column]:
    """Latitude and longitude; a value that is not a finite number (``abc``, ``nan``, ``inf``) quarantines the row
    (the range itself is checked for every source by :func:`~prevdip.events.connectors.base.validate_events`)."""
    latitude, bad_lat = numbers(records[names[0]], pa.float64())
    longitude, bad_lon = numbers(records[names[1]], pa.float64())

    def shown() -> Column:
        return pc.binary_join_element_wise(quoted(records[names[0]]), quoted(records[names[1]]), ",")

    reasons.add(pc.or_(bad_lat, bad_lon), "coordinates out of range: not numbers ", shown)
    return latitude, longitude


def attribute_map(length: int, values: Mapping[str, Column]) -> pa.Array:
    """The ``attributes`` column: per row, the named values that are present (nulls are left out), built column-wise
    (a 2-million-row GDELT chunk costs a few array takes, not a Python loop)."""
    from prevdip.events.schema import ATTRIBUTES_TYPE

    if not values:
        nothing = pa.array([], pa.string())
        return pa.MapArray.from_arrays(pa.array(np.zeros(length + 1, np.int32)), nothing, nothing, type=ATTRIBUTES_TYPE)
    names = list(values)
    columns = [_flat(pc.cast(values[name], pa.string())) for name in names]
    present = np.column_stack([c.is_valid().to_numpy(zero_copy_only=False) for c in columns])
    rows, which = np.nonzero(present)  # row by row, then in the order of ``names``
    offsets = np.concatenate([[0], np.cumsum(present.sum(axis=1))]).astype(np.int32)
    items = pa.concat_arrays(columns).take(pa.array(which.astype(np.int64) * length + rows))
    keys = pa.array(names, pa.string()).take(pa.array(which))
    return pa.MapArray.from_arrays(pa.array(offsets), keys, items, type=ATTRIBUTES_TYPE)


def checked_date(records: pa.Table, name: str, formats: Sequence[str], reasons: Reasons) -> Column:
    """Column ``name`` as dates; unreadable or impossible ones give the row ``bad date: name 'x'``."""
    value, bad = dates(records[name], formats)
    reasons.add(bad, f"bad date: {name} ", quote=records[name])
    return value


def one_day(day: Column) -> dict[str, Column | str]:
    """The date columns of an event that happened on one known day."""
    return {"date_start": day, "date_end": day, "date_precision": "day"}
