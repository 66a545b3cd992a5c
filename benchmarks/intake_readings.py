"""A handheld terminals' reading file of a million rows, taken through the inbox: validated, loaded, quarantined.

The script builds a scratch operational database with as many contracts, meters and installations as the file has
rows (bulk loaded, not timed), writes a CSV file of readings in which about one row in a hundred is wrong in one of
the ways terminals get it wrong (unknown contract, index that is not a number, more digits than the meter, the same
meter twice, nothing read), then times ``take_file`` in a child process: the file hashed and parsed, every row
checked against the database, the good rows inserted, the bad rows quarantined with their reasons, in one
transaction. It prints the figures and writes ``benchmarks/results/intake_readings.json``.

    .venv/bin/python benchmarks/intake_readings.py                     # 1 000 000 rows, SQLite
    .venv/bin/python benchmarks/intake_readings.py --rows 200000 --engine postgres

PostgreSQL is reached through ``YEELEN_TEST_POSTGRES_URL`` (default: postgres@127.0.0.1:5432, trust auth); a
database named ``yeelen_bench_*`` is created and dropped. Target: under 30 s and 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("YEELEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RESULTS = ROOT / "benchmarks" / "results"
DAY = np.datetime64("2024-01-01")


def _text_dates(days: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(days.astype("datetime64[D]")), pa.string())


def seed(url: str, count: int) -> None:
    """Contracts, meters and installations (one of each per row of the file), bulk loaded through ADBC."""
    from sqlalchemy.engine import make_url

    from operational_api.migrate import upgrade

    upgrade(url)
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    ids = np.arange(1, count + 1, dtype=np.int64)
    now = np.datetime64("2026-01-01T00:00:00", "us")
    moment = pc.cast(pa.array(np.full(count, now)), pa.string()) if sqlite else pa.array(np.full(count, now))
    one_moment = moment.slice(0, 1)

    def dates(days: np.ndarray) -> pa.Array:
        return _text_dates(days) if sqlite else pa.array(days.astype("datetime64[D]"))

    start = dates(np.full(count, DAY))
    tables = {
        "agency": pa.table({"id": [1], "code": ["PKN"], "name": ["Pikine"], "city": ["Pikine"]}),
        "reading_round": pa.table(
            {"id": [1], "agency_id": [1], "code": ["PKN-E01"], "name": ["Tournée"], "reading_day": [12]}
        ),
        "customer": pa.table(
            {
                "id": ids,
                "reference": pc.binary_join_element_wise("C", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), ""),
                "kind": pa.array(["person"] * count),
                "name": pa.array(["Client"] * count),
                "agency_id": pa.array(np.ones(count, dtype=np.int64)),
                "language": pa.array(["fr"] * count),
            }
        ),
        "delivery_point": pa.table(
            {
                "id": ids,
                "reference": pc.binary_join_element_wise("P", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), ""),
                "agency_id": pa.array(np.ones(count, dtype=np.int64)),
                "commodity": pa.array(["electricity"] * count),
                "address": pa.array(["Pikine"] * count),
                "latitude": pa.array(np.full(count, 14.75)),
                "longitude": pa.array(np.full(count, -17.38)),
            }
        ),
        "contract": pa.table(
            {
                "id": ids,
                "reference": pc.binary_join_element_wise("A", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), ""),
                "customer_id": ids,
                "delivery_point_id": ids,
                "commodity": pa.array(["electricity"] * count),
                "category": pa.array(["DOM"] * count),
                "subscribed_power": pa.array(["6"] * count) if sqlite else pa.array(np.full(count, 6.0)),
                "power_unit": pa.array(["kVA"] * count),
                "billing_cycle": pa.array(["monthly"] * count),
                "payment_mode": pa.array(["postpaid"] * count),
                "reading_round_id": pa.array(np.ones(count, dtype=np.int64)),
                "status": pa.array(["active"] * count),
                "start_date": start,
            }
        ),
        "meter": pa.table(
            {
                "id": ids,
                "serial": pc.binary_join_element_wise("M", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), ""),
                "commodity": pa.array(["electricity"] * count),
                "meter_type": pa.array(["single_phase"] * count),
                "digits": pa.array(np.full(count, 6, dtype=np.int64)),
                "multiplier": pa.array(np.ones(count, dtype=np.int64)),
            }
        ),
        "meter_installation": pa.table(
            {
                "id": ids,
                "meter_id": ids,
                "contract_id": ids,
                "installed_on": start,
                "initial_index": pa.array(np.zeros(count, dtype=np.int64)),
                "reason": pa.array(["new_connection"] * count),
            }
        ),
    }
    if sqlite:
        import adbc_driver_sqlite.dbapi as dbapi

        connection = dbapi.connect(os.fspath(parsed.database))
    else:
        import adbc_driver_postgresql.dbapi as dbapi

        connection = dbapi.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        with connection.cursor() as cursor:
            for name, table in tables.items():
                stamp = one_moment if table.num_rows == 1 else moment
                table = table.append_column("created_at", stamp).append_column("updated_at", stamp)
                if not sqlite and "subscribed_power" in table.column_names:
                    index = table.column_names.index("subscribed_power")
                    table = table.set_column(
                        index, "subscribed_power", pc.cast(table["subscribed_power"], pa.decimal128(10, 2))
                    )
                if not sqlite:
                    # Binary COPY wants each integer as wide as its column.
                    for column, width in (
                        ("digits", pa.int16()),
                        ("multiplier", pa.int32()),
                        ("reading_day", pa.int16()),
                    ):
                        if column in table.column_names:
                            index = table.column_names.index(column)
                            table = table.set_column(index, column, pc.cast(table[column], width))
                cursor.adbc_ingest(name, table, mode="append")
            if not sqlite:
                for name in tables:
                    cursor.execute(
                        f"select setval(pg_get_serial_sequence('{name}', 'id'), (select max(id) from {name}))"
                    )
        connection.commit()
    finally:
        connection.close()


def write_file(path: Path, count: int, seed_value: int = 7) -> dict[str, int]:
    """The terminals' answer: one reading per meter, about one row in a hundred wrong."""
    rng = np.random.default_rng(seed_value)
    ids = np.arange(1, count + 1, dtype=np.int64)
    contract = pc.binary_join_element_wise("A", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), "").to_numpy(
        zero_copy_only=False
    )
    meter = pc.binary_join_element_wise("M", pc.utf8_lpad(pc.cast(ids, pa.string()), 9, "0"), "").to_numpy(
        zero_copy_only=False
    )
    index = rng.integers(0, 999_999, count).astype(str).astype(object)
    anomaly = np.full(count, "", dtype=object)
    kind = rng.random(count)
    faults = {
        "unknown_contract": (kind < 0.003),
        "not_a_number": (kind >= 0.003) & (kind < 0.006),
        "too_many_digits": (kind >= 0.006) & (kind < 0.008),
        "nothing_read": (kind >= 0.008) & (kind < 0.01),
    }
    contract[faults["unknown_contract"]] = "A999999999"
    index[faults["not_a_number"]] = "12O4"
    index[faults["too_many_digits"]] = "1234567"
    index[faults["nothing_read"]] = ""
    # A few meters read twice in the file.
    twice = rng.choice(count, size=max(1, count // 1000), replace=False)
    table = pa.table(
        {
            "contract_reference": pa.array(np.concatenate([contract, contract[twice]])),
            "meter_serial": pa.array(np.concatenate([meter, meter[twice]])),
            "reading_date": pa.array(np.full(count + twice.size, "2026-10-12", dtype=object)),
            "index_value": pa.array(np.concatenate([index, index[twice]])),
            "anomaly_code": pa.array(np.concatenate([anomaly, anomaly[twice]])),
        }
    )
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="none"))
    figures = {name: int(mask.sum()) for name, mask in faults.items()}
    figures["read_twice"] = int(twice.size)
    figures["rows"] = int(table.num_rows)
    return figures


