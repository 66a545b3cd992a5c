"""Reading operational tables as Arrow for validating files in bulk (references, existing rows).

PostgreSQL is read through ADBC straight into Arrow, on a connection of its own. SQLite is read on the session's
own connection: a second SQLite library in the process (ADBC bundles one) must never open the file while
SQLAlchemy's connections hold it, as POSIX locks are per process and the two would release each other's. To keep
Python out of the per-value work, SQLite hands each query back as one block of text that Arrow's CSV reader parses.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from yeelen.settings import Settings

FIELD, RECORD = "\x1f", "\n"
# Above this many codes a query reads the whole table rather than the codes one chunk at a time.
IN_LIST_LIMIT = 20_000
IN_CHUNK = 900


def read_table(
    settings: Settings, session: Session, columns: Mapping[str, tuple[str, pa.DataType]], from_clause: str
) -> pa.Table:
    """``select <expression> as <name>, ... <from_clause>`` as Arrow, each column of the type given."""
    url = make_url(str(settings.operational_url))
    names = list(columns)
    if url.get_backend_name() == "postgresql":
        import adbc_driver_postgresql.dbapi as dbapi

        select = ", ".join(f"{expression} as {name}" for name, (expression, _) in columns.items())
        connection = dbapi.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"select {select} {from_clause}")
                table = cursor.fetch_arrow_table()
        finally:
            connection.close()
        return pa.table({name: pc.cast(table[name], kind) for name, (_, kind) in columns.items()})
    parts = " || char(31) || ".join(f"coalesce(cast({expression} as text), '')" for expression, _ in columns.values())
    [(blob,)] = session.connection().exec_driver_sql(f"select group_concat({parts}, char(10)) {from_clause}").all()
    if not blob:
        return pa.table({name: pa.array([], kind) for name, (_, kind) in columns.items()})
    return pacsv.read_csv(
        io.BytesIO(blob.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=FIELD, quote_char=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: kind for name, (_, kind) in columns.items()},
            null_values=[""],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def in_lists(codes: Iterable[str]) -> list[str]:
    """SQL lists of quoted codes, in chunks a statement accepts."""
    values = sorted({str(code) for code in codes})
    quoted = ["'" + value.replace("'", "''") + "'" for value in values]
    return [", ".join(quoted[start : start + IN_CHUNK]) for start in range(0, len(quoted), IN_CHUNK)]


def read_for_codes(
    settings: Settings,
    session: Session,
    columns: Mapping[str, tuple[str, pa.DataType]],
    from_clause: str,
    code_column: str,
    codes: list[str] | None,
) -> pa.Table:
    """Rows of ``from_clause`` whose ``code_column`` is among ``codes`` (every row when None or many codes)."""
    joiner = " and " if " where " in f" {from_clause.lower()} " else " where "
    if codes is None or len(codes) > IN_LIST_LIMIT:
        return read_table(settings, session, columns, from_clause)
    if not codes:
        return pa.table({name: pa.array([], kind) for name, (_, kind) in columns.items()})
    parts = [
        read_table(settings, session, columns, f"{from_clause}{joiner}{code_column} in ({chunk})")
        for chunk in in_lists(codes)
    ]
    return pa.concat_tables(parts)


def memory_database(threads: int = 2) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one validation (never the warehouse: it may be busy with a pipeline run)."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"set threads = {int(threads)}")
    return connection
