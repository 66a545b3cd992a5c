"""Ingestion end to end, for every pair of source and warehouse engines."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import Boolean, Date, Float, Integer, String, func, select, update

from ingestion import ingestion_status, run_ingestion
from operational_api.db import ExactDecimal, UTCDateTime
from tests.ingestion.conftest import Stores
from tests.ingestion.operational_data import FILLED, INGESTED, T, ingested_columns, source_counts
from yeelen.cli import main

WAREHOUSE_TYPES = {
    "bigint": "BIGINT",
    "integer": "BIGINT",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamp without time zone": "TIMESTAMP",
    "boolean": "BOOLEAN",
    "double": "DOUBLE",
    "double precision": "DOUBLE",
    "varchar": "VARCHAR",
    "character varying": "VARCHAR",
    "numeric": "DECIMAL",
    "decimal": "DECIMAL",
}


def expected_type(column) -> tuple:
    """The warehouse type the issue asks for, read from the model's column type."""
    kind = column.type
    if isinstance(kind, ExactDecimal):
        return ("DECIMAL", kind.precision, kind.scale)
    if isinstance(kind, UTCDateTime):
        return ("TIMESTAMP",)
    if isinstance(kind, Boolean):
        return ("BOOLEAN",)
    if isinstance(kind, Integer):
        return ("BIGINT",)
    if isinstance(kind, Float):
        return ("DOUBLE",)
    if isinstance(kind, Date):
        return ("DATE",)
    if isinstance(kind, String):
        return ("VARCHAR",)
    raise AssertionError(f"no expectation for {column}")


def raw_types(stores: Stores) -> dict[tuple[str, str], tuple]:
    found = {}
    for table, column, data_type, precision, scale in stores.query(
        "select table_name, column_name, data_type, numeric_precision, numeric_scale "
        "from information_schema.columns where table_schema = 'raw'"
    ):
        name = WAREHOUSE_TYPES[data_type.lower().split("(")[0]]
        found[(table, column)] = (name, precision, scale) if name == "DECIMAL" else (name,)
    return found


