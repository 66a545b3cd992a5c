"""Operational databases that ingestion reads: one module per engine, one interface.

A source is opened (connection and schema check), then read inside one snapshot: every table of a run comes
from the same consistent state of the database, as of the moment the snapshot started.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Protocol

import pyarrow as pa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ingestion.schema import RawTable
from yeelen.errors import ConfigurationError, StoreUnavailableError
from yeelen.settings import Settings

# Rows per Arrow batch: large enough that per-batch overhead vanishes, small enough to keep memory flat.
BATCH_ROWS = 65_536


class Source(Protocol):
    """An operational database opened for reading."""

    description: str

    def snapshot(self) -> AbstractContextManager[None]:
        """One read transaction; every ``read`` inside it sees the same state of the database."""
        ...

    def read(self, table: RawTable, since: dt.datetime | None) -> pa.RecordBatchReader:
        """The rows of ``table`` changed at or after ``since`` (naive UTC; all rows when None), as Arrow."""
        ...

    def close(self) -> None: ...


def parse_url(url: str, variable: str) -> URL:
    """Parse a SQLAlchemy URL from the settings, naming the variable to fix when it is malformed."""
    try:
        return make_url(url)
    except ArgumentError as error:
        raise ConfigurationError(f"{variable}={url!r} is not a database URL ({error}).") from None


def libpq_uri(url: URL) -> str:
    """The libpq connection URI of a SQLAlchemy PostgreSQL URL (the driver suffix dropped)."""
    uri = url.set(drivername="postgresql")
    # Without a connect timeout an unreachable host makes libpq wait for the operating system's TCP timeout.
    if "connect_timeout" not in uri.query:
        uri = uri.update_query_dict({"connect_timeout": "10"})
    return uri.render_as_string(hide_password=False)


def check_schema(description: str, found: dict[str, set[str]], tables: list[RawTable], has_migrations: bool) -> None:
    """Refuse a database whose schema is missing or older than the models, pointing at ``yeelen db upgrade``."""
    if not has_migrations or not found:
        raise StoreUnavailableError(
            f"The operational database at {description} has no schema yet (its migrations were never run). "
            "Run `yeelen db upgrade` first."
        )
    missing: list[str] = []
    for table in tables:
        if table.name not in found:
            missing.append(table.name)
            continue
        missing.extend(f"{table.name}.{name}" for name in table.column_names if name not in found[table.name])
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise StoreUnavailableError(
            f"The operational database at {description} is older than this version of Yeelen "
            f"(missing: {shown}). Run `yeelen db upgrade` first."
        )


def open_source(settings: Settings, tables: list[RawTable]) -> Source:
    """Open the operational database named by the settings and check that its schema is up to date."""
    url = parse_url(str(settings.operational_url), "YEELEN_OPERATIONAL_URL")
    backend = url.get_backend_name()
    if backend == "sqlite":
        from ingestion.sources.sqlite import SQLiteSource

        return SQLiteSource(url, tables)
    if backend == "postgresql":
        from ingestion.sources.postgres import PostgresSource

        return PostgresSource(url, tables)
    raise ConfigurationError(
        f"Ingestion reads SQLite and PostgreSQL operational databases; YEELEN_OPERATIONAL_URL points at a "
        f"{backend} database ({url.render_as_string(hide_password=True)})."
    )
