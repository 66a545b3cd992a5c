"""Stores that cannot be reached or used give a message that says what to fix."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from ingestion import run_ingestion
from operational_api.db import make_engine
from operational_api.migrate import upgrade
from tests.ingestion.conftest import Stores, warehouse_query
from yeelen.cli import main
from yeelen.errors import InputRejectedError, StoreUnavailableError
from yeelen.settings import Settings, load_settings

UNREACHABLE = "postgresql+psycopg://yeelen@127.0.0.1:1/operations"


def test_a_missing_sqlite_file_says_to_run_the_migrations(settings: Settings) -> None:
    with pytest.raises(StoreUnavailableError, match=r"does not exist\. Run `yeelen db upgrade`"):
        run_ingestion(settings)
    assert not Path(str(settings.operational_url).removeprefix("sqlite:///")).exists()


def test_a_database_without_schema_says_to_run_the_migrations(settings: Settings) -> None:
    path = Path(str(settings.operational_url).removeprefix("sqlite:///"))
    sqlite3.connect(path).close()
    with pytest.raises(StoreUnavailableError, match=r"has no schema yet .* Run `yeelen db upgrade`"):
        run_ingestion(settings)


def test_a_database_behind_the_models_names_what_is_missing(settings: Settings) -> None:
    upgrade(str(settings.operational_url))
    engine = make_engine(str(settings.operational_url))
    with engine.begin() as connection:
        connection.execute(text("drop table meter_intervention"))
    engine.dispose()
    with pytest.raises(StoreUnavailableError, match=r"missing: meter_intervention\)\. Run `yeelen db upgrade`"):
        run_ingestion(settings)


def test_an_unreachable_postgres_source_names_the_setting(yeelen_home: Path) -> None:
    settings = load_settings(operational_url=UNREACHABLE)
    with pytest.raises(StoreUnavailableError) as caught:
        run_ingestion(settings)
    message = str(caught.value)
    assert "127.0.0.1:1" in message
    assert "YEELEN_OPERATIONAL_URL" in message


def test_an_unreachable_postgres_warehouse_names_the_setting(local_stores: Stores) -> None:
    settings = load_settings(
        **local_stores.settings.model_dump(exclude={"warehouse_engine", "warehouse_url"}),
        warehouse_engine="postgres",
        warehouse_url="postgresql+psycopg://yeelen:secret@127.0.0.1:1/warehouse",
    )
    with pytest.raises(StoreUnavailableError) as caught:
        run_ingestion(settings)
    message = str(caught.value)
    assert "YEELEN_WAREHOUSE_URL" in message
    assert "secret" not in message


def test_a_warehouse_file_held_by_another_process_says_so(local_stores: Stores) -> None:
    path = local_stores.settings.warehouse_path
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreUnavailableError, match="in use by another process"):
            run_ingestion(local_stores.settings)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert run_ingestion(local_stores.settings).rows_loaded > 0


def test_the_command_line_prints_the_message_without_a_trace(settings: Settings, capsys) -> None:
    assert main(["ingest", "run"]) == 2
    captured = capsys.readouterr()
    assert "Error: The operational database file" in captured.err
    assert "yeelen db upgrade" in captured.err
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("update reading set index_value = 'illegible' where id = 7", r"Table reading .* (wrong type|does not fit)"),
        ("update reading set reading_date = '31/02/2025' where id = 7", r"Table reading .* does not fit"),
    ],
    ids=["text-in-an-integer-column", "unparseable-date"],
)
def test_a_malformed_value_is_rejected_naming_the_table(local_stores: Stores, statement: str, expected: str) -> None:
    with local_stores.source.begin() as connection:
        connection.execute(text(statement))
    with pytest.raises(InputRejectedError, match=expected):
        run_ingestion(local_stores.settings)
    assert not local_stores.settings.warehouse_path.exists() or "raw" not in {
        name
        for (name,) in warehouse_query(local_stores.settings, "select schema_name from information_schema.schemata")
    }
