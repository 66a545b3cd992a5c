"""A run killed while it loads the readings leaves nothing behind, and the next run completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingestion import run_ingestion
from tests.ingestion.conftest import Stores, make_stores
from tests.ingestion.operational_data import bulk_readings, source_counts
from yeelen.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BIG = 1_500_000


def raw_counts(stores: Stores) -> dict[str, int]:
    return {table: stores.query(f'select count(*) from raw."{table}"')[0][0] for table in source_counts(stores.source)}


def start_and_kill_while_loading_readings(settings: Settings) -> tuple[str, list[str]]:
    """Start ``python -m ingestion``, SIGKILL it while it loads the readings; return its batch id and output."""
    environment = os.environ | {
        "YEELEN_HOME": str(settings.home),
        "YEELEN_OPERATIONAL_URL": str(settings.operational_url),
        "YEELEN_WAREHOUSE_ENGINE": settings.warehouse_engine,
        "YEELEN_WAREHOUSE_URL": settings.warehouse_url or "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "ingestion"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
            if line.strip() == "loading reading":
                break
        assert lines and lines[-1] == "loading reading", f"no progress: {lines} {process.stderr.read()}"
        # Let it write part of the readings before it dies.
        time.sleep(0.3)
        assert process.poll() is None, f"the run ended before it could be killed: {lines}"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return lines[0].split()[1].rstrip(":"), lines


@pytest.mark.slow
@pytest.mark.parametrize(
    "pair",
    [
        pytest.param(("sqlite", "duckdb"), id="sqlite-duckdb"),
        pytest.param(("postgres", "postgres"), id="postgres-postgres", marks=pytest.mark.postgres),
    ],
)
def test_a_killed_run_leaves_no_half_batch_and_the_next_run_completes_it(
    request: pytest.FixtureRequest, yeelen_home: Path, pair: tuple[str, str]
) -> None:
    stores = make_stores(request, *pair)
    first = run_ingestion(stores.settings)
    before = raw_counts(stores)
    bulk_readings(str(stores.settings.operational_url), BIG, contracts=300, start_id=100_000)

    killed, _ = start_and_kill_while_loading_readings(stores.settings)

    assert raw_counts(stores) == before
    for table in before:
        assert stores.query(f"select count(*) from raw.\"{table}\" where _batch_id = '{killed}'") == [(0,)]
    assert stores.query("select batch_id from raw._ingest_batches") == [(first.batch_id,)]

    report = run_ingestion(stores.settings)

    assert report.rows["reading"] == BIG
    counts = source_counts(stores.source)
    assert raw_counts(stores) == counts
    for table, count in counts.items():
        assert stores.query(f'select count(distinct (id, updated_at)) from raw."{table}"') == [(count,)]
