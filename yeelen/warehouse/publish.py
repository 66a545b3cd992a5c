"""Publish a read-only copy of the marts for the apps.

A DuckDB file cannot be opened, even read-only, while another process holds a write connection on it, so the
dashboards never read the live warehouse. After a successful build the pipeline copies every table of the
``marts`` schema into a new DuckDB file beside the published copy and swaps it in with ``os.replace``:

- a reader that already has the previous copy open keeps reading it (the old inode lives until it closes);
- a reader that opens the path afterwards sees the complete new copy, never a half-written file;
- a failed publish removes its temporary file and leaves the previous copy untouched.

Readers notice a new publication by the file's identity (inode, modification time, size) and reopen.
With a PostgreSQL warehouse there is nothing to publish: the apps read its ``marts`` schema directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from yeelen.errors import EmptyWarehouseError, StoreUnavailableError
from yeelen.settings import Settings

MARTS_SCHEMA = "marts"
# A temporary file older than this was left by a publish that died (killed, power cut): safe to remove.
STALE_TEMPORARY_SECONDS = 3600


@dataclass(frozen=True)
class PublishReport:
    """What a publication did: which tables were copied, where, and how long it took."""

    engine: str
    published: bool
    path: Path | None = None
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    published_at: dt.datetime | None = None
    reason: str = ""

    @property
    def rows(self) -> int:
        """Rows copied over all tables."""
        return sum(self.tables.values())


def publish_marts(settings: Settings, *, schema: str = MARTS_SCHEMA) -> PublishReport:
    """Copy every table of ``schema`` from the DuckDB warehouse into the published file, swapped in atomically.

    Raises EmptyWarehouseError when the warehouse file or its marts are missing (the previous copy is kept),
    and StoreUnavailableError when the warehouse cannot be opened (for instance while a build still writes it).
    """
    if settings.warehouse_engine != "duckdb":
        return PublishReport(
            engine=settings.warehouse_engine,
            published=False,
            reason=f"the apps read the {settings.warehouse_engine} warehouse directly",
        )

    started = time.monotonic()
    source = Path(settings.warehouse_path)
    target = Path(settings.published_path)
    if not source.exists():
        raise EmptyWarehouseError(f"No warehouse at {source}: run the pipeline first (yeelen pipeline run).")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)

    temporary = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tables = _copy_schema(source, temporary, schema)
        _fsync(temporary)
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    except BaseException:
        _remove_quietly(temporary)
        raise

    return PublishReport(
        engine="duckdb",
        published=True,
        path=target,
        tables=tables,
        seconds=round(time.monotonic() - started, 3),
        published_at=dt.datetime.now(dt.UTC),
    )


def _copy_schema(source: Path, destination: Path, schema: str) -> dict[str, int]:
    """Copy the base tables of ``schema`` into a new DuckDB file; return the rows copied per table."""
    connection = duckdb.connect(str(destination))
    try:
        try:
            connection.execute(f"attach {_literal(str(source))} as warehouse (read_only)")
        except duckdb.Error as error:
            raise StoreUnavailableError(
                f"Cannot open the warehouse {source} to publish the marts ({_first_line(error)}); "
                "if a pipeline run is writing it, publish again when it has finished."
            ) from None
        names = [
            row[0]
            for row in connection.execute(
                "select table_name from duckdb_tables() where database_name = 'warehouse' and schema_name = ? "
                "order by table_name",
                [schema],
            ).fetchall()
        ]
        if not names:
            raise EmptyWarehouseError(
                f"The warehouse {source} has no table in schema {schema!r}: build the marts first "
                "(yeelen pipeline run); the published copy was left as it was."
            )
        # Fully qualified on both sides: DuckDB names a file's catalog after the file ("marts.duckdb" gives
        # a catalog "marts"), which would make "marts.<table>" ambiguous.
        catalog = _identifier(connection.execute("select current_database()").fetchone()[0])
        connection.execute(f"create schema {catalog}.{_identifier(schema)}")
        tables = {}
        for name in names:
            relation = f"{_identifier(schema)}.{_identifier(name)}"
            connection.execute(f"create table {catalog}.{relation} as select * from warehouse.{relation}")
            tables[name] = connection.execute(f"select count(*) from {catalog}.{relation}").fetchone()[0]
        connection.execute("detach warehouse")
        # Fold the write-ahead log into the file so the swapped-in copy is complete on its own.
        connection.execute("checkpoint")
        return tables
    finally:
        connection.close()


def _remove_stale_temporaries(target: Path) -> None:
    limit = time.time() - STALE_TEMPORARY_SECONDS
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
        except FileNotFoundError:
            pass


def _remove_quietly(temporary: Path) -> None:
    for path in (temporary, temporary.with_name(temporary.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_directory(path: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    # ATTACH takes no bound parameter; the path comes from the settings, quoted here.
    return "'" + value.replace("'", "''") + "'"


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
