"""The mass billing in dbt and the real-time engine in Python price the same cases to the franc.

Random grids (every pricing rule, rounding rule, tax base, fixed and demand charge, versions changing inside
periods, both period scalings) are stored through the operational service, ingested, and priced by dbt's
pricing macro; the same cases are quoted in Python; every line and every total must be equal.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from ingestion import run_ingestion
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.migrate import upgrade
from operational_api.tariffs.service import save_book
from tests.billing.random_grids import random_book, random_cases
from yeelen.settings import load_settings
from yeelen.tariffs.arithmetic import to_milli
from yeelen.tariffs.engine import quote
from yeelen.transform import run_dbt

CASES = 10_000


def _python_lines(book, cases) -> dict[int, dict[tuple, tuple]]:
    result = {}
    for case in cases:
        bill = quote(
            book,
            case.grid,
            case.consumption,
            case.start,
            case.end,
            cycle_months=case.cycle_months,
            meter_type=case.meter_type,
            subscribed_power=case.subscribed_power,
        )
        factor = Decimal(10) ** book.precision
        result[case.key] = {
            (line.kind, line.code, line.part_start): (line.quantity, int(line.amount * factor)) for line in bill.lines
        }
    return result


@pytest.mark.slow
@pytest.mark.parametrize(("currency", "precision", "seed"), [("XOF", 0, 11), ("GMD", 2, 12)])
def test_dbt_and_python_agree_to_the_franc(yeelen_home, monkeypatch, currency, precision, seed) -> None:
    monkeypatch.setenv("YEELEN_CURRENCY", currency)
    settings = load_settings()
    settings.ensure_home()
    book = random_book(seed, grids=60, currency=currency, precision=precision)
    cases = random_cases(seed, book, CASES)

    upgrade(str(settings.operational_url))
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        save_book(session=session, book=book)
    engine.dispose()
    run_ingestion(settings)
    assert run_dbt(
        settings,
        [
            "run",
            "--select",
            "+int_tariff_versions_prepared",
            "+int_tariff_blocks_bounded",
            "+int_tariff_charges_prepared",
            "+int_tariff_taxes_prepared",
        ],
    ).success

    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute(
            "create table main.cases (bill_key bigint, grid_code varchar, consumption_milli bigint, period_start date,"
            " period_end date, cycle_months integer, meter_type varchar, subscribed_power decimal(10, 2))"
        )
        connection.executemany(
            "insert into main.cases values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.key,
                    c.grid,
                    to_milli(c.consumption),
                    c.start,
                    c.end,
                    c.cycle_months,
                    c.meter_type,
                    c.subscribed_power,
                )
                for c in cases
            ],
        )
    outcome = run_dbt(
        settings,
        ["run-operation", "reprice_periods", "--args", "{periods_relation: main.cases, target_relation: main.priced}"],
    )
    assert outcome.success

    with duckdb.connect(str(settings.warehouse_path)) as connection:
        rows = connection.execute(
            "select bill_key, line_kind, line_code, part_start, quantity, amount_minor from main.priced"
        ).fetchall()
    sql: dict[int, dict[tuple, tuple]] = {case.key: {} for case in cases}
    for key, kind, code, part_start, quantity, amount in rows:
        sql[key][(kind, code, part_start)] = (None if quantity is None else Decimal(quantity), int(amount))

    expected = _python_lines(book, cases)
    mismatches = [key for key in expected if expected[key] != sql[key]]
    assert not mismatches, (
        f"{len(mismatches)} of {CASES} cases differ; first: {cases[mismatches[0] - 1]}\n"
        f"python {expected[mismatches[0]]}\nsql    {sql[mismatches[0]]}"
    )
    totals_python = {key: sum(amount for _, amount in lines.values()) for key, lines in expected.items()}
    totals_sql = {key: sum(amount for _, amount in lines.values()) for key, lines in sql.items()}
    assert totals_python == totals_sql
    assert sum(len(lines) for lines in expected.values()) > 3 * CASES  # the cases exercise many lines
