"""The PostgreSQL warehouse: Arrow streams go in by binary COPY (adbc-driver-postgresql) to a temporary
staging table, then into the raw table by one INSERT ... SELECT that casts and de-duplicates.

The run is one transaction; a transaction-scoped advisory lock keeps two runs from loading the same rows at
the same time (neither would see the other's uncommitted rows when de-duplicating).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import adbc_driver_manager
import adbc_driver_postgresql.dbapi as postgres_dbapi
import pyarrow as pa

from ingestion.destinations import ServerDestination, quote
from ingestion.errors import first_line
from ingestion.schema import Kind, RawColumn
from ingestion.sources import libpq_uri, parse_url
from yeelen.errors import StoreUnavailableError

TYPE_NAMES = {
    Kind.BIGINT: "BIGINT",
    Kind.DOUBLE: "DOUBLE PRECISION",
    Kind.DECIMAL: "NUMERIC",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.VARCHAR: "VARCHAR",
}
# Any constant shared by every ingestion process; it names the lock in pg_locks.
ADVISORY_LOCK_KEY = 7_311_990_451


class PostgresDestination(ServerDestination):
    """The PostgreSQL warehouse named by ``YEELEN_WAREHOUSE_URL``."""

    type_names = TYPE_NAMES
    data_errors = (adbc_driver_manager.DataError,)

    def __init__(self, url: str) -> None:
        parsed = parse_url(url, "YEELEN_WAREHOUSE_URL")
        self.description = parsed.render_as_string(hide_password=True)
        try:
            self._connection = postgres_dbapi.connect(libpq_uri(parsed))
        except adbc_driver_manager.Error as error:
            raise StoreUnavailableError(
                f"The warehouse at {self.description} cannot be reached: {first_line(error)}. "
                "Check that the server is running, that the database exists and that YEELEN_WAREHOUSE_URL is right."
            ) from None

    def execute(self, sql: str, parameters: tuple = ()) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(sql, parameters or None)

    def fetchall(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with self._connection.cursor() as cursor:
            cursor.execute(sql, parameters or None)
            return cursor.fetchall()

    def begin(self) -> None:
        # The connection is not in autocommit mode: a transaction is already open; the lock waits for any other
        # run to commit, after which its rows are visible to this one.
        self.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")

    def cast(self, column: RawColumn, source_type: pa.DataType) -> str:
        # PostgreSQL has no cast from BIGINT to BOOLEAN; SQLite keeps booleans as integers.
        if column.kind is Kind.BOOLEAN and pa.types.is_integer(source_type):
            return f"(stage.{quote(column.name)} <> 0)"
        return super().cast(column, source_type)

    def insert_stream(self, reader: pa.RecordBatchReader, statement: Callable[[str], str], parameters: tuple) -> int:
        stage = f"_ingest_stage_{uuid.uuid4().hex[:8]}"
        with self._connection.cursor() as cursor:
            cursor.adbc_ingest(stage, reader, mode="create", temporary=True)
            # The driver reports no row count for INSERT ... SELECT; the server counts the rows it returns.
            cursor.execute(
                f"WITH inserted AS ({statement(quote(stage))} RETURNING 1) SELECT count(*) FROM inserted", parameters
            )
            [(rows,)] = cursor.fetchall()
            cursor.execute(f"DROP TABLE {quote(stage)}")
        return int(rows)
