"""Warehouses that ingestion writes: the raw schema, its bookkeeping tables and the one transaction of a run.

The engines speak nearly the same SQL here, so the statements live in ``SqlDestination``; each engine's module
supplies the connection, how a stream of Arrow batches reaches the SQL engine, its type names, and the few
phrases its dialect writes differently (parameter markers, "create if missing", adding a column, the first row).

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


def cursor_index(table: RawTable) -> str:
    """The index on ``updated_at`` of a raw table: the de-duplication and the watermark read its recent end."""
    return (
        f"CREATE INDEX {quote(f'ix_raw_{table.name}_{CURSOR_COLUMN}')} "
        f"ON {quote(RAW_SCHEMA)}.{quote(table.name)} ({quote(CURSOR_COLUMN)})"
    )


class SqlDestination:
    """The statements shared by every warehouse engine; subclasses bind them to a connection."""

    description: str
    type_names: dict[Kind, str]
    # The engine's errors for a value that cannot be converted to its warehouse type.
    data_errors: tuple[type[Exception], ...] = ()
    # How statements mark their parameters: "numeric_dollar" ($1, $2; a number may be used twice) or "qmark" (?,
    # one marker per value, in order).
    paramstyle: str = "numeric_dollar"

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

    # -- the dialect's phrases (DuckDB and PostgreSQL share these; SQL Server overrides them) -------------------
    def placeholder(self, number: int) -> str:
        """The marker of a statement's ``number``-th parameter (counting from 1)."""
        return "?" if self.paramstyle == "qmark" else f"${number}"

    def bind(self, values: tuple, numbers: tuple[int, ...]) -> tuple:
        """The values to send with a statement whose markers name ``values`` in the order ``numbers``."""
        if self.paramstyle == "qmark":
            return tuple(values[number - 1] for number in numbers)
        return values

    def create_schema_sql(self) -> str:
        return f"CREATE SCHEMA IF NOT EXISTS {quote(RAW_SCHEMA)}"

    def create_table_sql(self, table: str, columns: str) -> str:
        """Create the raw-schema table ``table`` with the column definitions ``columns`` unless it exists."""
        return f"CREATE TABLE IF NOT EXISTS {raw_name(table)} ({columns})"

    def add_column_sql(self, table: str, column: str, sql_type: str) -> str:
        return f"ALTER TABLE {raw_name(table)} ADD COLUMN {quote(column)} {sql_type}"

    def columns_sql(self) -> str:
        """The query listing (table, column) of the raw schema; its one parameter is the schema's name."""
        return (
            f"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = {self.placeholder(1)}"
        )

    def tables_sql(self) -> str:
        """The query listing the tables of the raw schema; its one parameter is the schema's name."""
        return f"SELECT table_name FROM information_schema.tables WHERE table_schema = {self.placeholder(1)}"

    def select_first(self, columns: str, rest: str) -> str:
        """``SELECT columns rest`` (``rest``: FROM ... ORDER BY ...) keeping the first row only."""
        return f"SELECT {columns} {rest} LIMIT 1"

    # -- shared ------------------------------------------------------------------------------------------------
    def sql_type(self, column: RawColumn) -> str:
        name = self.type_names[column.kind]
        if column.kind is Kind.DECIMAL:
            return f"{name}({column.precision}, {column.scale})"
        return name

    def prepare(self, tables: list[RawTable]) -> dict[str, dt.datetime]:
        """Create what is missing (schema, bookkeeping, raw tables and columns); return the watermarks."""
        text, stamp, count = (self.type_names[kind] for kind in (Kind.VARCHAR, Kind.TIMESTAMP, Kind.BIGINT))
        self.execute(self.create_schema_sql())
        self.execute(
            self.create_table_sql(
                BATCHES_TABLE,
                f"batch_id {text} NOT NULL, source {text}, started_at {stamp}, finished_at {stamp}, "
                f"rows_loaded {count}",
            )
        )
        self.execute(
            self.create_table_sql(
                LOADS_TABLE,
                f"batch_id {text} NOT NULL, table_name {text} NOT NULL, rows_read {count}, rows_loaded {count}, "
                f"read_from {stamp}, watermark {stamp}, loaded_at {stamp}",
            )
        )
        self.execute(
            self.create_table_sql(
                WATERMARKS_TABLE,
                f"table_name {text} NOT NULL, watermark {stamp} NOT NULL, batch_id {text} NOT NULL, "
                f"loaded_at {stamp} NOT NULL",
            )
        )
        existing = self.raw_columns()
        for table in tables:
            self._ensure_table(table, existing.get(table.name))
        return {name: watermark for name, watermark in self.fetchall(self._watermarks_query())}

    def raw_columns(self) -> dict[str, set[str]]:
        """The tables of the raw schema, each with its column names."""
        existing: dict[str, set[str]] = {}
        for table_name, column_name in self.fetchall(self.columns_sql(), (RAW_SCHEMA,)):
            existing.setdefault(table_name, set()).add(column_name)
        return existing

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
                self.execute(self.add_column_sql(table.name, name, sql_type))

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
        mark = self.placeholder
        parameters: tuple = (batch_id, loaded_at)
        window = ""
        if since is not None:
            # The raw side of the de-duplication only needs the window the source was read from.
            window = f" AND held.{cursor} >= {mark(3)}"
            parameters += (since,)
        # Rows before the bound can only arrive through a lenient text comparison on SQLite; they were either
        # loaded already or are older than the lookback window promises to catch.
        where = f"WHERE arrived.{cursor} >= {mark(3)} AND " if since is not None else "WHERE "
        stamps = f"{quote(BATCH_ID_COLUMN)}, {quote(LOADED_AT_COLUMN)}"

        def statement(stage: str) -> str:
            return (
                f"INSERT INTO {target} ({names}, {stamps}) "
                f"SELECT {names}, CAST({mark(1)} AS {self.type_names[Kind.VARCHAR]}), "
                f"CAST({mark(2)} AS {self.type_names[Kind.TIMESTAMP]}) "
                f"FROM (SELECT {casts} FROM {stage} AS stage) AS arrived {where}"
                f"NOT EXISTS (SELECT 1 FROM {target} AS held WHERE held.{key} = arrived.{key} "
                f"AND held.{cursor} = arrived.{cursor}{window})"
            )

        # The bound is written twice: once for the arriving rows, once for the rows held.
        numbers = (1, 2, 3, 3) if since is not None else (1, 2)
        try:
            rows = self.insert_stream(reader, statement, self.bind(parameters, numbers))
        except self.data_errors as error:
            raise InputRejectedError(
                f"Table {table.name} holds a value that does not fit its warehouse type ({first_line(error)}); "
                "correct that row in the operational database and run again."
            ) from None
        window = f" WHERE {cursor} >= {mark(1)}" if since is not None else ""
        [(watermark,)] = self.fetchall(f"SELECT max({cursor}) FROM {target}{window}", (since,) if since else ())
        return rows, watermark

    def markers(self, count: int) -> str:
        """``count`` parameter markers, comma-separated, for a VALUES list."""
        return ", ".join(self.placeholder(number) for number in range(1, count + 1))

    def record(self, batch: BatchRecord) -> None:
        """Write the run's bookkeeping rows (inside the run's transaction)."""
        self.execute(
            f"INSERT INTO {raw_name(BATCHES_TABLE)} VALUES ({self.markers(5)})",
            (batch.batch_id, batch.source, batch.started_at, batch.finished_at, batch.rows_loaded),
        )
        for load in batch.loads:
            self.execute(
                f"INSERT INTO {raw_name(LOADS_TABLE)} VALUES ({self.markers(7)})",
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
            self.execute(
                f"DELETE FROM {raw_name(WATERMARKS_TABLE)} WHERE table_name = {self.placeholder(1)}", (load.table,)
            )
            self.execute(
                f"INSERT INTO {raw_name(WATERMARKS_TABLE)} VALUES ({self.markers(4)})",
                (load.table, load.watermark, batch.batch_id, batch.finished_at),
            )


class ServerDestination(SqlDestination):
    """A warehouse on a server (PostgreSQL, SQL Server) reached through a DB-API connection outside autocommit:
    the run's transaction is the connection's, and each raw table gets an index on ``updated_at``."""

    _connection = None

    def commit(self) -> None:
        self._connection.commit()

    def close(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.rollback()
        finally:
            self._connection.close()
            self._connection = None

    def after_create(self, table: RawTable) -> None:
        self.execute(cursor_index(table))


def open_destination(settings: Settings) -> SqlDestination:
    """Connect to the warehouse named by the settings (the run's transaction is not started yet)."""
    if settings.warehouse_engine == "duckdb":
        from ingestion.destinations.duckdb import DuckDBDestination

        return DuckDBDestination(settings.warehouse_path)
    if settings.warehouse_engine == "postgres":
        from ingestion.destinations.postgres import PostgresDestination

        return PostgresDestination(str(settings.warehouse_url))
    if settings.warehouse_engine == "sqlserver":
        from ingestion.destinations.sqlserver import SqlServerDestination

        return SqlServerDestination(
            str(settings.warehouse_url),
            driver=settings.warehouse_odbc_driver,
            trust_cert=settings.warehouse_trust_cert,
        )
    raise ConfigurationError(
        f"Ingestion writes to DuckDB, PostgreSQL and SQL Server warehouses; YEELEN_WAREHOUSE_ENGINE="
        f"{settings.warehouse_engine} is not one of them."
    )
