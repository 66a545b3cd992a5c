from __future__ import annotations

import decimal

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.dialects import mssql
from sqlalchemy.schema import CreateIndex, CreateTable

from operational_api.db import make_engine, session_factory
from operational_api.migrate import alembic_config, current_revision, upgrade
from operational_api.models import Agency, Substation, metadata


def _assert_schema_matches_models(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"


def _assert_round_trip(url: str) -> None:
    engine = make_engine(url)
    factory = session_factory(engine)
    with factory.begin() as session:
        agency = Agency(code="PLT", name="Dakar Plateau", city="Dakar")
        session.add(agency)
        session.add(
            Substation(code="HANN", name="Hann", voltage_kv=decimal.Decimal("90.00"), latitude=14.7, longitude=-17.4)
        )
    with factory() as session:
        substation = session.scalars(select(Substation)).one()
        assert str(substation.voltage_kv) == "90.00"
        assert isinstance(substation.voltage_kv, decimal.Decimal)
        assert substation.created_at.tzinfo is not None
    engine.dispose()


def test_migrations_build_the_whole_schema_on_sqlite(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    assert current_revision(engine) is not None
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    engine.dispose()
    _assert_schema_matches_models(url)
    _assert_round_trip(url)
    upgrade(url)  # a second run is a no-op


@pytest.mark.postgres
def test_migrations_build_the_whole_schema_on_postgres(postgres_database: str) -> None:
    upgrade(postgres_database)
    engine = make_engine(postgres_database)
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    engine.dispose()
    _assert_schema_matches_models(postgres_database)
    _assert_round_trip(postgres_database)


def test_sqlite_keeps_exact_decimals_as_text(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        session.add(Substation(code="X", name="X", voltage_kv=decimal.Decimal("6.60"), latitude=14.7, longitude=-17.4))
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("select voltage_kv, typeof(voltage_kv) from substation").one()
    assert stored == ("6.60", "text")
    engine.dispose()


def test_floats_are_refused_for_exact_decimals(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    with pytest.raises(Exception, match="floats are not accepted"), session_factory(engine).begin() as session:
        session.add(Substation(code="X", name="X", voltage_kv=6.6, latitude=14.7, longitude=-17.4))
    engine.dispose()


def test_the_schema_compiles_for_sql_server() -> None:
    dialect = mssql.dialect()
    for table in metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=dialect))
        assert f"CREATE TABLE {table.name}" in ddl
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))


def test_the_migrations_render_as_sql_server_scripts(capsys) -> None:
    from alembic import command

    command.upgrade(alembic_config("mssql+pyodbc://user:secret@server/yeelen"), "head", sql=True)
    script = capsys.readouterr().out
    for table in metadata.tables:
        assert f"CREATE TABLE {table} (" in script
    assert "NUMERIC(10, 2)" in script  # exact decimals stay exact on SQL Server


def test_campaign_references_continue_after_the_highest_one_of_their_month(tmp_path) -> None:
    import datetime as dt

    from sqlalchemy import text

    from operational_api.concurrency import next_number

    url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    with engine.begin() as connection:
        for reference in ("CP-202611-0003", "CP-202611-0007", "CP-202610-0002", "not-a-campaign-number"):
            connection.execute(
                text(
                    "insert into collection_campaign (reference, name, created_on, status, created_by, created_at,"
                    " updated_at) values (:reference, 'Coupures', '2026-11-02', 'in_progress', 'planner',"
                    " '2026-11-02 08:00:00', '2026-11-02 08:00:00')"
                ),
                {"reference": reference},
            )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        assert next_number(session=session, series="CP-202611") == 8
        assert next_number(session=session, series="CP-202610") == 3
        assert next_number(session=session, series=f"CP-{dt.date(2026, 12, 1):%Y%m}") == 1
    engine.dispose()


def test_statement_files_taken_before_the_upgrade_are_still_recognised(settings, tmp_path) -> None:
    import hashlib
    import json

    from sqlalchemy import text

    from yeelen.intake import take_file
    from yeelen.intake.kinds import inbox_kinds

    url = str(settings.operational_url)
    upgrade(url, "0006")
    content = b"transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status,payer\n"
    engine = make_engine(url)
    with engine.begin() as connection:
        # As the inbox recorded a statement file until now: by its bytes alone.
        connection.execute(
            text(
                "insert into intake_file (kind, file_name, content_hash, size_bytes, status, rows_total, rows_loaded,"
                " rows_quarantined, rows_skipped, received_at, taken_by, details, created_at, updated_at) values"
                " ('mobile_money_statement', 'MTN_MOMO_2026-10-02.csv', :hash, :size, 'loaded', 0, 0, 0, 0,"
                " '2026-10-03 08:00:00', 'intake', :details, '2026-10-03 08:00:00', '2026-10-03 08:00:00')"
            ),
            {
                "hash": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "details": json.dumps({"partner": "MTN_MOMO", "statement_date": "2026-10-02"}),
            },
        )
    engine.dispose()
    upgrade(url)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "MTN_MOMO_2026-10-02.csv").write_bytes(content)
    (folder / "MTN_MOMO_2026-10-03.csv").write_bytes(content)
    kind = inbox_kinds()["mobile_money"]
    same_day = take_file(settings, kind, folder / "MTN_MOMO_2026-10-02.csv", move=False)
    assert same_day.status == "duplicate"
    # The next day's identical file is that day's statement, not a copy of the first (no partner: refused as such).
    next_day = take_file(settings, kind, folder / "MTN_MOMO_2026-10-03.csv", move=False)
    assert next_day.status == "rejected" and "MTN_MOMO" in next_day.reason


def test_round_batches_opened_before_the_upgrade_get_their_round_s_agency(tmp_path) -> None:
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    upgrade(url, "0007")
    engine = make_engine(url)
    stamp = "'2026-10-01 00:00:00'"
    with engine.begin() as connection:
        for code in ("PKN", "GUE"):
            connection.execute(
                text(
                    "insert into agency (code, name, city, created_at, updated_at)"
                    f" values (:c, :c, 'Dakar', {stamp}, {stamp})"
                ),
                {"c": code},
            )
        connection.execute(
            text(
                "insert into reading_round (agency_id, code, name, reading_day, created_at, updated_at)"
                f" values (2, 'GUE-01', 'GUE 01', 12, {stamp}, {stamp})"
            )
        )
        for reference, agency, round_id in (("LOT-1", None, 1), ("LOT-2", None, None), ("LOT-3", 1, None)):
            connection.execute(
                text(
                    "insert into billing_batch (reference, name, billing_month, agency_id, reading_round_id, status,"
                    f" created_by, created_at, updated_at) values (:r, :r, '2026-10-01', :a, :round, 'open', 't',"
                    f" {stamp}, {stamp})"
                ),
                {"r": reference, "a": agency, "round": round_id},
            )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        agencies = connection.execute(text("select reference, agency_id from billing_batch order by reference")).all()
    engine.dispose()
    assert [tuple(row) for row in agencies] == [("LOT-1", 2), ("LOT-2", None), ("LOT-3", 1)]
