"""The demo utility billed end to end: every month issued, each invoice what the real-time engine computes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from sqlalchemy import select

from operational_api.db import make_engine, session_factory
from operational_api.models import Contract, Invoice, InvoiceLine, Meter, MeterInstallation
from yeelen.launcher import DemoOptions, prepare
from yeelen.tariffs.engine import quote
from yeelen.tariffs.loader import bundled_book


@pytest.fixture(scope="module")
def billed(tmp_path_factory):
    import os

    from yeelen.settings import load_settings

    home = tmp_path_factory.mktemp("billed") / "var"
    previous = os.environ.get("YEELEN_HOME")
    os.environ["YEELEN_HOME"] = str(home)
    try:
        settings = load_settings()
        prepare(
            settings,
            DemoOptions(customers=400, months=5, seed=21, end_month="2026-09", serve=False),
            lambda message: None,
        )
        yield settings
    finally:
        if previous is None:
            os.environ.pop("YEELEN_HOME", None)
        else:
            os.environ["YEELEN_HOME"] = previous


def test_every_month_is_issued_and_every_contract_accounted_for(billed) -> None:
    with duckdb.connect(str(billed.published_path), read_only=True) as marts:
        batches = marts.execute(
            "select billing_month, batch_status, contracts, billable + held + not_billed, invoice_count"
            " from marts.rpt_billing_batches order by billing_month"
        ).fetchall()
        months = [row[0] for row in batches]
        assert months == [dt.date(2026, m, 1) for m in range(5, 10)]
        assert all(status == "issued" for _, status, *_ in batches)
        assert all(contracts == decided for _, _, contracts, decided, _ in batches)
        assert sum(row[4] for row in batches) > 1000
        balances = marts.execute("select count(*), sum(balance_minor), sum(paid_minor) from marts.rpt_account_balances")
        customers, balance, paid = balances.fetchone()
        assert customers >= 400 and paid > 0 and balance > 0
        aged = marts.execute("select sum(open_minor) from marts.rpt_aged_balance").fetchone()[0]
        assert aged > 0


def test_issued_invoices_are_what_the_real_time_engine_computes(billed) -> None:
    book = bundled_book()
    eligibility = {grid.code for grid in book.grids if any(version.eligibility for version in grid.versions)}
    engine = make_engine(str(billed.operational_url))
    checked = 0
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Invoice, Contract)
            .join(Contract, Invoice.contract_id == Contract.id)
            .where(Invoice.kind == "invoice", Invoice.grid_code.not_in(eligibility), Invoice.consumption > 0)
            .order_by(Invoice.id)
            .limit(400)
        ).all()
        for invoice, contract in rows:
            meter_type = session.scalar(
                select(Meter.meter_type)
                .join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
                .where(
                    MeterInstallation.contract_id == contract.id, MeterInstallation.installed_on < invoice.period_end
                )
                .order_by(MeterInstallation.installed_on.desc())
                .limit(1)
            )
            expected = quote(
                book,
                invoice.grid_code,
                invoice.consumption,
                invoice.period_start,
                invoice.period_end,
                cycle_months=2 if contract.billing_cycle == "bimonthly" else 1,
                meter_type=meter_type,
                subscribed_power=contract.subscribed_power,
            )
            assert invoice.total == int(expected.total), invoice.number
            lines = session.scalars(
                select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.line_number)
            ).all()
            assert [(line.code, line.amount) for line in lines] == [
                (line.code, int(line.amount)) for line in expected.lines
            ]
            checked += 1
    engine.dispose()
    assert checked >= 200


def test_bills_look_like_real_ones(billed) -> None:
    engine = make_engine(str(billed.operational_url))
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Invoice.total, Invoice.consumption, Invoice.period_start, Invoice.period_end)
            .join(Contract, Invoice.contract_id == Contract.id)
            .where(Contract.category == "DOM", Invoice.consumption > 50, Invoice.kind == "invoice")
        ).all()
    engine.dispose()
    assert len(rows) > 50
    for total, consumption, start, end in rows:
        # A Senelec domestic bill costs between the first block's price and the top block's price plus taxes
        # and the fee, per kWh: roughly 82 to 200 F/kWh.
        assert Decimal(82) <= total / consumption <= Decimal(200), (total, consumption, start, end)
