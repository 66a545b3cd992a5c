"""Issue: approved drafts become numbered invoices in one transaction, once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from operational_api.billing import service
from operational_api.billing.exceptions import BatchStateError, SimulationChangedError
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.models import (
    BillingBatch,
    BillingBatchEvent,
    Contract,
    DocumentSequence,
    DraftBill,
    DraftBillLine,
    Invoice,
    InvoiceLine,
    LedgerEntry,
)
from yeelen.demo import generate

ISSUE_DATE = dt.date(2026, 7, 3)
DUE_DAYS = {"default": 15, "ADM": 45}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def factory(request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'operational.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_database")
    )
    generate(url, customers=200, months=2, seed=9, end_month="2026-06", demo_dir=tmp_path / "truth")
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def _drafts(session, count: int) -> tuple[list[dict], list[dict]]:
    contracts = session.execute(
        select(Contract.id, Contract.customer_id, Contract.category, Contract.reading_round_id)
        .order_by(Contract.id)
        .limit(count)
    ).all()
    bills, lines = [], []
    for index, (contract_id, customer_id, category, round_id) in enumerate(contracts):
        energy, fee = 1000 + index, 429
        bills.append(
            {
                "contract_id": contract_id,
                "customer_id": customer_id,
                "agency_id": 1,
                "reading_round_id": round_id,
                "category": category,
                "billing_month": dt.date(2026, 6, 1),
                "period_start": dt.date(2026, 5, 10),
                "period_end": dt.date(2026, 6, 10),
                "consumption": Decimal("123.000"),
                "unit": "kWh",
                "is_estimated": False,
                "grid_code": "SENELEC_DPP",
                "total": energy + fee,
            }
        )
        lines += [
            {
                "contract_id": contract_id,
                "line_number": 1,
                "kind": "energy",
                "code": "T1",
                "label": "Tranche 1",
                "quantity": Decimal("123.000"),
                "unit_price": Decimal("82"),
                "base": None,
                "amount": energy,
                "part_start": dt.date(2026, 5, 10),
                "part_end": dt.date(2026, 6, 10),
            },
            {
                "contract_id": contract_id,
                "line_number": 2,
                "kind": "fixed",
                "code": "REDEVANCE",
                "label": "Redevance",
                "quantity": Decimal("1.000"),
                "unit_price": Decimal("429"),
                "base": None,
                "amount": fee,
                "part_start": dt.date(2026, 5, 10),
                "part_end": dt.date(2026, 6, 10),
            },
        ]
    return bills, lines


def _approved_batch(factory, count: int = 40) -> int:
    with unit_of_work(factory) as session:
        batch = service.create_batch(session=session, billing_month=dt.date(2026, 6, 1), actor="clerk")
        bills, lines = _drafts(session, count)
        service.store_simulation(session=session, batch_id=batch.id, bills=bills, lines=lines, actor="pipeline")
        service.approve_batch(session=session, batch_id=batch.id, actor="chief")
        return batch.id


def _issue(factory, batch_id: int, **kwargs):
    with unit_of_work(factory) as session:
        return service.issue_batch(
            session=session,
            batch_id=batch_id,
            actor="chief",
            issue_date=ISSUE_DATE,
            due_days=DUE_DAYS,
            currency="XOF",
            **kwargs,
        )


def _count(factory, model, *where) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_issue_numbers_invoices_without_gaps_and_posts_the_ledger(factory) -> None:
    batch_id = _approved_batch(factory)
    report = _issue(factory, batch_id)
    assert (report.invoices, report.first_number, report.last_number) == (40, "F2026-0000001", "F2026-0000040")
    with factory() as session:
        invoices = session.scalars(
            select(Invoice).where(Invoice.batch_id == batch_id).order_by(Invoice.sequence_number)
        ).all()
        assert [invoice.sequence_number for invoice in invoices] == list(range(1, 41))
        assert all(invoice.issue_date == ISSUE_DATE for invoice in invoices)
        for invoice in invoices:
            days = 45 if invoice.consumption and session.get(Contract, invoice.contract_id).category == "ADM" else 15
            assert invoice.due_date == ISSUE_DATE + dt.timedelta(days=days)
            lines = session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).all()
            assert sum(line.amount for line in lines) == invoice.total
        ledger = session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.kind == "invoice"))
        assert ledger == sum(invoice.total for invoice in invoices) == report.amount
        batch = session.get(BillingBatch, batch_id)
        assert batch.status == "issued"
        assert session.scalar(select(func.count()).select_from(DraftBill)) == 0


def test_issuing_again_writes_nothing(factory) -> None:
    batch_id = _approved_batch(factory)
    _issue(factory, batch_id)
    again = _issue(factory, batch_id)
    assert again.already_issued
    assert _count(factory, Invoice) == 40
    assert _count(factory, LedgerEntry) == 40
    assert _count(factory, BillingBatchEvent, BillingBatchEvent.status_to == "issued") == 1


def test_a_failure_in_the_middle_leaves_no_invoice_and_gives_the_numbers_back(factory) -> None:
    from sqlalchemy.exc import IntegrityError

    batch_id = _approved_batch(factory)
    # A line the invoice lines refuse: invoices are inserted, then the lines fail, inside the same transaction.
    with unit_of_work(factory) as session:
        last = session.scalar(select(func.max(DraftBillLine.id)))
        session.execute(DraftBillLine.__table__.update().where(DraftBillLine.id == last).values(kind="bogus"))
    with pytest.raises(IntegrityError):
        _issue(factory, batch_id)
    assert _count(factory, Invoice) == 0
    assert _count(factory, InvoiceLine) == 0
    assert _count(factory, LedgerEntry) == 0
    with factory() as session:
        assert session.get(BillingBatch, batch_id).status == "approved"
        assert session.scalar(select(DocumentSequence.last_number).where(DocumentSequence.series == "F2026")) is None
    with unit_of_work(factory) as session:
        session.execute(DraftBillLine.__table__.update().where(DraftBillLine.id == last).values(kind="fixed"))
    report = _issue(factory, batch_id)
    assert (report.invoices, report.first_number) == (40, "F2026-0000001")


def test_numbers_continue_across_batches(factory) -> None:
    first = _approved_batch(factory, count=10)
    _issue(factory, first)
    with unit_of_work(factory) as session:
        batch = service.create_batch(session=session, billing_month=dt.date(2026, 7, 1), actor="clerk")
        bills, lines = _drafts(session, 50)
        bills, lines = (
            bills[10:],
            [line for line in lines if line["contract_id"] in {b["contract_id"] for b in bills[10:]}],
        )
        service.store_simulation(session=session, batch_id=batch.id, bills=bills, lines=lines, actor="pipeline")
        service.approve_batch(session=session, batch_id=batch.id, actor="chief")
        second = batch.id
    report = _issue(factory, second)
    assert (report.first_number, report.last_number) == ("F2026-0000011", "F2026-0000050")


def test_only_an_approved_unchanged_simulation_is_issued(factory) -> None:
    with unit_of_work(factory) as session:
        batch = service.create_batch(session=session, billing_month=dt.date(2026, 6, 1), actor="clerk")
        batch_id = batch.id
        bills, lines = _drafts(session, 5)
        service.store_simulation(session=session, batch_id=batch_id, bills=bills, lines=lines, actor="pipeline")
    with pytest.raises(BatchStateError, match="must be approved"):
        _issue(factory, batch_id)
    with unit_of_work(factory) as session:
        service.reject_batch(session=session, batch_id=batch_id, actor="chief", reason="Consumption too high in PKN")
    with factory() as session:
        assert session.get(BillingBatch, batch_id).status_reason == "Consumption too high in PKN"
    with unit_of_work(factory) as session:
        service.store_simulation(session=session, batch_id=batch_id, bills=bills, lines=lines, actor="pipeline")
        service.approve_batch(session=session, batch_id=batch_id, actor="chief")
    with unit_of_work(factory) as session:
        session.execute(DraftBill.__table__.update().where(DraftBill.batch_id == batch_id).values(total=1))
    with pytest.raises(SimulationChangedError, match="Reject it and have it simulated again"):
        _issue(factory, batch_id)
    with unit_of_work(factory) as session, pytest.raises(BatchStateError, match="cannot receive a new simulation"):
        service.store_simulation(session=session, batch_id=batch_id, bills=bills, lines=lines, actor="pipeline")


def test_a_batch_without_bills_issues_nothing_and_closes(factory) -> None:
    batch_id = _approved_batch(factory, count=0)
    with unit_of_work(factory) as session:
        report = service.issue_batch(
            session=session,
            batch_id=batch_id,
            actor="chief",
            issue_date=ISSUE_DATE,
            due_days={"default": 15},
            currency="XOF",
        )
    assert (report.invoices, report.amount) == (0, 0)
    assert _count(factory, Invoice) == 0
    with factory() as session:
        assert session.get(BillingBatch, batch_id).status == "issued"


def test_drafts_keep_every_digit_of_their_decimals_and_each_row_its_own_values(factory) -> None:
    # More digits than a float holds, a null between two values, the smallest step of the column.
    exact = [Decimal("12345678901234567.1234567"), None, Decimal("0.0000001")]
    with unit_of_work(factory) as session:
        batch = service.create_batch(session=session, billing_month=dt.date(2026, 6, 1), actor="clerk")
        bills, lines = _drafts(session, 3)
        for line, base in zip(lines[::2], exact, strict=True):
            line["base"] = base
        service.store_simulation(session=session, batch_id=batch.id, bills=bills, lines=lines, actor="pipeline")
        batch_id = batch.id
    with factory() as session:
        stored = session.execute(
            select(DraftBillLine.line_number, DraftBillLine.base, DraftBillLine.unit_price, DraftBillLine.batch_id)
            .where(DraftBillLine.batch_id == batch_id)
            .order_by(DraftBillLine.contract_id, DraftBillLine.line_number)
        ).all()
    assert [row.base for row in stored if row.line_number == 1] == exact
    assert [row.base for row in stored if row.line_number == 2] == [None, None, None]
    assert [row.unit_price for row in stored] == [Decimal("82"), Decimal("429")] * 3
    assert {row.batch_id for row in stored} == {batch_id}