def as_warehouse(value):
    """A source value as the warehouse returns it: timestamps as naive UTC."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def source_rows(stores: Stores, table: str) -> set[tuple]:
    with stores.source.connect() as connection:
        rows = connection.execute(select(*ingested_columns(table)))
        return {tuple(as_warehouse(value) for value in row) for row in rows}


def raw_rows(stores: Stores, table: str) -> set[tuple]:
    columns = ", ".join(f'"{column.name}"' for column in ingested_columns(table))
    return set(stores.query(f'select {columns} from raw."{table}"'))


def test_every_table_lands_with_its_columns_types_and_values(stores: Stores) -> None:
    report = run_ingestion(stores.settings)

    counts = source_counts(stores.source)
    assert report.rows == counts
    assert all(counts[name] > 0 for name in FILLED), "the test data fills every table it knows"
    types = raw_types(stores)
    for table in INGESTED.values():
        for column in ingested_columns(table.name):
            assert types[(table.name, column.name)] == expected_type(column), f"{table.name}.{column.name}"
        assert types[(table.name, "_batch_id")] == ("VARCHAR",)
        assert types[(table.name, "_loaded_at")] == ("TIMESTAMP",)
        assert raw_rows(stores, table.name) == source_rows(stores, table.name), table.name
        expected_batches = [(report.batch_id,)] if counts[table.name] else []
        assert stores.query(f'select distinct _batch_id from raw."{table.name}"') == expected_batches


def test_decimals_are_exact_and_timestamps_utc(stores: Stores) -> None:
    run_ingestion(stores.settings)

    [(power, total)] = stores.query(
        "select subscribed_power, (select sum(subscribed_power) from raw.contract) from raw.contract where id = 2"
    )
    assert power == decimal.Decimal("12345678.91")
    with stores.source.connect() as connection:
        exact = sum(connection.execute(select(T["contract"].c.subscribed_power)).scalars())
    assert total == exact
    [(updated_at, loaded_at)] = stores.query("select updated_at, _loaded_at from raw.agency where id = 1")
    # The first agency was written at 09:30:15.123456 at UTC+01:00.
    assert updated_at == dt.datetime(2025, 3, 1, 8, 30, 15, 123456)
    assert abs(loaded_at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)
    assert stores.query("select seal_ok from raw.meter_intervention where id in (3, 4) order by id") == [
        (True,),
        (False,),
    ]


def test_running_twice_loads_nothing_twice(stores: Stores) -> None:
    first = run_ingestion(stores.settings)
    second = run_ingestion(stores.settings)

    assert second.batch_id != first.batch_id
    assert second.rows_loaded == 0
    # The lookback window made the second run read rows again; the de-duplication dropped them.
    assert second.rows_read > 0
    for table, count in source_counts(stores.source).items():
        assert stores.query(f'select count(*), count(distinct (id, updated_at)) from raw."{table}"') == [(count, count)]
    assert sorted(stores.query("select batch_id, rows_loaded from raw._ingest_batches")) == sorted(
        [(first.batch_id, first.rows_loaded), (second.batch_id, 0)]
    )


def test_changed_and_new_rows_arrive_as_new_versions(stores: Stores) -> None:
    run_ingestion(stores.settings)
    now = dt.datetime.now(dt.UTC)
    with stores.source.begin() as connection:
        connection.execute(update(T["contract"]).where(T["contract"].c.id == 5).values(status="suspended"))
        connection.execute(
            T["reading"].insert(),
            [
                {
                    "id": 10_000 + i,
                    "contract_id": 5,
                    "meter_id": 5,
                    "reading_date": dt.date(2025, 3, 1),
                    "index_value": 900 + i,
                    "source": "manual",
                }
                for i in range(3)
            ],
        )

    report = run_ingestion(stores.settings)

    assert {table: rows for table, rows in report.rows.items() if rows} == {"contract": 1, "reading": 3}
    versions = stores.query("select status, updated_at, _batch_id from raw.contract where id = 5 order by updated_at")
    assert [status for status, _, _ in versions] == ["active", "suspended"]
    assert versions[1][1] >= now.replace(tzinfo=None) - dt.timedelta(seconds=1)
    assert versions[1][2] == report.batch_id
    assert stores.query(f"select count(*) from raw.reading where _batch_id = '{report.batch_id}'") == [(3,)]
    [(watermark,)] = stores.query("select watermark from raw._ingest_watermarks where table_name = 'contract'")
    assert watermark == versions[1][1]


def test_a_row_committed_late_inside_the_lookback_window_is_picked_up(stores: Stores) -> None:
    settings = stores.settings.model_copy(update={"ingest_lookback_seconds": 120})
    run_ingestion(settings)
    [(watermark,)] = stores.query("select watermark from raw._ingest_watermarks where table_name = 'reading'")
    watermark = watermark.replace(tzinfo=dt.UTC)
    late = {"contract_id": 1, "meter_id": 1, "reading_date": dt.date(2025, 3, 1), "source": "manual"}
    with stores.source.begin() as connection:
        # Committed after the first run, stamped before its watermark: inside the window, and beyond it.
        connection.execute(
            T["reading"].insert(),
            [
                late
                | {
                    "id": 20_001,
                    "index_value": 1,
                    "created_at": watermark,
                    "updated_at": watermark - dt.timedelta(seconds=60),
                },
                late
                | {
                    "id": 20_002,
                    "index_value": 2,
                    "created_at": watermark,
                    "updated_at": watermark - dt.timedelta(seconds=600),
                },
            ],
        )

    report = run_ingestion(settings)

    assert report.rows["reading"] == 1
    assert stores.query("select id from raw.reading where id > 20000") == [(20_001,)]
    assert stores.query("select watermark from raw._ingest_watermarks where table_name = 'reading'") == [
        (watermark.replace(tzinfo=None),)
    ]

    # Older than the window: only a full read finds it, and it doubles nothing.
    assert run_ingestion(settings, full=True).rows_loaded == 1
    assert stores.query("select id from raw.reading where id > 20000 order by id") == [(20_001,), (20_002,)]
    counts = source_counts(stores.source)
    assert stores.query("select count(*), count(distinct (id, updated_at)) from raw.reading") == [
        (counts["reading"], counts["reading"])
    ]


def test_bookkeeping_and_status_describe_each_table(stores: Stores) -> None:
    report = run_ingestion(stores.settings)

    counts = source_counts(stores.source)
    loads = {
        row[0]: row[1:]
        for row in stores.query(
            f"select table_name, rows_read, rows_loaded from raw._ingest_loads where batch_id = '{report.batch_id}'"
        )
    }
    assert loads == {table: (count, count) for table, count in counts.items()}
    statuses = {item.table: item for item in ingestion_status(stores.settings)}
    assert set(statuses) == set(counts)
    with stores.source.connect() as connection:
        for table, count in counts.items():
            newest = connection.execute(select(func.max(T[table].c.updated_at))).scalar_one()
            assert statuses[table].rows == count
            assert statuses[table].watermark == newest.astimezone(dt.UTC).replace(tzinfo=None)
            assert statuses[table].last_batch_id == report.batch_id
            assert statuses[table].last_rows_loaded == count


def test_the_report_times_each_table_and_says_so_as_it_goes(stores: Stores) -> None:
    said: list[str] = []
    report = run_ingestion(stores.settings, progress=said.append)

    reading = next(load for load in report.loads if load.table == "reading")
    assert reading.rows_read > 0 and reading.seconds > 0
    assert sum(load.seconds for load in report.loads) <= report.duration_seconds
    assert report.rows_per_second("reading") == reading.rows_read / reading.seconds
    assert report.rows_per_second("no_such_table") is None
    announced = f"loaded reading: {reading.rows_loaded} new of"
    assert any(line.startswith(announced) and line.endswith(" s") for line in said)


def test_a_column_missing_from_a_raw_table_is_added(local_stores: Stores) -> None:
    import duckdb

    run_ingestion(local_stores.settings)
    connection = duckdb.connect(str(local_stores.settings.warehouse_path))
    connection.execute("alter table raw.meter drop column brand")
    connection.close()
    with local_stores.source.begin() as connection:
        connection.execute(update(T["meter"]).where(T["meter"].c.id == 3).values(brand="Itron"))

    run_ingestion(local_stores.settings)

    assert local_stores.query("select brand from raw.meter where id = 3 order by updated_at") == [(None,), ("Itron",)]


def test_the_command_line_runs_and_shows_the_status(local_stores: Stores, capsys) -> None:
    assert main(["ingest", "status"]) == 0
    assert "No ingestion has run yet" in capsys.readouterr().out

    assert main(["ingest", "run"]) == 0
    output = capsys.readouterr().out
    assert "loading reading" in output
    assert "committed" in output

    assert main(["ingest", "status"]) == 0
    output = capsys.readouterr().out
    reading = next(line for line in output.splitlines() if line.startswith("reading "))
    assert reading.split()[-2:] == ["600", "600"]
    with local_stores.source.connect() as connection:
        newest = connection.execute(select(func.max(T["reading"].c.updated_at))).scalar_one()
    assert f"{newest.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}" in reading
