"""Reading delimited files as a stream of Arrow batches with the row number of every record.

Two shapes cover every source:

* **line files** (GDELT: tab-separated, no header, no quoting): read in newline-aligned chunks parsed by pyarrow
  with all its threads; a chunk pyarrow cannot take whole (a row of the wrong field count, bytes that are not UTF-8,
  a carriage return inside a field, a field longer than pyarrow's block) is re-split line by line in Python so each
  bad line is quarantined at its own number and every good one is kept.
* **quoted CSV with a header** (UCDP, ACLED, TFDD: line breaks inside quoted fields, BOM): one pass of Python's csv
  module in strict mode, which keeps the text of every record, so a record that cannot be read is set aside with its
  own lines: the file ending inside a quoted field (cut off), or a lost closing quote that swallowed the following
  lines (each swallowed line is a row of its own, so nothing vanishes from the count).

Row numbers are line numbers in the file (the header is line 1); a record spanning lines has the number of its
first line. Gzip and single-member zip files are read transparently; UTF-16 and binary files are refused whole
before anything is read. Values stay text here; connectors parse them.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from prevdip.errors import RefusedInput
from prevdip.events.connectors.base import Quarantined, RawBatch, printable

CHUNK_BYTES = 16 << 20
BATCH_RECORDS = 65_536
TRUNCATED = "the file looks truncated"


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip or a zip holding one file."""
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if magic == b"PK\x03\x04":
        archive = zipfile.ZipFile(path)
        members = [n for n in archive.namelist() if not n.endswith("/")]
        if len(members) != 1:
            raise RefusedInput(f"{path}: zip holds {len(members)} files", hint="zip exactly one export file")
        return archive.open(members[0])
    return path.open("rb")


def head_bytes(path: Path, size: int = 65536) -> bytes:
    with open_binary(path) as stream:
        return stream.read(size)


def head_text(path: Path, size: int = 65536) -> str:
    """The first ``size`` bytes, decoded leniently (for :meth:`Connector.detect`)."""
    return head_bytes(path, size).decode("utf-8", errors="replace").lstrip("\ufeff")


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def require_text(path: Path, what: str) -> None:
    """Refuse, in one line, a file that is not 8-bit text: UTF-16/32 (a byte-order mark, or NUL bytes between
    letters) or binary data. Read as UTF-8 such a file would become a quarantined row per line, or garbage."""
    head = head_bytes(path)
    if head.startswith(_WIDE_BOMS) or head.startswith(b"\x00\x00\xfe\xff"):
        raise RefusedInput(f"{path}: the file is UTF-16 or UTF-32 text, not UTF-8", hint=f"save the {what} as UTF-8")
    if b"\x00" in head:
        raise RefusedInput(f"{path}: the file holds binary data (NUL bytes), not text", hint=f"expected a {what} file")


def _lenient(raw: bytes | str) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="backslashreplace")
    return printable(raw)


def _string_types(names: Sequence[str]) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        check_utf8=False,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )


