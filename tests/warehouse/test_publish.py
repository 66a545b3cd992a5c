"""Publishing the marts: the atomic swap that lets the apps read while the pipeline writes."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.apps import marts_fixture
from yeelen.cli import main
from yeelen.errors import EmptyWarehouseError
from yeelen.settings import Settings, load_settings
from yeelen.warehouse import publish as publish_module
from yeelen.warehouse.publish import publish_marts


def source_marts(settings: Settings) -> dict[str, int]:
    """The mart tables of the warehouse and their row counts, as the pipeline left them."""
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by table_name"
            ).fetchall()
        ]
        return {name: connection.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}


def open_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """A reader as the apps open one: a fresh database with the published file attached read-only."""
    connection = duckdb.connect(":memory:")
    connection.execute(f"attach '{path}' as published (read_only)")
    connection.execute("use published")
    return connection


def agency_count(connection: duckdb.DuckDBPyConnection) -> int:
    return connection.execute("select count(*) from marts.dim_agencies").fetchone()[0]


def add_agency(settings: Settings) -> None:
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute("insert into marts.dim_agencies values (4, 'KLK', 'Kaolack', 'Kaolack')")


def leftovers(settings: Settings) -> list[Path]:
    return sorted(Path(settings.published_path).parent.glob(".*.tmp*"))


def test_publish_copies_every_mart_table_and_nothing_else(fixture_warehouse: Settings) -> None:
    expected = source_marts(fixture_warehouse)
    report = publish_marts(fixture_warehouse)

    assert report.published and report.engine == "duckdb"
    assert report.path == Path(fixture_warehouse.published_path)
    assert len(expected) > 5 and dict(report.tables) == expected
    assert report.tables["dim_transformers"] == len(marts_fixture.TRANSFORMERS)
    assert report.rows == sum(expected.values()) > 0
    with duckdb.connect(str(report.path), read_only=True) as connection:
        schemas = {row[0] for row in connection.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        types = dict(
            connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = 'rpt_consumption_by_agency_month'"
            ).fetchall()
        )
    assert schemas == {"marts"}, "staging tables must not be published"
    assert types["consumption"] == "DECIMAL(18,3)" and types["month"] == "DATE", "column types are kept"
    assert leftovers(fixture_warehouse) == []


def test_a_reader_keeps_the_copy_it_has_open_and_a_new_reader_sees_the_new_one(fixture_warehouse: Settings) -> None:
    publish_marts(fixture_warehouse)
    published = Path(fixture_warehouse.published_path)
    before = published.stat()
    old_reader = open_reader(published)
    assert agency_count(old_reader) == 3

    add_agency(fixture_warehouse)
    publish_marts(fixture_warehouse)

    after = published.stat()
    assert (after.st_ino, after.st_mtime_ns) != (before.st_ino, before.st_mtime_ns), "readers detect the new copy"
    assert agency_count(old_reader) == 3, "the open reader keeps working on the copy it opened"
    new_reader = open_reader(published)
    assert agency_count(new_reader) == 4
    old_reader.close()
    new_reader.close()


def test_a_failed_publish_leaves_the_previous_copy_intact(
    fixture_warehouse: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_marts(fixture_warehouse)
    published = Path(fixture_warehouse.published_path)
    content = published.read_bytes()
    add_agency(fixture_warehouse)

    def disk_full(_path: Path) -> None:
        raise OSError(28, "No space left on device")

    # The copy is complete but cannot be made durable: it must not replace the published file.
    monkeypatch.setattr(publish_module, "_fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        publish_marts(fixture_warehouse)

    assert published.read_bytes() == content
    with open_reader(published) as reader:
        assert agency_count(reader) == 3
    assert leftovers(fixture_warehouse) == []


def test_a_warehouse_without_marts_is_not_published(fixture_warehouse: Settings) -> None:
    publish_marts(fixture_warehouse)
    published = Path(fixture_warehouse.published_path)
    content = published.read_bytes()
    with duckdb.connect(str(fixture_warehouse.warehouse_path)) as connection:
        connection.execute("drop schema marts cascade")

    with pytest.raises(EmptyWarehouseError, match="no table in schema 'marts'"):
        publish_marts(fixture_warehouse)

    assert published.read_bytes() == content
    assert leftovers(fixture_warehouse) == []


def test_no_warehouse_file_is_an_error_that_says_what_to_run(settings: Settings) -> None:
    with pytest.raises(EmptyWarehouseError, match="yeelen pipeline run"):
        publish_marts(settings)
    assert not Path(settings.published_path).exists()


def test_stale_temporary_files_are_removed(fixture_warehouse: Settings) -> None:
    published = Path(fixture_warehouse.published_path)
    stale = published.with_name(f".{published.name}.999.deadbeef.tmp")
    recent = published.with_name(f".{published.name}.998.cafebabe.tmp")
    stale.write_bytes(b"half a file")
    recent.write_bytes(b"another publish at work")
    old = stale.stat().st_mtime - 2 * publish_module.STALE_TEMPORARY_SECONDS
    os.utime(stale, (old, old))

    publish_marts(fixture_warehouse)

    assert not stale.exists()
    assert recent.exists(), "a concurrent publish's file is left alone"


def test_a_postgresql_warehouse_has_nothing_to_publish(yeelen_home: Path) -> None:
    settings = load_settings(warehouse_engine="postgres", warehouse_url="postgresql+psycopg://u@127.0.0.1/w")

    report = publish_marts(settings)

    assert not report.published and report.engine == "postgres"
    assert report.reason == "the apps read the postgres warehouse directly"
    assert not Path(settings.published_path).exists()


def test_command_line_publish(fixture_warehouse: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    tables = len(source_marts(fixture_warehouse))
    assert main(["warehouse", "publish"]) == 0

    output = capsys.readouterr().out
    assert f"Published {tables} tables" in output
    assert "marts.dim_transformers" in output
    assert Path(fixture_warehouse.published_path).exists()


def test_command_line_publish_without_warehouse(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["warehouse", "publish"]) == 2

    assert "yeelen pipeline run" in capsys.readouterr().err