def _take(url: str, home: str, path: str, queue: multiprocessing.Queue) -> None:
    """Take the file in a process of its own, so that its time and memory are the intake's alone."""
    os.environ["YEELEN_HOME"] = home
    from yeelen.intake import take_file
    from yeelen.intake.kinds import inbox_kinds
    from yeelen.settings import load_settings

    settings = load_settings(operational_url=url)
    started = time.perf_counter()
    report = take_file(settings, inbox_kinds()["readings"], Path(path))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put(
        {
            "seconds": round(seconds, 2),
            "peak_rss_bytes": peak,
            "status": report.status,
            "rows": report.rows_total,
            "loaded": report.loaded,
            "quarantined": report.quarantined,
            "skipped": report.skipped,
        }
    )


def _count(url: str, sql: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar())
    finally:
        engine.dispose()


def run(rows: int, engine: str, workdir: Path) -> dict:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    database = None
    if engine == "postgres":
        database = f"yeelen_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'create database "{database}"'))
        admin.dispose()
        url = make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{workdir / 'operational.sqlite'}"
    try:
        clock = time.perf_counter()
        seed(url, rows)
        seeding = time.perf_counter() - clock
        inbox = workdir / "inbox" / "readings"
        inbox.mkdir(parents=True, exist_ok=True)
        path = inbox / "PKN-E01_2026-10.csv"
        faults = write_file(path, rows)
        size = path.stat().st_size
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
        child = multiprocessing.get_context("spawn").Process(
            target=_take, args=(url, str(workdir / "var"), str(path), queue)
        )
        child.start()
        outcome = queue.get()
        child.join()
        expected_bad = faults["unknown_contract"] + faults["not_a_number"] + faults["too_many_digits"]
        expected_bad += faults["nothing_read"] + faults["read_twice"]
        readings = _count(url, "select count(*) from reading")
        quarantined = _count(url, "select count(*) from intake_quarantine")
        return {
            "engine": engine,
            "rows": faults["rows"],
            "file_bytes": size,
            "faults": faults,
            "seed_seconds": round(seeding, 1),
            **outcome,
            "rows_per_second": round(faults["rows"] / outcome["seconds"]),
            "peak_rss_mib": round(outcome["peak_rss_bytes"] / 2**20),
            "checked": {
                "readings_in_database": readings,
                "quarantine_rows_in_database": quarantined,
                "nothing_lost": readings + quarantined == faults["rows"],
                "bad_rows_at_most_expected": quarantined <= expected_bad,
            },
        }
    finally:
        if database:
            admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'drop database if exists "{database}" with (force)'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--output", type=Path, default=RESULTS / "intake_readings.json")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yeelen_intake_bench_") as folder:
        result = run(arguments.rows, arguments.engine, Path(folder))
    report = {
        "benchmark": "intake_readings",
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "target": {"seconds": 30, "peak_rss_mib": 4096},
        "result": result,
    }
    text = json.dumps(report, indent=2)
    print(text)
    print(
        f"\n{result['rows']:,} rows taken in {result['seconds']} s ({result['rows_per_second']:,} rows/s), "
        f"peak {result['peak_rss_mib']} MiB: {result['loaded']:,} loaded, {result['quarantined']:,} quarantined"
    )
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