def _flat(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _undecodable(batch: RawBatch) -> RawBatch:
    """Set aside records holding bytes that are not UTF-8 (checked column-wise, located only when present)."""
    bad: set[int] = set()
    for column in batch.records.columns:
        try:
            for piece in column.chunks:
                piece.validate(full=True)
        except pa.ArrowInvalid:
            flat = _flat(column)
            for i, value in enumerate(flat.view(pa.binary()).to_pylist()):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    bad.add(i)
    if not bad:
        return batch
    keep = pa.array([i not in bad for i in range(batch.records.num_rows)])
    numbers = batch.row_numbers.to_pylist()
    binary = [_flat(c).view(pa.binary()) for c in batch.records.columns]
    for i in sorted(bad):
        fields = [_lenient(col[i].as_py() or b"") for col in binary]
        raw = batch.delimiter.join(fields)
        batch.problems.append(Quarantined(batch.file, numbers[i], raw, "undecodable bytes: not UTF-8 text"))
    batch.records = batch.records.filter(keep)
    batch.row_numbers = batch.row_numbers.filter(keep)
    return batch


# --- line files ---------------------------------------------------------------------------------------------------


def _parse_lines(data: bytes | memoryview, names: Sequence[str], delimiter: str, *, whole: bool = False) -> pa.Table:
    """Parse lines that all have ``len(names)`` fields; raises ``ArrowInvalid`` on any line pyarrow cannot take.

    ``whole`` reads the data as one block, for lines longer than pyarrow's default block (a 4 MB field). No
    invalid-row handler: pyarrow would decode the bad row's text for it, which fails on bytes that are not UTF-8."""
    block = max(len(data) + 1, 1 << 20) if whole else 1 << 20
    return pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),
        read_options=pacsv.ReadOptions(column_names=list(names), use_threads=not whole, block_size=block),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, ignore_empty_lines=False),
        convert_options=_string_types(names),
    )


def _careful_lines(
    data: bytes, first: int, names: Sequence[str], delimiter: str, pad: Mapping[int, int], file: str
) -> RawBatch:
    """Split a chunk line by line: rows of an accepted shorter layout are padded, the rest quarantined."""
    sep = delimiter.encode()
    expected = len(names)
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    kept: list[bytes] = []
    numbers: list[int] = []
    problems: list[Quarantined] = []
    for offset, line in enumerate(lines):
        line = line.removesuffix(b"\r")
        count = line.count(sep) + 1
        if b"\r" in line:  # pyarrow would end the line there: the row would silently become two broken ones
            reason = "broken record: carriage return inside a field"
            problems.append(Quarantined(file, first + offset, _lenient(line), reason))
        elif count == expected or count in pad:
            kept.append(line + sep * (expected - count))
            numbers.append(first + offset)
        else:
            reason = f"wrong field count: {count} fields, expected {expected}"
            problems.append(Quarantined(file, first + offset, _lenient(line), reason))
    if kept:
        table = _parse_lines(b"\n".join(kept) + b"\n", names, delimiter, whole=True)
    else:
        table = pa.schema([(n, pa.string()) for n in names]).empty_table()
    return RawBatch(file, table, pa.array(numbers, pa.int64()), problems, delimiter)


def _chunks(stream: IO[bytes]) -> Iterator[memoryview]:
    """Newline-aligned pieces of about CHUNK_BYTES, without copying them (the last may lack a final newline)."""
    rest = b""
    while True:
        block = stream.read(CHUNK_BYTES)
        if not block:
            if rest:
                yield memoryview(rest)
            return
        data = rest + block if rest else block
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        rest = data[cut + 1 :]
        yield memoryview(data)[: cut + 1]


def _unterminated(batch: RawBatch, data: memoryview | bytes) -> RawBatch:
    """A machine-written line file ends every line with a newline: a last line without one was cut off in transfer,
    so it is set aside (its last field may be short) and the run says the file looks truncated."""
    if not len(data) or bytes(data[-1:]) == b"\n" or not len(batch.row_numbers):
        return batch
    last = batch.records.num_rows - 1
    if batch.row_numbers[last].as_py() < max((p.row_number for p in batch.problems), default=0):
        return batch  # the cut line itself was already set aside (wrong field count)
    fields = [_lenient(_flat(c).view(pa.binary())[last].as_py() or b"") for c in batch.records.columns]
    reason = "truncated: the last line has no line end (the file was cut off)"
    batch.problems.append(
        Quarantined(batch.file, batch.row_numbers[last].as_py(), batch.delimiter.join(fields), reason)
    )
    batch.records = batch.records.slice(0, last)
    batch.row_numbers = batch.row_numbers.slice(0, last)
    return batch


