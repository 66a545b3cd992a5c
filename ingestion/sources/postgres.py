"""Reading a PostgreSQL operational database as Arrow, through adbc-driver-postgresql (binary COPY).

The run reads inside one REPEATABLE READ, READ ONLY transaction: every table comes from the same snapshot,
and the snapshot holds no lock that would stop the clerks' writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as postgres_dbapi
import pyarrow as pa
from sqlalchemy.engine import URL

from ingestion.errors import first_line
from ingestion.schema import CURSOR_COLUMN, RawTable
from ingestion.sources import check_schema, libpq_uri
from ingestion.streams import plain_schema, plain_types
from yeelen.errors import StoreUnavailableError


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresSource:
    """A PostgreSQL operational database; tables are read from the connection's current schema."""

    def __init__(self, url: URL, tables: list[RawTable]) -> None:
        self._cursors: list = []
        self.description = url.render_as_string(hide_password=True)
        try:
            self._connection = postgres_dbapi.connect(libpq_uri(url), autocommit=True)
        except adbc_driver_manager.Error as error:
            raise StoreUnavailableError(
                f"The operational database at {self.description} cannot be reached: {first_line(error)}. "
                "Check that the server is running and that YEELEN_OPERATIONAL_URL is right."
            ) from None
        try:
            found, has_migrations = self._schema()
        except adbc_driver_manager.Error as error:
            self.close()
            raise StoreUnavailableError(
                f"The operational database at {self.description} cannot be read: {first_line(error)}."
            ) from None
        check_schema(self.description, found, tables, has_migrations)

    def _schema(self) -> tuple[dict[str, set[str]], bool]:
        with self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            )
            found: dict[str, set[str]] = {}
            for table, column in cursor.fetchall():
                found.setdefault(table, set()).add(column)
        return found, "alembic_version" in found

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One REPEATABLE READ, READ ONLY transaction: one snapshot for every table of the run."""
        with self._connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            with self._connection.cursor() as cursor:
                cursor.execute("ROLLBACK")

    def read(self, table: RawTable, since: dt.datetime | None) -> pa.RecordBatchReader:
        """Stream the rows of ``table`` changed at or after ``since`` (naive UTC)."""
        columns = ", ".join(_quote(name) for name in table.column_names)
        query = f"SELECT {columns} FROM {_quote(table.name)}"
        parameters = None
        if since is not None:
            query += f" WHERE {_quote(CURSOR_COLUMN)} >= $1"
            parameters = (since,)
        cursor = self._connection.cursor()
        self._cursors.append(cursor)
        try:
            cursor.execute(query, parameters)
            reader = cursor.fetch_record_batch()
        except adbc_driver_manager.Error:
            cursor.close()
            raise
        schema = plain_schema(reader.schema)

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                for batch in reader:
                    yield plain_types(batch, schema)
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
