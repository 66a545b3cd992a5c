"""Corrections never change an issued invoice: a credit note, then an individual bill; termination bills last."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from operational_api.billing import service
from operational_api.billing.exceptions import CorrectionError
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.models import Allocation, Contract, Invoice, InvoiceLine, LedgerEntry, MeterInstallation, Reading
from operational_api.tariffs.service import save_book
from tests.billing.test_issue import _approved_batch, _issue
from yeelen.tariffs.engine import quote
from yeelen.tariffs.loader import bundled_book

TODAY = dt.date(2026, 7, 20)
COMMON = {"due_days": {"default": 15}, "currency": "XOF", "precision": 0}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def factory(request, tmp_path):
    from yeelen.demo import generate

    url = (
        f"sqlite:///{tmp_path / 'operational.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_database")
    )
    generate(url, customers=200, months=2, seed=9, end_month="2026-06", demo_dir=tmp_path / "truth")
    engine = make_engine(url)
    factory = session_factory(engine)
    with unit_of_work(factory) as session:
        save_book(session=session, book=bundled_book())
    yield factory
    engine.dispose()


def test_a_credit_note_cancels_an_invoice_without_changing_it(factory) -> None:
    batch_id = _approved_batch(factory, count=5)
    _issue(factory, batch_id)
    with factory() as session:
        invoice = session.scalars(select(Invoice).where(Invoice.batch_id == batch_id).order_by(Invoice.id)).first()
        before = (invoice.total, invoice.number, invoice.updated_at)
    with unit_of_work(factory) as session:
        credit = service.credit_invoice(
            session=session, invoice_id=invoice.id, actor="clerk", reason="Index mal relevé", issue_date=TODAY
        )
        number = credit.number
    with factory() as session:
        again = session.get(Invoice, invoice.id)
        assert (again.total, again.number, again.updated_at) == before
        credit = session.scalar(select(Invoice).where(Invoice.number == number))
        assert (credit.kind, credit.total, credit.corrects_invoice_id) == ("credit_note", invoice.total, invoice.id)
        assert number == "A2026-0000001"
        lines = session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == credit.id)).all()
        assert sum(line.amount for line in lines) == credit.total
        ledger = session.scalar(
            select(func.sum(LedgerEntry.amount)).where(LedgerEntry.customer_id == invoice.customer_id)
        )
        assert ledger == 0  # the invoice and its credit note cancel out
        allocated = session.scalar(select(func.sum(Allocation.amount)).where(Allocation.invoice_id == invoice.id))
        assert allocated == invoice.total
    with unit_of_work(factory) as session, pytest.raises(CorrectionError, match="already credited in full"):
        service.credit_invoice(session=session, invoice_id=invoice.id, actor="clerk", reason="Encore", issue_date=TODAY)


def test_an_individual_bill_is_priced_by_the_stored_tariffs(factory) -> None:
    with factory() as session:
        contract = session.scalars(select(Contract).where(Contract.category == "DOM").order_by(Contract.id)).first()
    with unit_of_work(factory) as session:
        bill = service.bill_contract(
            session=session,
            contract_id=contract.id,
            consumption=Decimal(320),
            period_start=dt.date(2026, 5, 1),
            period_end=dt.date(2026, 6, 1),
            actor="clerk",
            issue_date=TODAY,
            **COMMON,
        )
        invoice_id = bill.invoice.id
    with factory() as session:
        from operational_api.models import Meter

        invoice = session.get(Invoice, invoice_id)
        meter_type = session.scalar(
            select(Meter.meter_type)
            .join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
            .where(MeterInstallation.contract_id == contract.id)
            .order_by(MeterInstallation.installed_on.desc())
        )
        expected = quote(
            bundled_book(),
            "SENELEC_DPP",
            Decimal(320),
            dt.date(2026, 5, 1),
            dt.date(2026, 6, 1),
            cycle_months=2 if contract.billing_cycle == "bimonthly" else 1,
            meter_type=meter_type,
            subscribed_power=contract.subscribed_power,
        )
        assert (invoice.kind, invoice.batch_id, invoice.grid_code) == ("invoice", None, "SENELEC_DPP")
        assert invoice.total == int(expected.total)
        lines = session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.line_number)
        ).all()
        wanted = [(item.code, int(item.amount)) for item in expected.lines]
        assert [(line.code, line.amount) for line in lines] == wanted
        assert invoice.due_date == TODAY + dt.timedelta(days=15)


def test_termination_reads_the_final_index_and_issues_a_final_bill(factory) -> None:
    with factory() as session:
        contract = session.scalars(
            select(Contract).where(Contract.category == "DOM", Contract.status == "active").order_by(Contract.id)
        ).first()
        last_index, last_date = session.execute(
            select(Reading.index_value, Reading.reading_date)
            .where(Reading.contract_id == contract.id, Reading.index_value.is_not(None), Reading.source != "estimate")
            .order_by(Reading.reading_date.desc())
        ).first()
    with unit_of_work(factory) as session:
        bill = service.terminate_contract(
            session=session,
            contract_id=contract.id,
            final_index=last_index + 75,
            termination_date=last_date + dt.timedelta(days=20),
            actor="clerk",
            issue_date=TODAY,
            **COMMON,
        )
        assert bill.invoice.kind == "final"
        assert bill.invoice.consumption == 75
    with factory() as session:
        terminated = session.get(Contract, contract.id)
        assert terminated.status == "terminated"
        assert terminated.end_date == last_date + dt.timedelta(days=20)
        installation = session.scalar(
            select(MeterInstallation)
            .where(MeterInstallation.contract_id == contract.id)
            .order_by(MeterInstallation.installed_on.desc())
        )
        assert installation.final_index == last_index + 75
    with unit_of_work(factory) as session, pytest.raises(CorrectionError, match="already terminated"):
        service.terminate_contract(
            session=session,
            contract_id=contract.id,
            final_index=last_index + 80,
            termination_date=last_date + dt.timedelta(days=25),
            actor="clerk",
            issue_date=TODAY,
            **COMMON,
        )


def test_a_final_index_below_the_last_reading_is_refused(factory) -> None:
    with factory() as session:
        contract = session.scalars(select(Contract).where(Contract.status == "active").order_by(Contract.id)).first()
        last_index, last_date = session.execute(
            select(Reading.index_value, Reading.reading_date)
            .where(Reading.contract_id == contract.id, Reading.index_value.is_not(None), Reading.source != "estimate")
            .order_by(Reading.reading_date.desc())
        ).first()
    with unit_of_work(factory) as session, pytest.raises(CorrectionError, match="below the last reading"):
        service.terminate_contract(
            session=session,
            contract_id=contract.id,
            final_index=max(last_index - 50, 0),
            termination_date=last_date + dt.timedelta(days=5),
            actor="clerk",
            issue_date=TODAY,
            **COMMON,
        )