def read_lines(
    path: Path, names: Sequence[str], *, delimiter: str = "\t", pad: Mapping[int, int] | None = None, what: str
) -> Iterator[RawBatch]:
    """A header-less, unquoted line file in ``len(names)`` fields (``pad``: other accepted field counts)."""
    file, taken, wrong, line = str(path), 0, 0, 1
    first_problem = ""
    require_text(path, what)
    with open_binary(path) as stream:
        for data in _chunks(stream):
            try:
                table = _parse_lines(data, names, delimiter)
                batch = RawBatch(file, table, pa.array(np.arange(line, line + table.num_rows)), [], delimiter)
                line += table.num_rows
            except pa.ArrowInvalid:  # a bad row, undecodable text in one, or a field longer than a block
                batch = _careful_lines(bytes(data), line, names, delimiter, pad or {}, file)
                line += len(batch.row_numbers) + len(batch.problems)
            batch = _unterminated(_undecodable(batch), data)
            if len(data) and bytes(data[-1:]) != b"\n":  # only the last piece can end without a line end
                batch.warnings.append(f"{file}: {TRUNCATED} (its last line has no line end)")
            wrong += sum(p.kind in ("wrong field count", "truncated") for p in batch.problems)
            first_problem = first_problem or next((p.reason for p in batch.problems), "")
            taken += batch.records.num_rows
            yield batch
    if line == 1:
        raise RefusedInput(f"{file}: the file is empty", hint=f"expected a {what} file")
    if taken == 0 and wrong:
        raise RefusedInput(
            f"{file}: every row has the wrong number of fields ({first_problem.split(': ', 1)[1]})",
            hint=f"is this a {what} file? check the delimiter",
        )


# --- quoted CSV with a header --------------------------------------------------------------------------------------


def _open_text(path: Path) -> IO[str]:
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", errors="surrogateescape", newline="")


csv.field_size_limit(1 << 30)  # GED source fields and BAR summaries can be long; the limit only guards runaways
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
_END_OF_DATA = "unexpected end of data"


@dataclass(frozen=True)
class Record:
    """One record as the csv module split it: its first and last line, its fields (None when it could not be split,
    then ``error`` says why) and its text exactly as in the file."""

    line: int
    last: int
    fields: list[str] | None
    text: str
    error: str = ""


def _well_quoted(delimiter: str) -> re.Pattern[str]:
    """A record in which every field holding a quote is quoted (RFC 4180). The csv module takes a quote inside an
    unquoted field as text, so a lost opening quote would silently change a value (``a,b",c``)."""
    d = re.escape(delimiter)
    field = rf'(?:"(?:[^"]|"")*"|[^"{d}\r\n]*)'
    return re.compile(rf"{field}(?:{d}{field})*(?:\r\n|\n|\r)?")


def records(stream: IO[str], delimiter: str) -> Iterator[Record]:
    """Every record of a CSV text stream with the lines it came from; strict quoting, so a stray or missing quote is
    an error for that record rather than text silently glued to its neighbours."""
    pending: list[str] = []
    well_quoted = _well_quoted(delimiter)

    def lines() -> Iterator[str]:
        for text in stream:
            pending.append(text)
            yield text

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    first = 1
    while True:
        try:
            fields: list[str] | None = next(reader)
            error = ""
        except StopIteration:
            return
        except csv.Error as broken:
            fields, error = None, str(broken)
        text = "".join(pending)
        if fields is not None and '"' in text and not well_quoted.fullmatch(text):
            fields, error = None, "quote inside an unquoted field"
        yield Record(first, reader.line_num, fields, text, error)
        pending.clear()
        first = reader.line_num + 1


