"""Reading a SQLite operational database as Arrow, through adbc-driver-sqlite.

SQLite values carry no declared type: adbc-driver-sqlite infers each column's Arrow type from the first batch
and fails when a later batch holds another storage class (a column NULL in the first 65,536 rows and then
text). A first "priming" row with a non-null value of the right storage class in every column (INTEGER for
integers and booleans, REAL for doubles, TEXT for the rest) leads the result, so the types are fixed from the
start; it is removed before the rows leave this module. The columns themselves are not cast in SQL: their
affinity already gives them that storage class, and casting every value cost a quarter of the read speed.
Dates, timestamps and exact decimals arrive as their stored text, which the destination casts (exactly,
never through a float).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import adbc_driver_manager
import adbc_driver_sqlite.dbapi as sqlite_dbapi
import pyarrow as pa
from sqlalchemy.engine import URL

from ingestion.errors import first_line
from ingestion.schema import CURSOR_COLUMN, Kind, RawTable
from ingestion.sources import BATCH_ROWS, check_schema
from yeelen.errors import InputRejectedError, StoreUnavailableError

_PRIME = "_prime"
_STORAGE = {Kind.BIGINT: "INTEGER", Kind.BOOLEAN: "INTEGER", Kind.DOUBLE: "REAL"}
_PRIME_VALUE = {"INTEGER": "0", "REAL": "0.0", "TEXT": "''"}
# SQLAlchemy stores SQLite timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff'; a bound without a fraction compares
# correctly with that text and with text written without one.
_BOUND_FORMAT = "%Y-%m-%d %H:%M:%S"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def select_statement(table: RawTable, since: dt.datetime | None) -> str:
    """The query reading ``table``: a priming row, then the rows changed since the bound (``?``)."""
    prime = ", ".join(
        [f"1 AS {_PRIME}"]
        + [f"{_PRIME_VALUE[_STORAGE.get(column.kind, 'TEXT')]} AS {_quote(column.name)}" for column in table.columns]
    )
    columns = ", ".join(["0"] + [_quote(column.name) for column in table.columns])
    where = f" WHERE {_quote(CURSOR_COLUMN)} >= ?" if since is not None else ""
    return f"SELECT {prime} UNION ALL SELECT {columns} FROM {_quote(table.name)}{where}"


class SQLiteSource:
    """A SQLite operational database file, opened read-only."""

    def __init__(self, url: URL, tables: list[RawTable]) -> None:
        database = url.database
        if not database or database == ":memory:":
            raise StoreUnavailableError(
                "YEELEN_OPERATIONAL_URL names an in-memory SQLite database, which ingestion cannot read; "
                "point it at the operational database file (sqlite:///path/to/operational.sqlite)."
            )
        self.path = Path(database).expanduser().resolve()
        self._cursors: list = []
        self.description = str(self.path)
        if not self.path.is_file():
            raise StoreUnavailableError(
                f"The operational database file {self.path} does not exist. Run `yeelen db upgrade` to create it, "
                "or set YEELEN_OPERATIONAL_URL to the right file."
            )
        uri = "file:" + urllib.parse.quote(str(self.path)) + "?mode=ro"
        try:
            self._connection = sqlite_dbapi.connect(uri, autocommit=True)
            found, has_migrations = self._schema()
        except adbc_driver_manager.Error as error:
            self.close()
            raise StoreUnavailableError(
                f"The operational database file {self.path} cannot be read: {first_line(error)}. "
                "Check that it is a Yeelen SQLite database and that this user may read it."
            ) from None
        check_schema(self.description, found, tables, has_migrations)

    def _schema(self) -> tuple[dict[str, set[str]], bool]:
        with self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
                "WHERE m.type = 'table'"
            )
            found: dict[str, set[str]] = {}
            for table, column in cursor.fetchall():
                found.setdefault(table, set()).add(column)
        return found, "alembic_version" in found

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A deferred read transaction: in WAL mode it sees the database as of its first read."""
        with self._connection.cursor() as cursor:
            cursor.execute("BEGIN")
        try:
            yield
        finally:
            with self._connection.cursor() as cursor:
                cursor.execute("ROLLBACK")

    def read(self, table: RawTable, since: dt.datetime | None) -> pa.RecordBatchReader:
        """Stream the rows of ``table`` changed at or after ``since`` (naive UTC)."""
        cursor = self._connection.cursor()
        self._cursors.append(cursor)
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
        parameters = (since.strftime(_BOUND_FORMAT),) if since is not None else None
        cursor.execute(select_statement(table, since), parameters)
        reader = cursor.fetch_record_batch()
        schema = reader.schema.remove(reader.schema.get_field_index(_PRIME))

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                first = True
                for batch in reader:
                    if first:
                        # The priming row leads the compound SELECT; check rather than trust it.
                        if batch.num_rows == 0 or batch.column(_PRIME)[0].as_py() != 1:
                            raise RuntimeError(f"the priming row of {table.name} did not come first")
                        batch = batch.slice(1)
                        first = False
                    yield batch.drop_columns([_PRIME])
            except adbc_driver_manager.Error as error:
                raise InputRejectedError(
                    f"Table {table.name} of the operational database {self.path} holds a value of the wrong type "
                    f"({first_line(error)}); correct that row in the operational database and run again."
                ) from None
            finally:
                reader.close()
                cursor.close()

        return pa.RecordBatchReader.from_batches(schema, batches())

    def close(self) -> None:
        # A stream abandoned before its first batch never reaches its own cleanup; the connection refuses to
        # close while one of its statements is open.
        for cursor in getattr(self, "_cursors", []):
            cursor.close()
        connection = getattr(self, "_connection", None)
        if connection is not None:
            connection.close()
            self._connection = None
