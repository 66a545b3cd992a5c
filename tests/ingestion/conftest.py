"""Fixtures of the ingestion tests: a filled operational database and a warehouse, for each pair of engines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Engine, create_engine, text

from tests.ingestion.operational_data import Filled, fill_operational
from yeelen.settings import Settings, load_settings

PAIRS = [
    pytest.param(("sqlite", "duckdb"), id="sqlite-duckdb"),
    pytest.param(("postgres", "postgres"), id="postgres-postgres", marks=pytest.mark.postgres),
    pytest.param(("sqlite", "postgres"), id="sqlite-postgres", marks=pytest.mark.postgres),
    pytest.param(("postgres", "duckdb"), id="postgres-duckdb", marks=pytest.mark.postgres),
]


@dataclass
class Stores:
    """An operational database filled with test rows and an empty warehouse, with the settings naming them."""

    settings: Settings
    source: Engine
    newest: dt.datetime

    def query(self, sql: str) -> list[tuple]:
        """Rows of a query on the warehouse (read-only for DuckDB)."""
        return warehouse_query(self.settings, sql)


def warehouse_query(settings: Settings, sql: str) -> list[tuple]:
    """Run one query on the warehouse named by the settings."""
    if settings.warehouse_engine == "duckdb":
        connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()
    engine = create_engine(str(settings.warehouse_url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def make_stores(request: pytest.FixtureRequest, source: str, warehouse: str) -> Stores:
    """Fill an operational database and name an empty warehouse (call after ``yeelen_home``)."""
    overrides: dict = {}
    if "postgres" in (source, warehouse):
        factory = request.getfixturevalue("make_postgres_database")
        if source == "postgres":
            overrides["operational_url"] = factory("yeelen_test_operational")
        if warehouse == "postgres":
            overrides |= {"warehouse_engine": "postgres", "warehouse_url": factory("yeelen_test_warehouse")}
    settings = load_settings(**overrides)
    settings.ensure_home()
    filled: Filled = fill_operational(str(settings.operational_url))
    request.addfinalizer(filled.engine.dispose)
    return Stores(settings, filled.engine, filled.newest)


@pytest.fixture(params=PAIRS)
def stores(request: pytest.FixtureRequest, yeelen_home: Path) -> Stores:
    """A filled operational database and an empty warehouse, for every pair of source and warehouse engines."""
    source, warehouse = request.param
    return make_stores(request, source, warehouse)


@pytest.fixture
def local_stores(request: pytest.FixtureRequest, yeelen_home: Path) -> Stores:
    """The default pair only: a filled SQLite operational database and an empty DuckDB warehouse."""
    return make_stores(request, "sqlite", "duckdb")
