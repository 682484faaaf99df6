"""Reading delimited files as a stream of Arrow batches with the row number of every record.

Two shapes cover every source:

* **line files** (GDELT: tab-separated, no header, no quoting): read in newline-aligned chunks parsed by pyarrow
  with all its threads; a chunk with a row of the wrong field count is re-split in Python to find the exact lines.
* **quoted CSV with a header** (UCDP, ACLED, TFDD: line breaks inside quoted fields, BOM): one quick pass with
  Python's csv module indexes where each record starts and which have the wrong field count, then pyarrow's
  streaming reader parses the file block by block.

Row numbers are line numbers in the file (the header is line 1); a record spanning lines has the number of its
first line. Gzip and single-member zip files are read transparently. Values stay text here; connectors parse them.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.csv as pacsv

from prevdip.errors import RefusedInput
from prevdip.events.connectors.base import Quarantined, RawBatch

CHUNK_BYTES = 32 << 20


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip or a zip holding one file."""
    with path.open("rb") as probe:
        magic = probe.read(4)
    if magic[:2] == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if magic == b"PK\x03\x04":
        archive = zipfile.ZipFile(path)
        members = [n for n in archive.namelist() if not n.endswith("/")]
        if len(members) != 1:
            raise RefusedInput(f"{path}: zip holds {len(members)} files", hint="zip exactly one export file")
        return archive.open(members[0])
    return path.open("rb")


def head_text(path: Path, size: int = 65536) -> str:
    """The first ``size`` bytes, decoded leniently (for :meth:`Connector.detect`)."""
    with open_binary(path) as stream:
        return stream.read(size).decode("utf-8", errors="replace").lstrip("\ufeff")


def _lenient(raw: bytes | str) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="backslashreplace")
    return raw.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")


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


def _parse_lines(data: bytes, names: Sequence[str], delimiter: str) -> tuple[pa.Table, int]:
    invalid = 0

    def skip(_row: object) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=list(names), use_threads=True),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, quote_char=False, ignore_empty_lines=False, invalid_row_handler=skip
        ),
        convert_options=_string_types(names),
    )
    return table, invalid


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
        if count == expected or count in pad:
            kept.append(line + sep * (expected - count))
            numbers.append(first + offset)
        else:
            reason = f"wrong field count: {count} fields, expected {expected}"
            problems.append(Quarantined(file, first + offset, _lenient(line), reason))
    if kept:
        table, _ = _parse_lines(b"\n".join(kept) + b"\n", names, delimiter)
    else:
        table = pa.schema([(n, pa.string()) for n in names]).empty_table()
    return RawBatch(file, table, pa.array(numbers, pa.int64()), problems, delimiter)


def read_lines(
    path: Path, names: Sequence[str], *, delimiter: str = "\t", pad: Mapping[int, int] | None = None, what: str
) -> Iterator[RawBatch]:
    """A header-less, unquoted line file in ``len(names)`` fields (``pad``: other accepted field counts)."""
    file, taken, wrong, line = str(path), 0, 0, 1
    first_problem = ""
    with open_binary(path) as stream:
        rest = b""
        while True:
            block = stream.read(CHUNK_BYTES)
            data = rest + block
            if not data:
                break
            cut = data.rfind(b"\n") if block else len(data) - 1
            if cut < 0:
                rest = data
                continue
            data, rest = data[: cut + 1], data[cut + 1 :]
            table, invalid = _parse_lines(data, names, delimiter)
            if invalid:
                batch = _careful_lines(data, line, names, delimiter, pad or {}, file)
            else:
                numbers = pa.array(range(line, line + table.num_rows), pa.int64())
                batch = RawBatch(file, table, numbers, [], delimiter)
            line += data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
            batch = _undecodable(batch)
            wrong += sum(p.kind == "wrong field count" for p in batch.problems)
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


def index_records(path: Path, delimiter: str) -> tuple[list[str], array[int], list[Quarantined]]:
    """Header, the first line of every well-formed record, and the records of the wrong field count."""
    file = str(path)
    starts: array[int] = array("q")
    problems: list[Quarantined] = []
    with _open_text(path) as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return [], starts, problems
        previous = reader.line_num
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if not record:
                continue
            if len(record) != len(header):
                reason = f"wrong field count: {len(record)} fields, expected {len(header)}"
                problems.append(Quarantined(file, start, _lenient(delimiter.join(record)), reason))
            else:
                starts.append(start)
    return [_lenient(name) for name in header], starts, problems


def read_quoted(
    path: Path, *, required: Sequence[str], what: str, delimiter: str = ",", hint: str = ""
) -> Iterator[RawBatch]:
    """A CSV with a header row; a header lacking ``required`` columns is refused before anything is read."""
    file = str(path)
    header, starts, problems = index_records(path, delimiter)
    if not header:
        raise RefusedInput(f"{file}: the file is empty", hint=f"expected a {what} file")
    missing = [name for name in required if name not in header]
    if missing:
        raise RefusedInput(
            f"{file}: not a {what} file: missing column(s) {', '.join(missing)}",
            hint=hint or f"found columns: {', '.join(header[:8])}{' ...' if len(header) > 8 else ''}",
        )
    if not starts and problems:
        raise RefusedInput(
            f"{file}: every row has the wrong number of fields ({problems[0].reason.split(': ', 1)[1]})",
            hint="check the delimiter and quoting",
        )
    numbers = pa.array(starts, pa.int64())
    offset = 0
    with open_binary(path) as stream:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(use_threads=True, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=lambda _row: "skip"
            ),
            convert_options=_string_types(header),
        )
        for record_batch in reader:
            table = pa.Table.from_batches([record_batch])
            rows = numbers[offset : offset + table.num_rows]
            if len(rows) < table.num_rows:  # the two parsers disagree on record boundaries: number what we can
                rows = pa.concat_arrays([rows, pa.repeat(pa.scalar(0, pa.int64()), table.num_rows - len(rows))])
            offset += table.num_rows
            yield _undecodable(RawBatch(file, table, rows, problems, delimiter))
            problems = []
    if problems:
        yield RawBatch(file, pa.schema([(n, pa.string()) for n in header]).empty_table(), numbers[:0], problems)
