"""The load is one transaction: a failure leaves the database as it was; readers see the new utility after it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import yeelen.demo.generator as generator
from operational_api.migrate import upgrade
from tests.demo.conftest import sqlite_schema
from yeelen.demo import generate


def _schema(path: Path) -> list[tuple]:
    return sqlite_schema(path)


def test_a_failure_during_the_load_leaves_the_database_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "operational.sqlite"
    url = f"sqlite:///{path}"
    generate(url, 300, 6, 1, "2025-06", demo_dir=tmp_path / "demo")
    with sqlite3.connect(path) as connection:
        before = connection.execute("select id, name from customer order by id").fetchall()
    original = generator.readings

    def failing(*args: object, **kwargs: object) -> Iterator[dict]:
        for number, month in enumerate(original(*args, **kwargs)):
            if number == 2:
                raise RuntimeError("disk full")
            yield month

    monkeypatch.setattr(generator, "readings", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        generate(url, 400, 6, 2, "2025-06", replace=True, demo_dir=tmp_path / "demo")
    with sqlite3.connect(path) as connection:
        assert connection.execute("select id, name from customer order by id").fetchall() == before
    fresh = tmp_path / "fresh.sqlite"
    upgrade(f"sqlite:///{fresh}")
    assert _schema(path) == _schema(fresh)


def test_open_readers_see_the_replaced_utility(tmp_path: Path) -> None:
    path = tmp_path / "operational.sqlite"
    url = f"sqlite:///{path}"
    generate(url, 300, 6, 1, "2025-06", demo_dir=tmp_path / "demo")
    reader = sqlite3.connect(path)
    try:
        assert reader.execute("select count(*) from customer").fetchone()[0] == 300
        generate(url, 450, 6, 2, "2025-06", replace=True, demo_dir=tmp_path / "demo")
        assert reader.execute("select count(*) from customer").fetchone()[0] == 450
        assert reader.execute("pragma journal_mode").fetchone()[0] == "wal"
    finally:
        reader.close()
