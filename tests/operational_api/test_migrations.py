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
