"""Same seed, size and end month give byte-identical tables and truth; another seed gives another utility."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from operational_api.migrate import upgrade
from tests.demo.conftest import Demo, make_demo, sqlite_schema
from yeelen.demo import TABLES

CUSTOMERS, MONTHS = 1_000, 12


def _rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"select * from {table} order by id").fetchall()


def _in_another_process(home: Path, seed: int) -> Demo:
    """The same generation through the command line, in a process with another string-hash seed."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("YEELEN_")}
    environment.update({"YEELEN_HOME": str(home), "PYTHONHASHSEED": "12345"})
    arguments = ["--customers", str(CUSTOMERS), "--months", str(MONTHS), "--seed", str(seed), "--end-month", "2025-06"]
    script = "import sys; from yeelen.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", script, "demo", "generate", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    return Demo(path=home / "operational.sqlite", demo_dir=home / "demo")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Demo, Demo, Demo]:
    first = make_demo(tmp_path_factory.mktemp("first"), CUSTOMERS, MONTHS, 5, "2025-06")
    second = _in_another_process(tmp_path_factory.mktemp("second"), 5)
    other = make_demo(tmp_path_factory.mktemp("other"), CUSTOMERS, MONTHS, 6, "2025-06")
    return first, second, other


def test_same_seed_gives_identical_tables(runs: tuple[Demo, Demo, Demo]) -> None:
    first, second, _ = runs
    for table in TABLES:
        rows = _rows(first.path, table)
        assert rows, table
        assert rows == _rows(second.path, table), table


def test_same_seed_gives_identical_truth(runs: tuple[Demo, Demo, Demo]) -> None:
    first, second, _ = runs
    files = sorted(path.name for path in first.demo_dir.glob("*.parquet"))
    assert len(files) == 6
    for name in files:
        assert pq.read_table(first.demo_dir / name).equals(pq.read_table(second.demo_dir / name)), name
    generations = [json.loads((run.demo_dir / "generation.json").read_text()) for run in (first, second)]
    assert generations[0].pop("database") != generations[1].pop("database")
    assert generations[0] == generations[1]


def test_another_seed_gives_another_utility(runs: tuple[Demo, Demo, Demo]) -> None:
    first, _, other = runs
    for table in ("customer", "contract", "reading", "delivery_point"):
        assert _rows(first.path, table) != _rows(other.path, table), table


def test_timestamps_come_from_the_simulated_calendar(runs: tuple[Demo, Demo, Demo]) -> None:
    first, _, _ = runs
    end = first.report.horizon_end.isoformat()
    with sqlite3.connect(first.path) as connection:
        for table in TABLES:
            latest = connection.execute(f"select max(created_at), max(updated_at) from {table}").fetchone()
            # Only the network meters' closing reading falls on the first day after the horizon.
            assert max(latest) < (f"{end} 23:59" if table == "network_reading" else end), table
            assert connection.execute(f"select count(*) from {table} where updated_at < created_at").fetchone()[0] == 0


def test_schema_ends_as_the_migrations_made_it(runs: tuple[Demo, Demo, Demo], tmp_path: Path) -> None:
    first, _, _ = runs
    fresh = tmp_path / "fresh.sqlite"
    upgrade(f"sqlite:///{fresh}")

    assert sqlite_schema(first.path) == sqlite_schema(fresh)
    with sqlite3.connect(first.path) as connection:
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
        assert connection.execute("pragma foreign_key_check").fetchall() == []
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
