"""Fixtures shared by the whole suite: isolated settings, fresh databases, the PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from yeelen.settings import Settings, load_settings, reset_settings_cache

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_ADMIN_URL = os.environ.get("YEELEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def require_component(available: bool, what: str, how: str) -> None:
    """Skip outside CI when a component is missing; under CI (CI=true) the test fails instead."""
    if available:
        return
    message = f"{what} is not available: {how}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure means the server is not usable
        return str(error).splitlines()[0]


@pytest.fixture(scope="session")
def postgres_server() -> str:
    problem = _postgres_reachable()
    require_component(problem is None, "PostgreSQL", f"{POSTGRES_ADMIN_URL} ({problem}); .ci/run starts it")
    return POSTGRES_ADMIN_URL


def _create_database(admin_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _drop_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'drop database if exists "{name}" with (force)'))
    engine.dispose()


@pytest.fixture
def postgres_database(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    url = _create_database(postgres_server, "yeelen_test")
    yield url
    _drop_database(postgres_server, url)


@pytest.fixture
def make_postgres_database(postgres_server: str) -> Iterator:
    """A factory of empty PostgreSQL databases, all dropped when the test ends."""
    created: list[str] = []

    def factory(prefix: str = "yeelen_test") -> str:
        url = _create_database(postgres_server, prefix)
        created.append(url)
        return url

    yield factory
    for url in created:
        _drop_database(postgres_server, url)


@pytest.fixture
def yeelen_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every ``YEELEN_*`` default at a fresh folder for one test."""
    for variable in list(os.environ):
        if variable.startswith("YEELEN_") and variable != "YEELEN_TEST_POSTGRES_URL":
            monkeypatch.delenv(variable, raising=False)
    home = tmp_path / "var"
    monkeypatch.setenv("YEELEN_HOME", str(home))
    reset_settings_cache()
    yield home
    reset_settings_cache()


@pytest.fixture
def settings(yeelen_home: Path) -> Settings:
    value = load_settings()
    value.ensure_home()
    return value
