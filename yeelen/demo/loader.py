"""Bulk loading into the operational database through ADBC (SQLite or PostgreSQL), in one transaction.

Secondary indexes are dropped before the load and created again from their own definitions afterwards, so the
schema ends as the migrations made it. Rows carry the ids the generator gave them; on PostgreSQL the id
sequences are moved past them so that later inserts work.
"""

from __future__ import annotations

import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy.engine import make_url

from operational_api.models import metadata
from yeelen.demo.tables import for_postgres, for_sqlite
from yeelen.errors import ConfigurationError, StoreUnavailableError

# Page cache of the loading connection, in KiB.
CACHE_KIB = 2_000_000


def dependants(tables: list[str]) -> list[str]:
    """``tables`` and every mapped table that refers to them, children first (the order to empty them)."""
    wanted = set(tables)
    changed = True
    while changed:
        changed = False
        for table in metadata.sorted_tables:
            if table.name not in wanted and any(fk.column.table.name in wanted for fk in table.foreign_keys):
                wanted.add(table.name)
                changed = True
    return [table.name for table in reversed(metadata.sorted_tables) if table.name in wanted]


class BulkWriter(ABC):
    """One ADBC connection holding one transaction for the whole load."""

    dialect: str

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.cursor = connection.cursor()
        self.indexes: list[tuple[str, str]] = []

    @abstractmethod
    def prepare(self, name: str, logical: pa.Table) -> pa.Table:
        """Convert a logical table to the engine's column formats."""

    @abstractmethod
    def _index_definitions(self, tables: list[str]) -> list[tuple[str, str]]: ...

    @abstractmethod
    def _empty(self, tables: list[str]) -> None: ...

    def query(self, sql: str) -> list[tuple]:
        """Rows of a query run inside the load's transaction."""
        self.cursor.execute(sql)
        return self.cursor.fetchall()

    def count_rows(self, table: str) -> int:
        """Number of rows of ``table``."""
        return int(self.query(f"select count(*) from {table}")[0][0])

    def has_rows(self, table: str) -> bool:
        """Whether ``table`` holds at least one row."""
        return bool(self.query(f"select exists (select 1 from {table})")[0][0])

    def begin(self, tables: list[str], replace: bool) -> None:
        """Empty the tables when replacing, then drop their secondary indexes for the load."""
        if replace:
            self._empty(dependants(tables))
        self.indexes = self._index_definitions(tables)
        for name, _ in self.indexes:
            self.cursor.execute(f"drop index {name}")

    def append(self, name: str, table: pa.Table) -> None:
        """Insert the rows of ``table`` (already in the engine's formats) into table ``name``."""
        self.cursor.adbc_ingest(name, table, mode="append")

    def create_indexes(self) -> None:
        """Create again the indexes dropped for the load."""
        for _, definition in self.indexes:
            self.cursor.execute(definition)

    def commit(self) -> None:
        """Commit the load."""
        self.connection.commit()

    def abort(self) -> None:
        """Roll the load back and close the connection."""
        try:
            self.connection.rollback()
        finally:
            self.close()

    def close(self) -> None:
        """Close the cursor and the connection."""
        try:
            self.cursor.close()
        finally:
            self.connection.close()


