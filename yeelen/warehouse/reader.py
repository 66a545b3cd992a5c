"""Reading the marts outside the apps: the published DuckDB copy, or the PostgreSQL warehouse."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from yeelen.errors import EmptyWarehouseError, StoreUnavailableError
from yeelen.settings import Settings

STREAM_CHUNK = 50_000


@contextmanager
def marts_connection(settings: Settings) -> Iterator[Any]:
    """A read-only connection to the marts; yields an object with ``rows(sql, params)`` returning dicts."""
    if settings.warehouse_engine == "duckdb":
        import duckdb

        path = Path(str(settings.published_path))
        if not path.exists():
            raise EmptyWarehouseError(f"No published marts at {path}: run `yeelen pipeline run` first.")
        connection = duckdb.connect(str(path), read_only=True)
        try:
            yield _DuckDBRows(connection)
        finally:
            connection.close()
        return
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    engine = create_engine(str(settings.warehouse_url))
    try:
        with engine.connect() as connection:
            yield _SqlAlchemyRows(connection)
    except OperationalError as error:
        raise StoreUnavailableError(f"The warehouse cannot be reached: {error.orig}") from None
    finally:
        engine.dispose()


class _DuckDBRows:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        return list(self.stream(sql, params))

    def stream(
        self, sql: str, params: Mapping[str, Any] | None = None, chunk: int = STREAM_CHUNK
    ) -> Iterator[dict[str, Any]]:
        """The rows one at a time, fetched ``chunk`` by ``chunk``: a result of millions of rows is never whole in
        memory."""
        # Named parameters are written :name in the SQL of this module's callers; DuckDB spells them $name.
        import re

        translated = re.sub(r"(?<!:):([a-z_][a-z0-9_]*)", r"$\1", sql)
        cursor = self.connection.execute(translated, dict(params or {}))
        names = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(chunk):
            for row in batch:
                yield dict(zip(names, row, strict=True))


class _SqlAlchemyRows:
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        from sqlalchemy import text

        return [dict(row._mapping) for row in self.connection.execute(text(sql), dict(params or {}))]

    def stream(
        self, sql: str, params: Mapping[str, Any] | None = None, chunk: int = STREAM_CHUNK
    ) -> Iterator[dict[str, Any]]:
        """The rows one at a time, read through a server-side cursor ``chunk`` rows at a time."""
        from sqlalchemy import text

        result = self.connection.execution_options(stream_results=True, yield_per=chunk).execute(
            text(sql), dict(params or {})
        )
        for row in result:
            yield dict(row._mapping)
