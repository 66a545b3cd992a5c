"""The dbt project builds on DuckDB and PostgreSQL with the same results, and compiles for SQL Server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import create_engine, text

from ingestion import run_ingestion
from operational_api.billing.models import BillingBatch
from operational_api.db import make_engine, session_factory, unit_of_work
from yeelen.demo import generate
from yeelen.launcher import load_tariffs
from yeelen.settings import load_settings
from yeelen.transform import run_dbt

SUMMARY = {
    "consumption": "select commodity, sum(consumption), sum(contracts) from marts.rpt_consumption_by_agency_month"
    " group by commodity order by commodity",
    "bills": "select bill_status, reason_code, count(*), sum(total_minor) from marts.fct_draft_bills"
    " group by bill_status, reason_code order by bill_status, reason_code",
    "network": "select count(*), sum(active_contracts) from marts.dim_transformers",
    "losses": "select balance_level, count(*), sum(delivered), sum(active_contracts) from marts.fct_energy_balance"
    " group by balance_level order by balance_level",
    "suspects": "select count(*), sum(rules_fired), sum(case when is_suspect then 1 else 0 end)"
    " from marts.fct_suspect_contracts",
}


def _prepare(settings, tmp_path: Path) -> None:
    generate(
        str(settings.operational_url), customers=400, months=6, seed=4, end_month="2026-08", demo_dir=tmp_path / "truth"
    )
    load_tariffs(settings, lambda message: None)
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        session.add(
            BillingBatch(
                reference="LOT-2026-08",
                name="Août 2026",
                billing_month=dt.date(2026, 8, 1),
                status="open",
                created_by="test",
            )
        )
    engine.dispose()
    run_ingestion(settings, full=True)


def _build(settings, tmp_path: Path, target: str) -> None:
    outcome = run_dbt(settings, ["build", "--target", target], target_path=tmp_path / f"target-{target}")
    assert outcome.success, outcome.failures


def _normalise(rows) -> list[tuple]:
    return [
        tuple(None if value is None else str(int(value)) if not isinstance(value, str) else value for value in row)
        for row in rows
    ]


@pytest.mark.slow
@pytest.mark.postgres
def test_duckdb_and_postgres_build_the_same_marts(yeelen_home, tmp_path, monkeypatch, make_postgres_database) -> None:
    local = load_settings()
    local.ensure_home()
    _prepare(local, tmp_path / "local")
    _build(local, tmp_path, "duckdb")
    # dbt ran in this process and keeps the file open read-write: open it the same way.
    with duckdb.connect(str(local.warehouse_path)) as connection:
        expected = {name: _normalise(connection.execute(sql).fetchall()) for name, sql in SUMMARY.items()}

    monkeypatch.setenv("YEELEN_OPERATIONAL_URL", make_postgres_database("yeelen_op"))
    monkeypatch.setenv("YEELEN_WAREHOUSE_ENGINE", "postgres")
    warehouse_url = make_postgres_database("yeelen_wh")
    monkeypatch.setenv("YEELEN_WAREHOUSE_URL", warehouse_url)
    server = load_settings()
    _prepare(server, tmp_path / "server")
    _build(server, tmp_path, "postgres")
    engine = create_engine(warehouse_url)
    with engine.connect() as connection:
        actual = {name: _normalise(connection.execute(text(sql)).fetchall()) for name, sql in SUMMARY.items()}
    engine.dispose()
    assert expected["bills"], "the batch was simulated"
    assert actual == expected


def test_the_project_compiles_for_sql_server(settings, tmp_path) -> None:
    outcome = run_dbt(
        settings,
        ["compile", "--target", "sqlserver", "--no-populate-cache", "--vars", "{offline_compile: true}"],
        target_path=tmp_path / "target-sqlserver",
    )
    assert outcome.success, outcome.failures
    marts = tmp_path / "target-sqlserver" / "compiled" / "yeelen" / "models" / "marts"
    lines = (marts / "billing" / "fct_draft_bill_lines.sql").read_text(encoding="utf-8")
    assert "//" not in lines  # integer division is dispatched, never DuckDB's operator
    batches = (marts / "billing" / "rpt_billing_batches.sql").read_text(encoding="utf-8")
    assert "is_estimated = 1" in batches  # flags compared as bits