class SqliteWriter(BulkWriter):
    """Bulk load into a SQLite file through adbc_driver_sqlite."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        import adbc_driver_sqlite.dbapi

        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(adbc_driver_sqlite.dbapi.connect(str(path)))
        # A large page cache keeps the pages of the load in memory: fewer lookups in a write-ahead log that grows
        # with the load, and index builds that sort in memory rather than in temporary files.
        self.cursor.execute(f"pragma cache_size=-{CACHE_KIB}")
        self.cursor.execute("pragma temp_store=memory")
        # Index builds sort with a helper thread: nothing else runs by then.
        self.cursor.execute("pragma threads=2")

    def prepare(self, name: str, logical: pa.Table) -> pa.Table:
        """Dates and timestamps as the text SQLAlchemy writes on SQLite."""
        return for_sqlite(name, logical)

    def _index_definitions(self, tables: list[str]) -> list[tuple[str, str]]:
        names = ", ".join(f"'{table}'" for table in tables)
        return self.query(
            f"select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ({names})"
            " order by tbl_name, name"
        )

    def _empty(self, tables: list[str]) -> None:
        for table in tables:
            self.cursor.execute(f"delete from {table}")

    def commit(self) -> None:
        """Commit, and fold the write-ahead log back into the database file."""
        super().commit()
        self.connection.adbc_connection.set_autocommit(True)
        self.query("pragma wal_checkpoint(truncate)")


class PostgresWriter(BulkWriter):
    """Bulk load into PostgreSQL through adbc_driver_postgresql (binary COPY)."""

    dialect = "postgresql"

    def __init__(self, uri: str) -> None:
        import adbc_driver_postgresql.dbapi

        super().__init__(adbc_driver_postgresql.dbapi.connect(uri))
        self.loaded: list[str] = []

    def begin(self, tables: list[str], replace: bool) -> None:
        """Empty and drop indexes as the base class does, without foreign-key triggers where allowed."""
        # A superuser can skip the foreign-key triggers during the load: the generator's ids are consistent.
        if self.query("select rolsuper from pg_roles where rolname = current_user")[0][0]:
            self.cursor.execute("set local session_replication_role = replica")
        super().begin(tables, replace)

    def prepare(self, name: str, logical: pa.Table) -> pa.Table:
        """Column types that binary COPY accepts for the table's columns."""
        return for_postgres(name, logical)

    def _index_definitions(self, tables: list[str]) -> list[tuple[str, str]]:
        names = ", ".join(f"'{table}'" for table in tables)
        return self.query(
            "select i.indexname, i.indexdef from pg_indexes i where i.schemaname = current_schema()"
            f" and i.tablename in ({names}) and not exists (select 1 from pg_constraint c"
            " where c.conname = i.indexname and c.contype in ('p', 'u', 'x')) order by i.tablename, i.indexname"
        )

    def _empty(self, tables: list[str]) -> None:
        self.cursor.execute(f"truncate table {', '.join(tables)} restart identity")

    def append(self, name: str, table: pa.Table) -> None:
        """Insert rows and remember the table, whose id sequence moves at the end."""
        super().append(name, table)
        if name not in self.loaded:
            self.loaded.append(name)

    def commit(self) -> None:
        """Move the id sequences past the loaded ids, commit, refresh the planner's statistics."""
        for table in self.loaded:
            self.query(
                f"select setval(pg_get_serial_sequence('{table}', 'id'), m) from (select max(id) as m from {table}) x"
                " where m is not null"
            )
        self.cursor.execute("set local session_replication_role = origin")
        self.connection.commit()
        for table in self.loaded:
            self.cursor.execute(f"analyze {table}")
        self.connection.commit()


def ensure_location(url: str) -> None:
    """Create the folder of a SQLite database file so that the migrations can create the file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def open_writer(url: str) -> BulkWriter:
    """An ADBC writer for a SQLAlchemy URL of the operational database."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            if not parsed.database or parsed.database == ":memory:":
                raise ConfigurationError("the demo generator needs a SQLite file, not an in-memory database")
            return SqliteWriter(Path(parsed.database))
        if backend == "postgresql":
            return PostgresWriter(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    except ConfigurationError:
        raise
    except Exception as error:  # noqa: BLE001 - the drivers raise their own error types
        where = parsed.render_as_string(hide_password=True)
        raise StoreUnavailableError(f"cannot open {where} for the bulk load: {error}") from None
    raise ConfigurationError(
        f"the demo generator loads SQLite or PostgreSQL, not {backend} ({parsed.render_as_string(hide_password=True)})"
    )


class BackgroundLoad:
    """Feeds a writer from a second thread so that generating the next rows overlaps loading the last ones."""

    def __init__(self, writer: BulkWriter, depth: int = 2) -> None:
        self.writer = writer
        self.rows: dict[str, int] = {}
        self.seconds = 0.0
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="demo-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue
            name, table = item
            started = time.perf_counter()
            try:
                self.writer.append(name, table)
            except BaseException as error:  # noqa: BLE001 - handed back to the producing thread
                self._error = error
            self.seconds += time.perf_counter() - started
            self.rows[name] = self.rows.get(name, 0) + table.num_rows

    def put(self, name: str, table: pa.Table) -> None:
        """Queue rows for the loading thread; raise what it met so far."""
        if self._error is not None:
            raise self._error
        self._queue.put((name, table))

    def close(self, on_wait: Callable[[], None] | None = None) -> None:
        """Wait for the queued tables to be loaded; raise what the loading thread met."""
        self._queue.put(None)
        self._thread.join()
        if on_wait:
            on_wait()
        if self._error is not None:
            raise self._error
