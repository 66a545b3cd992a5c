"""Reading a partner's file (CSV or JSON) into rows of text, each with its line, or refusing it whole.

Every field is read as text: validation is the job of each kind of file, row by row, so a bad value holds back its
row, never the file. A file is refused whole only when it cannot be read at all: not UTF-8, not CSV or JSON, a
header without the required columns, no rows.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from yeelen.errors import YeelenError

LINE = "line"


class UnreadableFileError(YeelenError):
    """The file cannot be read at all; the message says why, for the partner who sent it."""


@dataclass(frozen=True)
class BadLine:
    """A line that is not a row of the table (wrong number of fields, a JSON record that is not an object)."""

    line: int
    content: dict
    reason: str


@dataclass
class RowSet:
    """The rows of a file as text columns (the known columns present in it) plus ``line``."""

    table: pa.Table
    format: str
    bad_lines: list[BadLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.table.num_rows + len(self.bad_lines)


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes: the same content is the same file, whatever its name."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def named_identity(digest: str, details: dict) -> str:
    """The identity of a file whose name says what it is (a partner's statement of a day): its content and what
    its name said. Two statements with the same bytes for two days (a header with no line) are two files."""
    said = json.dumps(details, sort_keys=True, default=str)
    return hashlib.sha256(f"{digest}\n{said}".encode()).hexdigest()


def file_format(path: Path) -> str:
    """``csv`` or ``json`` from the file's extension (``.txt`` is read as CSV)."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".ndjson", ".jsonl"):
        return "json"
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise UnreadableFileError(f"{path.name}: a {suffix} file is neither CSV (.csv) nor JSON (.json)")


def read_rows(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> RowSet:
    """The rows of a CSV or JSON file with the known columns as text; refuse a file that cannot be read."""
    kind = file_format(path)
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFileError(f"{path.name} is empty")
    # A header without rows is a file with nothing in it (a day without transfers), taken as such.
    return read_csv_bytes(data, required, optional) if kind == "csv" else read_json_bytes(data, required, optional)


def _normalise(name: str) -> str:
    return name.strip().strip('"').strip().lower().replace(" ", "_")


def read_csv_bytes(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> RowSet:
    """Rows of a CSV file: header names in any case and order, comma or semicolon (from the header line)."""
    try:
        header = data.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise UnreadableFileError("the file is not UTF-8 text; export it as UTF-8 CSV") from None
    delimiter = ";" if header.count(";") > header.count(",") else ","
    names = [_normalise(name) for name in header.split(delimiter)]
    missing = [name for name in required if name not in names]
    if missing:
        raise UnreadableFileError(
            f"the header lacks the column(s) {', '.join(missing)}; it must name {', '.join(required)}"
            + (f" (optional: {', '.join(optional)})" if optional else "")
        )
    duplicated = sorted({name for name in names if names.count(name) > 1 and name})
    if duplicated:
        raise UnreadableFileError(f"the header names the column(s) {', '.join(duplicated)} more than once")
    # Columns without a name get one, so that a trailing separator does not make every line invalid.
    names = [name or f"_column_{index}" for index, name in enumerate(names, start=1)]
    wanted = [name for name in names if name in required or name in optional]
    bad: list[BadLine] = []

    def invalid(row: pacsv.InvalidRow) -> str:
        bad.append(
            BadLine(
                int(row.number),
                {"text": row.text},
                f"the line has {row.actual_columns} field(s), the header has {row.expected_columns}",
            )
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            # One thread: line numbers of invalid lines are known only then (and the parse stays fast).
            read_options=pacsv.ReadOptions(
                use_threads=False, column_names=names, skip_rows=1, block_size=1 << 24, encoding="utf8"
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, ignore_empty_lines=False, newlines_in_values=True, invalid_row_handler=invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                include_columns=wanted,
            ),
        )
    except pa.ArrowInvalid as error:
        message = str(error)
        if "UTF8" in message or "UTF-8" in message:
            raise UnreadableFileError("the file is not UTF-8 text; export it as UTF-8 CSV") from None
        raise UnreadableFileError(f"the file is not readable CSV: {message.splitlines()[0]}") from None
    total = table.num_rows + len(bad)
    lines = np.arange(2, total + 2, dtype=np.int64)
    if bad:
        lines = lines[~np.isin(lines, np.array([item.line for item in bad], dtype=np.int64))]
    table = table.append_column(LINE, pa.array(lines[: table.num_rows]))
    # A blank line carries nothing: it keeps its number but is not a row.
    if table.num_rows:
        import pyarrow.compute as pc

        empty = None
        for name in wanted:
            blank = pc.equal(pc.utf8_trim_whitespace(table[name]), "")
            empty = blank if empty is None else pc.and_(empty, blank)
        if empty is not None:
            table = table.filter(pc.invert(empty))
    return RowSet(_trimmed(table, wanted), "csv", bad)


def _trimmed(table: pa.Table, names: list[str]) -> pa.Table:
    import pyarrow.compute as pc

    arrays = [pc.utf8_trim_whitespace(table[name]) for name in names]
    return pa.Table.from_arrays([*arrays, table[LINE]], names=[*names, LINE])


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def read_json_bytes(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> RowSet:
    """Rows of a JSON file: an array of objects, an object holding one such array, or one object per line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFileError("the file is not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        try:
            document = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise UnreadableFileError(f"the file is not valid JSON: {error}") from None
    if isinstance(document, dict):
        arrays = [value for value in document.values() if isinstance(value, list)]
        if len(arrays) != 1:
            raise UnreadableFileError("a JSON file holds an array of records, or an object with one such array")
        document = arrays[0]
    if not isinstance(document, list):
        raise UnreadableFileError("a JSON file holds an array of records")
    keys = {_normalise(str(key)) for record in document if isinstance(record, dict) for key in record}
    missing = [name for name in required if name not in keys]
    if missing and document:
        raise UnreadableFileError(
            f"no record names the field(s) {', '.join(missing)}; each needs {', '.join(required)}"
        )
    wanted = [name for name in (*required, *optional) if name in keys]
    columns: dict[str, list[str]] = {name: [] for name in wanted}
    lines: list[int] = []
    bad: list[BadLine] = []
    for number, record in enumerate(document, start=1):
        if not isinstance(record, dict):
            bad.append(BadLine(number, {"text": _text(record)}, "the record is not an object"))
            continue
        normalised = {_normalise(str(key)): value for key, value in record.items()}
        for name in wanted:
            columns[name].append(_text(normalised.get(name)))
        lines.append(number)
    arrays = [pa.array(columns[name], pa.string()) for name in wanted]
    table = pa.Table.from_arrays([*arrays, pa.array(lines, pa.int64())], names=[*wanted, LINE])
    return RowSet(table, "json", bad)


def rows_from_contents(contents: list[tuple[int, dict]], columns: tuple[str, ...]) -> pa.Table:
    """Rows rebuilt from quarantined contents (line, fields), for validating them again."""
    data = {name: [_text(content.get(name)) for _, content in contents] for name in columns}
    arrays = [pa.array(data[name], pa.string()) for name in columns]
    return pa.Table.from_arrays([*arrays, pa.array([line for line, _ in contents], pa.int64())], names=[*columns, LINE])


def row_contents(table: pa.Table, lines: set[int]) -> dict[int, dict]:
    """The fields of the rows at ``lines`` (for quarantine), keyed by line."""
    import pyarrow.compute as pc

    if not lines:
        return {}
    picked = table.filter(pc.is_in(table[LINE], pa.array(sorted(lines), pa.int64())))
    names = [name for name in picked.column_names if name != LINE]
    return {row[LINE]: {name: row[name] for name in names} for row in picked.to_pylist()}
