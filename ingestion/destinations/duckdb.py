"""The DuckDB warehouse file: Arrow streams are scanned in place and cast by DuckDB.

DuckDB writes a transaction to its write-ahead log only when it commits, so a run killed half-way leaves
nothing of itself in the file; blocks it had already written for large appends are unreferenced space that the
next checkpoint reuses.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.destinations import SqlDestination
from ingestion.errors import first_line
from ingestion.schema import Kind
from yeelen.errors import StoreUnavailableError

TYPE_NAMES = {
    Kind.BIGINT: "BIGINT",
    Kind.DOUBLE: "DOUBLE",
    Kind.DECIMAL: "DECIMAL",
    Kind.DATE: "DATE",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.VARCHAR: "VARCHAR",
}


def connect_warehouse(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, turning a lock held by another process into a message saying so."""
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.Error, OSError) as error:
        reason = first_line(error)
        if "lock" in reason.lower():
            raise StoreUnavailableError(
                f"The warehouse file {path} is in use by another process ({reason}). Wait until that process "
                "(a pipeline run, dbt, another ingestion) has finished, then run again."
            ) from None
        raise StoreUnavailableError(
            f"The warehouse file {path} cannot be opened: {reason}. Check YEELEN_WAREHOUSE_PATH "
            "(or YEELEN_HOME) and that this user may write there."
        ) from None


class DuckDBDestination(SqlDestination):
    """The DuckDB warehouse named by ``YEELEN_WAREHOUSE_PATH``."""

    type_names = TYPE_NAMES
    data_errors = (duckdb.ConversionException, duckdb.InvalidInputException)

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.description = str(self.path)
        self._connection = connect_warehouse(self.path, read_only=read_only)
        self._open_transaction = False

    def execute(self, sql: str, parameters: tuple = ()) -> None:
        self._connection.execute(sql, list(parameters))

    def fetchall(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        return self._connection.execute(sql, list(parameters)).fetchall()

    def begin(self) -> None:
        # DuckDB lets one process hold a file for writing, so concurrent runs are already kept apart.
        self._connection.execute("BEGIN TRANSACTION")
        self._open_transaction = True

    def commit(self) -> None:
        self._connection.execute("COMMIT")
        self._open_transaction = False

    def close(self) -> None:
        if self._connection is None:
            return
        try:
            if self._open_transaction:
                self._connection.execute("ROLLBACK")
        finally:
            self._connection.close()
            self._connection = None

    def insert_stream(self, reader: pa.RecordBatchReader, statement: Callable[[str], str], parameters: tuple) -> int:
        # DuckDB scans the registered stream batch by batch: the table is never materialised in memory.
        view = f"_ingest_stream_{uuid.uuid4().hex[:8]}"
        self._connection.register(view, reader)
        try:
            [(rows,)] = self._connection.execute(statement(view), list(parameters)).fetchall()
        finally:
            # After a failed statement the transaction is aborted and refuses even this; closing drops the view.
            with contextlib.suppress(duckdb.TransactionException):
                self._connection.unregister(view)
        return int(rows)
