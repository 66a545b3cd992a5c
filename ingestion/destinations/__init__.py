"""Warehouses that ingestion writes: the raw schema, its bookkeeping tables and the one transaction of a run.

Both engines speak nearly the same SQL here, so the statements live in ``SqlDestination``; each engine's
module supplies the connection, how a stream of Arrow batches reaches the SQL engine, and its type names.

Bookkeeping tables, in the ``raw`` schema beside the data:

- ``_ingest_batches``: one row per committed run (batch id, source, start and end, rows loaded);
- ``_ingest_loads``: one row per table and run (rows read, rows loaded, where the read started, watermark);
- ``_ingest_watermarks``: one row per table, the newest ``updated_at`` held in raw and the batch that set it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from ingestion.errors import first_line
from ingestion.schema import (
    BATCH_ID_COLUMN,
    CURSOR_COLUMN,
    ID_COLUMN,
    LOADED_AT_COLUMN,
    RAW_SCHEMA,
    Kind,
    RawColumn,
    RawTable,
)
from yeelen.errors import ConfigurationError, InputRejectedError
from yeelen.settings import Settings

BATCHES_TABLE = "_ingest_batches"
LOADS_TABLE = "_ingest_loads"
WATERMARKS_TABLE = "_ingest_watermarks"


@dataclass(frozen=True)
class TableLoad:
    """What one run did to one table."""

    table: str
    rows_read: int
    rows_loaded: int
    read_from: dt.datetime | None
    watermark: dt.datetime | None
    previous_watermark: dt.datetime | None = None
    seconds: float = 0.0  # reading and writing the table in this run (kept in the report, not in the warehouse)


@dataclass(frozen=True)
class BatchRecord:
    """One run as it is recorded in the warehouse."""

    batch_id: str
    source: str
    started_at: dt.datetime
    finished_at: dt.datetime
    loads: list[TableLoad] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(load.rows_loaded for load in self.loads)


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def raw_name(table: str) -> str:
    return f"{quote(RAW_SCHEMA)}.{quote(table)}"


class SqlDestination:
    """The statements shared by the DuckDB and PostgreSQL warehouses; subclasses bind them to a connection."""

    description: str
    type_names: dict[Kind, str]
    # The engine's errors for a value that cannot be converted to its warehouse type.
    data_errors: tuple[type[Exception], ...] = ()

    # -- provided by each engine -------------------------------------------------------------------------------
    def execute(self, sql: str, parameters: tuple = ()) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def begin(self) -> None:
        """Start the run's transaction (and take whatever lock keeps two runs apart)."""
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection; an uncommitted run is rolled back."""
        raise NotImplementedError

    def insert_stream(self, reader: pa.RecordBatchReader, statement: Callable[[str], str], parameters: tuple) -> int:
        """Make the stream readable as a relation, run ``statement(relation)`` and return the rows inserted."""
        raise NotImplementedError

    def cast(self, column: RawColumn, source_type: pa.DataType) -> str:
        """The SQL turning the streamed column into the warehouse type."""
        return f"CAST(stage.{quote(column.name)} AS {self.sql_type(column)})"

    # -- shared ------------------------------------------------------------------------------------------------
    def sql_type(self, column: RawColumn) -> str:
        name = self.type_names[column.kind]
        if column.kind is Kind.DECIMAL:
            return f"{name}({column.precision}, {column.scale})"
        return name

    def prepare(self, tables: list[RawTable]) -> dict[str, dt.datetime]:
        """Create what is missing (schema, bookkeeping, raw tables and columns); return the watermarks."""
        self.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(RAW_SCHEMA)}")
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {raw_name(BATCHES_TABLE)} (batch_id VARCHAR NOT NULL, source VARCHAR, "
            "started_at TIMESTAMP, finished_at TIMESTAMP, rows_loaded BIGINT)"
        )
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {raw_name(LOADS_TABLE)} (batch_id VARCHAR NOT NULL, "
            "table_name VARCHAR NOT NULL, rows_read BIGINT, rows_loaded BIGINT, read_from TIMESTAMP, "
            "watermark TIMESTAMP, loaded_at TIMESTAMP)"
        )
        self.execute(
            f"CREATE TABLE IF NOT EXISTS {raw_name(WATERMARKS_TABLE)} (table_name VARCHAR NOT NULL, "
            "watermark TIMESTAMP NOT NULL, batch_id VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL)"
        )
        existing: dict[str, set[str]] = {}
        for table_name, column_name in self.fetchall(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1",
            (RAW_SCHEMA,),
        ):
            existing.setdefault(table_name, set()).add(column_name)
        for table in tables:
            self._ensure_table(table, existing.get(table.name))
        return {name: watermark for name, watermark in self.fetchall(self._watermarks_query())}

    def _watermarks_query(self) -> str:
        return f"SELECT table_name, watermark FROM {raw_name(WATERMARKS_TABLE)}"

    def _ensure_table(self, table: RawTable, existing: set[str] | None) -> None:
        # Raw tables have no constraints: they are a landing zone and keep every version that arrived.
        columns = [(column.name, self.sql_type(column)) for column in table.columns]
        columns += [
            (BATCH_ID_COLUMN, self.type_names[Kind.VARCHAR]),
            (LOADED_AT_COLUMN, self.type_names[Kind.TIMESTAMP]),
        ]
        if existing is None:
            listed = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in columns)
            self.execute(f"CREATE TABLE {raw_name(table.name)} ({listed})")
            self.after_create(table)
            return
        for name, sql_type in columns:
            if name not in existing:
                # A column added to a model later: older versions of the rows hold NULL in it.
                self.execute(f"ALTER TABLE {raw_name(table.name)} ADD COLUMN {quote(name)} {sql_type}")

    def after_create(self, table: RawTable) -> None:
        """Hook for engine-specific structures of a new raw table (indexes)."""

    def load(
        self,
        table: RawTable,
        reader: pa.RecordBatchReader,
        *,
        batch_id: str,
        loaded_at: dt.datetime,
        since: dt.datetime | None,
    ) -> tuple[int, dt.datetime | None]:
        """Append the streamed rows not already held as (id, updated_at); return rows loaded and the watermark."""
        types = {field.name: field.type for field in reader.schema}
        missing = [name for name in table.column_names if name not in types]
        if missing:
            raise ConfigurationError(f"The source stream of {table.name} lacks the column(s) {missing}.")
        target = raw_name(table.name)
        names = ", ".join(quote(name) for name in table.column_names)
        casts = ", ".join(
            f"{self.cast(column, types[column.name])} AS {quote(column.name)}" for column in table.columns
        )
        key, cursor = quote(ID_COLUMN), quote(CURSOR_COLUMN)
        parameters: tuple = (batch_id, loaded_at)
        window = ""
        if since is not None:
            # The raw side of the de-duplication only needs the window the source was read from.
            window = f" AND held.{cursor} >= $3"
            parameters += (since,)
        # Rows before the bound can only arrive through a lenient text comparison on SQLite; they were either
        # loaded already or are older than the lookback window promises to catch.
        where = f"WHERE arrived.{cursor} >= $3 AND " if since is not None else "WHERE "
        stamps = f"{quote(BATCH_ID_COLUMN)}, {quote(LOADED_AT_COLUMN)}"

        def statement(stage: str) -> str:
            return (
                f"INSERT INTO {target} ({names}, {stamps}) "
                f"SELECT {names}, CAST($1 AS {self.type_names[Kind.VARCHAR]}), CAST($2 AS TIMESTAMP) "
                f"FROM (SELECT {casts} FROM {stage} AS stage) AS arrived {where}"
                f"NOT EXISTS (SELECT 1 FROM {target} AS held WHERE held.{key} = arrived.{key} "
                f"AND held.{cursor} = arrived.{cursor}{window})"
            )

        try:
            rows = self.insert_stream(reader, statement, parameters)
        except self.data_errors as error:
            raise InputRejectedError(
                f"Table {table.name} holds a value that does not fit its warehouse type ({first_line(error)}); "
                "correct that row in the operational database and run again."
            ) from None
        window = f" WHERE {cursor} >= $1" if since is not None else ""
        [(watermark,)] = self.fetchall(f"SELECT max({cursor}) FROM {target}{window}", (since,) if since else ())
        return rows, watermark

    def record(self, batch: BatchRecord) -> None:
        """Write the run's bookkeeping rows (inside the run's transaction)."""
        self.execute(
            f"INSERT INTO {raw_name(BATCHES_TABLE)} VALUES ($1, $2, $3, $4, $5)",
            (batch.batch_id, batch.source, batch.started_at, batch.finished_at, batch.rows_loaded),
        )
        for load in batch.loads:
            self.execute(
                f"INSERT INTO {raw_name(LOADS_TABLE)} VALUES ($1, $2, $3, $4, $5, $6, $7)",
                (
                    batch.batch_id,
                    load.table,
                    load.rows_read,
                    load.rows_loaded,
                    load.read_from,
                    load.watermark,
                    batch.finished_at,
                ),
            )
            if load.watermark is None or load.watermark == load.previous_watermark:
                continue
            self.execute(f"DELETE FROM {raw_name(WATERMARKS_TABLE)} WHERE table_name = $1", (load.table,))
            self.execute(
                f"INSERT INTO {raw_name(WATERMARKS_TABLE)} VALUES ($1, $2, $3, $4)",
                (load.table, load.watermark, batch.batch_id, batch.finished_at),
            )


def open_destination(settings: Settings) -> SqlDestination:
    """Connect to the warehouse named by the settings (the run's transaction is not started yet)."""
    if settings.warehouse_engine == "duckdb":
        from ingestion.destinations.duckdb import DuckDBDestination

        return DuckDBDestination(settings.warehouse_path)
    if settings.warehouse_engine == "postgres":
        from ingestion.destinations.postgres import PostgresDestination

        return PostgresDestination(str(settings.warehouse_url))
    raise ConfigurationError(
        f"Ingestion writes to DuckDB and PostgreSQL warehouses; YEELEN_WAREHOUSE_ENGINE="
        f"{settings.warehouse_engine} is not supported by ingestion yet."
    )
