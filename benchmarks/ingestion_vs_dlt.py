"""Ingestion speed of the readings table: Yeelen's loader against dlt's SQL-database source.

Builds a migrated SQLite operational database whose ``reading`` table holds N rows (numpy + ADBC, in the
model's storage format), then loads it into a fresh DuckDB file with

  (a) ``ingestion.run_ingestion`` (ADBC -> Arrow -> DuckDB, one transaction), and
  (b) dlt's ``sql_table`` source with an incremental cursor on ``updated_at`` and the pyarrow backend
      into dlt's DuckDB destination,

each in its own process (so peak memory is the loader's own), then runs each a second time (nothing new to
load). With ``--postgres`` it also times (a) from PostgreSQL to PostgreSQL. Prints rows/s and peak memory and
writes the results as JSON.

    .venv/bin/python benchmarks/ingestion_vs_dlt.py --rows 5000000
    .venv/bin/python benchmarks/ingestion_vs_dlt.py --rows 5000000 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def readings(rows: int, typed: bool):
    """The readings as Arrow: text dates and timestamps as SQLite stores them, or typed for PostgreSQL."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(2025)
    ids = np.arange(1, rows + 1, dtype=np.int64)
    # A year of readings, in the order they were written, a few microseconds apart on average.
    offsets = np.sort(rng.integers(0, 365 * 86_400 * 10**6, rows)).astype("timedelta64[us]")
    moments = pa.array(np.datetime64("2025-01-01T00:00:00", "us") + offsets)
    days = pa.array((np.datetime64("2025-01-01T00:00:00", "us") + offsets).astype("datetime64[D]"))
    missing = rng.random(rows) < 0.02
    columns = {
        "id": ids,
        "contract_id": rng.integers(1, 1_000_000, rows),
        "meter_id": rng.integers(1, 1_000_000, rows),
        "reading_date": days if typed else pc.strftime(days, format="%Y-%m-%d"),
        "index_value": pa.array(rng.integers(0, 10**6, rows), mask=missing),
        "source": pa.array(np.where(missing, "manual", "terminal")),
        "anomaly_code": pa.array(np.where(missing, "NO_ACCESS", None)),
        "created_at": moments if typed else pc.strftime(moments, format="%Y-%m-%d %H:%M:%S"),
        "updated_at": moments if typed else pc.strftime(moments, format="%Y-%m-%d %H:%M:%S"),
    }
    return pa.table(columns)


def build_sqlite(path: Path, rows: int) -> float:
    """A migrated operational SQLite database with ``rows`` readings; returns the seconds it took."""
    import adbc_driver_sqlite.dbapi as sqlite_dbapi

    from operational_api.migrate import upgrade

    started = time.perf_counter()
    upgrade(f"sqlite:///{path}")
    connection = sqlite_dbapi.connect(str(path))
    with connection.cursor() as cursor:
        cursor.adbc_ingest("reading", readings(rows, typed=False), mode="append")
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def build_postgres(url: str, rows: int) -> float:
    """A migrated operational PostgreSQL database with ``rows`` readings; returns the seconds it took."""
    import adbc_driver_postgresql.dbapi as postgres_dbapi
    from sqlalchemy.engine import make_url

    from operational_api.migrate import upgrade

    started = time.perf_counter()
    upgrade(url)
    uri = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = postgres_dbapi.connect(uri)
    with connection.cursor() as cursor:
        # Readings only: the contracts and meters they point at are not part of the measure.
        cursor.execute("SET session_replication_role = replica")
        cursor.adbc_ingest("reading", readings(rows, typed=True), mode="append")
        cursor.execute("ANALYZE reading")
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def peak_memory_mb() -> float:
    """Peak resident memory of this process; ru_maxrss would carry over the parent's peak across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ours(operational_url: str, home: Path, warehouse_url: str | None) -> dict:
    """Two runs of Yeelen's loader; the first loads everything, the second finds nothing new."""
    from ingestion import run_ingestion
    from yeelen.settings import load_settings

    overrides: dict = {"home": home, "operational_url": operational_url}
    if warehouse_url:
        overrides |= {"warehouse_engine": "postgres", "warehouse_url": warehouse_url}
    settings = load_settings(**overrides)
    settings.ensure_home()
    first = run_ingestion(settings)
    second = run_ingestion(settings)
    return {
        "rows": first.rows["reading"],
        "seconds": first.duration_seconds,
        "reading_table_rows_per_second": round(first.rows_per_second("reading") or 0),
        "second_run_rows": second.rows_loaded,
        "second_run_seconds": second.duration_seconds,
        "peak_memory_mb": peak_memory_mb(),
    }