def set_aside(record: Record, width: int, file: str) -> list[Quarantined]:
    """Why a record that is not ``width`` well-formed fields is set aside, one quarantined row per line it spans."""
    lines = record.text.splitlines() or [""]
    if record.error == _END_OF_DATA:
        head = f"truncated: file ends inside a quoted field (opened on line {record.line})"
    elif record.last > record.line:
        span = f"{record.line + 1}" if record.last == record.line + 1 else f"{record.line + 1}-{record.last}"
        head = f"broken record: unbalanced quote swallowed line {span}"
    elif record.error:
        head = f"broken record: {record.error}"
    else:
        assert record.fields is not None
        head = f"wrong field count: {len(record.fields)} fields, expected {width}"
    swallowed = f"broken record: swallowed by the unbalanced quote on line {record.line}"
    return [
        Quarantined(file, record.line + i, _lenient(text), head if i == 0 else swallowed)
        for i, text in enumerate(lines)
    ]


def _header(path: Path, what: str, delimiter: str) -> tuple[list[str], Iterator[Record], IO[str]]:
    stream = _open_text(path)
    found = records(stream, delimiter)
    first = next(found, None)
    if first is None or not first.fields:
        stream.close()
        raise RefusedInput(f"{path}: the file is empty", hint=f"expected a {what} file")
    return [_lenient(name) for name in first.fields], found, stream


def _shown(header: Sequence[str]) -> str:
    names = ", ".join(printable(name)[:40] for name in header[:8])
    return f"found columns: {names}{' ...' if len(header) > 8 else ''}"


def read_quoted(
    path: Path, *, required: Sequence[str], what: str, delimiter: str = ",", hint: str = ""
) -> Iterator[RawBatch]:
    """A CSV with a header row; a header lacking ``required`` columns is refused before anything is read."""
    file = str(path)
    require_text(path, what)
    header, found, stream = _header(path, what, delimiter)
    with stream:
        missing = [name for name in required if name not in header]
        if missing:
            raise RefusedInput(
                f"{file}: not a {what} file: missing column(s) {', '.join(missing)}", hint=hint or _shown(header)
            )
        taken = 0
        for batch in _batches(found, header, file, delimiter):
            counts = [p.reason for p in batch.problems if p.kind == "wrong field count"]
            if not taken and not batch.records.num_rows and counts and len(counts) == len(batch.problems):
                raise RefusedInput(  # nothing read, every row of the wrong width: the delimiter is not this one
                    f"{file}: every row has the wrong number of fields ({counts[0].split(': ', 1)[1]})",
                    hint="check the delimiter and quoting",
                )
            taken += batch.records.num_rows
            yield batch


def _batches(found: Iterator[Record], header: list[str], file: str, delimiter: str) -> Iterator[RawBatch]:
    """Good records in Arrow batches of up to BATCH_RECORDS, with the rows set aside on the way."""
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    texts: list[str] = []
    problems: list[Quarantined] = []
    warnings: list[str] = []

    def batch() -> RawBatch:
        columns = list(zip(*rows, strict=True)) if rows else [()] * width
        table = pa.table({f"{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
        table = table.rename_columns(header)
        raw = pa.array(texts, pa.string())
        return RawBatch(file, table, pa.array(numbers, pa.int64()), list(problems), delimiter, list(warnings), raw)

    for record in found:
        if record.fields == []:
            continue  # a blank line is no record
        if record.fields is None or len(record.fields) != width:
            problems.extend(set_aside(record, width, file))
            if record.error == _END_OF_DATA:
                warnings.append(f"{file}: {TRUNCATED} (it ends inside a quoted field opened on line {record.line})")
            continue
        if _UNDECODABLE.search(record.text):
            problems.append(Quarantined(file, record.line, _lenient(record.text.rstrip("\r\n")), _UTF8))
            continue
        rows.append(record.fields)
        numbers.append(record.line)
        texts.append(record.text.rstrip("\r\n"))
        if len(rows) >= BATCH_RECORDS:
            yield batch()
            rows, numbers, texts, problems, warnings = [], [], [], [], []
    if rows or problems:
        yield batch()


_UTF8 = "undecodable bytes: not UTF-8 text"
