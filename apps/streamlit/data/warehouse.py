"""Read-only connections to the marts, and one cached way to run a query on them.

With the embedded DuckDB warehouse the apps read the *published copy* (``settings.published_path``), never the
live warehouse file, which a pipeline run may hold locked for writing. The copy is replaced atomically by
``yeelen warehouse publish``; its identity (inode, modification time, size) is part of every cache key, so a
new publication is picked up at the next rerun while sessions still reading the previous file finish safely.
With a server warehouse (PostgreSQL) the apps query its ``marts`` schema through SQLAlchemy.

SQL is written once with ``:name`` parameters, bound by the driver, never formatted into the text.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from yeelen.errors import YeelenError
from yeelen.settings import Settings, get_settings

QUERY_TTL_SECONDS = 300
PUBLISHED_CATALOG = "published"
MARTS_SCHEMA = "marts"

# ":name" but not the "::" of a cast; DuckDB spells the same parameter "$name". (So no ":word" may appear
# inside a string literal of the SQL.)
_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_cursor_lock = threading.Lock()


class MartsUnavailable(YeelenError):
    """The marts cannot be read; the message says why."""


class NoPublishedMarts(MartsUnavailable):
    """Nothing has been published yet (no file, no marts tables, or empty marts)."""


class InvalidSettings(MartsUnavailable):
    """The ``YEELEN_*`` settings are not valid, so the marts cannot even be located."""


@dataclass(frozen=True)
class MartsSource:
    """Where the marts are read from; ``version`` changes whenever a new copy is published."""

    engine: str
    location: str
    version: tuple[int, int, int] | None = None

    @property
    def key(self) -> tuple[Hashable, ...]:
        return (self.engine, self.location, self.version)

    @property
    def published_at(self) -> dt.datetime | None:
        """When the DuckDB copy was published (UTC), or None for a server warehouse."""
        if self.version is None:
            return None
        return dt.datetime.fromtimestamp(self.version[1] / 1e9, tz=dt.UTC)


def settings() -> Settings:
    """The product settings; a configuration error becomes a message for the page."""
    try:
        return get_settings()
    except YeelenError as error:
        raise InvalidSettings(str(error)) from None


def current_source() -> MartsSource:
    """The marts the apps read now: the published DuckDB file or the server warehouse."""
    config = settings()
    if config.warehouse_engine == "duckdb":
        path = Path(config.published_path)
        try:
            status = path.stat()
        except FileNotFoundError:
            raise NoPublishedMarts(f"no published file at {path}") from None
        return MartsSource("duckdb", str(path), (status.st_ino, status.st_mtime_ns, status.st_size))
    return MartsSource(config.warehouse_engine, str(config.warehouse_url))


def fetch(sql: str, **parameters: Hashable) -> pd.DataFrame:
    """Run a read-only query on the marts with bound ``:name`` parameters; results are cached."""
    source = current_source()
    return _fetch_cached(source.key, sql, tuple(sorted(parameters.items())))


@st.cache_data(ttl=QUERY_TTL_SECONDS, max_entries=512, show_spinner=False)
def _fetch_cached(source_key: tuple[Hashable, ...], sql: str, parameters: tuple[tuple[str, Hashable], ...]):
    engine, location, version = source_key
    if engine == "duckdb":
        return _fetch_duckdb(location, version, sql, dict(parameters))
    return _fetch_sqlalchemy(location, sql, dict(parameters))


@st.cache_resource(max_entries=4, show_spinner=False)
def _published_database(path: str, version: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    # duckdb.connect(path) would hand back the already-open instance of the *previous* file kept in DuckDB's
    # per-path cache; attaching to a fresh in-memory database always opens the file now at that path.
    del version  # only part of the cache key
    connection = duckdb.connect(":memory:")
    connection.execute(f"attach '{path.replace(chr(39), chr(39) * 2)}' as {PUBLISHED_CATALOG} (read_only)")
    return connection


def _fetch_duckdb(path: str, version: tuple[int, int, int], sql: str, parameters: dict) -> pd.DataFrame:
    try:
        database = _published_database(path, version)
    except duckdb.Error as error:
        raise MartsUnavailable(_first_line(error)) from None
    # One cursor per query: a DuckDB connection must not be shared by the threads of several sessions.
    with _cursor_lock:
        cursor = database.cursor()
    try:
        cursor.execute(f"use {PUBLISHED_CATALOG}")
        return cursor.execute(_PARAMETER.sub(r"$\1", sql), parameters).df()
    except duckdb.CatalogException as error:
        # No marts at all means nothing was published yet; one missing mart is a problem to report.
        marts = cursor.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ?",
            [PUBLISHED_CATALOG, MARTS_SCHEMA],
        ).fetchone()[0]
        raise (MartsUnavailable if marts else NoPublishedMarts)(_first_line(error)) from None
    except duckdb.Error as error:
        raise MartsUnavailable(_first_line(error)) from None
    finally:
        cursor.close()


@st.cache_resource(show_spinner=False)
def _server_engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _fetch_sqlalchemy(url: str, sql: str, parameters: dict) -> pd.DataFrame:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    try:
        engine = _server_engine(url)
    except ImportError as error:
        raise MartsUnavailable(f"the database driver is not installed ({error})") from None
    try:
        with engine.connect() as connection:
            result = connection.execute(text(sql), parameters)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    except DBAPIError as error:
        # 3F000: no marts schema, 42P01: no such table — with no mart at all, nothing has been built yet.
        state = getattr(error.orig, "sqlstate", None)
        if state == "3F000" or (state == "42P01" and not _server_has_marts(engine)):
            raise NoPublishedMarts(_first_line(error.orig)) from None
        raise MartsUnavailable(_first_line(error.orig)) from None
    except SQLAlchemyError as error:
        raise MartsUnavailable(_first_line(error)) from None


def _server_has_marts(engine) -> bool:
    from sqlalchemy import text

    with engine.connect() as connection:
        count = connection.execute(
            text("select count(*) from information_schema.tables where table_schema = :schema"),
            {"schema": MARTS_SCHEMA},
        ).scalar()
    return bool(count)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def clear_caches() -> None:
    """Forget cached results and connections (tests, or after moving the stores)."""
    _fetch_cached.clear()
    _published_database.clear()
    _server_engine.clear()