def child_dlt(operational_url: str, home: Path) -> dict:
    """Two runs of dlt's sql_table (pyarrow backend, incremental on updated_at) into DuckDB."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ["DLT_DATA_DIR"] = str(home / "dlt")
    import dlt
    from dlt.sources.sql_database import sql_table

    def once() -> tuple[int, float]:
        started = time.perf_counter()
        source = sql_table(
            credentials=operational_url,
            table="reading",
            backend="pyarrow",
            chunk_size=100_000,
            incremental=dlt.sources.incremental("updated_at"),
            reflection_level="full_with_precision",
        )
        pipeline = dlt.pipeline(
            pipeline_name="bench_readings",
            pipelines_dir=str(home / "dlt" / "pipelines"),
            destination=dlt.destinations.duckdb(str(home / "dlt_warehouse.duckdb")),
            dataset_name="raw",
        )
        pipeline.run(source, write_disposition="append")
        seconds = time.perf_counter() - started
        rows = pipeline.last_trace.last_normalize_info.row_counts.get("reading", 0)
        return rows, seconds

    rows, seconds = once()
    second_rows, second_seconds = once()
    return {
        "rows": rows,
        "seconds": seconds,
        "second_run_rows": second_rows,
        "second_run_seconds": second_seconds,
        "peak_memory_mb": peak_memory_mb(),
    }


def in_child(kind: str, operational_url: str, home: Path, warehouse_url: str | None = None) -> dict:
    """Run one loader in a fresh process and return what it measured."""
    command = [sys.executable, __file__, "--child", kind, "--operational-url", operational_url, "--home", str(home)]
    if warehouse_url:
        command += ["--warehouse-url", warehouse_url]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rows_per_second"] = round(result["rows"] / result["seconds"]) if result["seconds"] else None
    return result


def show(name: str, result: dict) -> None:
    table = result.get("reading_table_rows_per_second")
    print(
        f"{name:<28} {result['rows']:>10,} rows  {result['seconds']:7.2f} s  {result['rows_per_second']:>12,} rows/s  "
        f"peak {result['peak_memory_mb']:7.0f} MB  second run: {result['second_run_rows']} rows "
        f"in {result['second_run_seconds']:.2f} s"
    )
    if table:
        print(f"{'':<28} the reading table itself (read and written, without the run's start): {table:,} rows/s")


def postgres_pair(admin_url: str, rows: int, results: dict) -> None:
    """Time Yeelen's loader from a PostgreSQL operational database to a PostgreSQL warehouse."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"yeelen_bench_{kind}_{uuid.uuid4().hex[:6]}" for kind in ("src", "wh")]
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    source, warehouse = (make_url(admin_url).set(database=name).render_as_string(hide_password=False) for name in names)
    try:
        results["build_postgres_seconds"] = round(build_postgres(source, rows), 1)
        with tempfile.TemporaryDirectory(prefix="yeelen-bench-pg-") as home:
            results["ours_postgres_to_postgres"] = in_child("ours", source, Path(home), warehouse)
        show("ours PostgreSQL->PostgreSQL", results["ours_postgres_to_postgres"])
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--skip-dlt", action="store_true", help="Time only Yeelen's loader")
    parser.add_argument("--postgres", help="Admin URL of a PostgreSQL server, to also time PostgreSQL->PostgreSQL")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "ingestion_vs_dlt.json")
    parser.add_argument("--child", choices=["ours", "dlt"], help=argparse.SUPPRESS)
    parser.add_argument("--operational-url", help=argparse.SUPPRESS)
    parser.add_argument("--warehouse-url", help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.child == "ours":
        print(json.dumps(child_ours(arguments.operational_url, arguments.home, arguments.warehouse_url)))
        return
    if arguments.child == "dlt":
        print(json.dumps(child_dlt(arguments.operational_url, arguments.home)))
        return

    results: dict = {
        "rows": arguments.rows,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
    }
    work = Path(tempfile.mkdtemp(prefix="yeelen-bench-"))
    try:
        database = work / "operational.sqlite"
        results["build_sqlite_seconds"] = round(build_sqlite(database, arguments.rows), 1)
        url = f"sqlite:///{database}"
        results["ours_sqlite_to_duckdb"] = in_child("ours", url, work / "ours")
        show("ours SQLite->DuckDB", results["ours_sqlite_to_duckdb"])
        if not arguments.skip_dlt:
            import dlt

            results["dlt_version"] = dlt.__version__
            results["dlt_sqlite_to_duckdb"] = in_child("dlt", url, work / "dlt")
            show("dlt (pyarrow) SQLite->DuckDB", results["dlt_sqlite_to_duckdb"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if arguments.postgres:
        postgres_pair(arguments.postgres, arguments.rows, results)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Results written to {arguments.output}")


if __name__ == "__main__":
    main()
