"""Billing batches from creation to issue: simulation stored, approved or rejected, issued as invoices.

The warehouse computes the bills of a batch (the simulation); they are stored here as draft bills, so what a
supervisor approves is exactly what is issued. Issue turns the approved drafts into numbered, immutable invoices with
their lines and ledger entries in one transaction, set-based (a million invoices is one INSERT ... SELECT per
table); issuing an issued batch again writes nothing. Functions never commit: the caller's unit of work does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, case, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from operational_api.accounts.models import Allocation, LedgerEntry, Payment
from operational_api.audit import service as audit
from operational_api.auth.principal import Principal
from operational_api.billing.exceptions import (
    BatchCriteriaError,
    BatchNotFoundError,
    BatchStateError,
    SimulationChangedError,
)
from operational_api.billing.models import (
    BillingBatch,
    BillingBatchEvent,
    DocumentSequence,
    DraftBill,
    DraftBillLine,
    Invoice,
    InvoiceLine,
)
from operational_api.db import utcnow
from operational_api.organization.models import Agency, ReadingRound

DRAFT_STATES = ("open", "simulated", "rejected")
CHUNK = 50_000


@dataclass(frozen=True)
class BatchFigures:
    bills: int
    amount: int


@dataclass(frozen=True)
class IssueReport:
    batch_id: int
    invoices: int
    amount: int
    first_number: str | None
    last_number: str | None
    already_issued: bool = False


def _event(
    session: Session,
    batch: BillingBatch,
    status_to: str,
    actor: str,
    reason: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    session.add(
        BillingBatchEvent(
            batch_id=batch.id,
            status_from=batch.status,
            status_to=status_to,
            actor=actor,
            reason=reason,
            details=json.dumps(details, default=str) if details else None,
        )
    )
    batch.status = status_to


def get_batch(*, session: Session, batch_id: int, lock: bool = False) -> BillingBatch:
    statement = select(BillingBatch).where(BillingBatch.id == batch_id)
    if lock:
        statement = statement.with_for_update()
    batch = session.scalar(statement)
    if batch is None:
        raise BatchNotFoundError(batch_id)
    return batch


def create_batch(
    *,
    session: Session,
    billing_month: dt.date,
    actor: str,
    name: str | None = None,
    reference: str | None = None,
    agency_id: int | None = None,
    reading_round_id: int | None = None,
    category: str | None = None,
    billing_cycle: str | None = None,
    commodity: str | None = None,
) -> BillingBatch:
    """Open a batch for a billing month, chosen by criteria (none: every contract of the month).

    A batch of a reading round belongs to the round's agency, so that only that agency's users see and decide it;
    naming another agency beside the round is refused.
    """
    month = billing_month.replace(day=1)
    if reading_round_id is not None:
        reading_round = session.get(ReadingRound, reading_round_id)
        if reading_round is None:
            raise ValueError(f"no reading round {reading_round_id}")
        if agency_id is not None and agency_id != reading_round.agency_id:
            codes = dict(
                session.execute(
                    select(Agency.id, Agency.code).where(Agency.id.in_([agency_id, reading_round.agency_id]))
                ).all()
            )
            raise BatchCriteriaError(
                reading_round.code, codes.get(reading_round.agency_id, "?"), codes.get(agency_id, "?")
            )
        agency_id = reading_round.agency_id
    if reference is None:
        count = session.scalar(select(func.count()).where(BillingBatch.billing_month == month)) or 0
        reference = f"LOT-{month:%Y-%m}-{count + 1:03d}"
    batch = BillingBatch(
        reference=reference,
        name=name or f"Facturation {month:%m/%Y}",
        billing_month=month,
        agency_id=agency_id,
        reading_round_id=reading_round_id,
        category=category,
        billing_cycle=billing_cycle,
        commodity=commodity,
        status="open",
        created_by=actor,
    )
    session.add(batch)
    session.flush()
    session.add(BillingBatchEvent(batch_id=batch.id, status_from=None, status_to="open", actor=actor))
    return batch


def batches_to_simulate(*, session: Session) -> list[BillingBatch]:
    """Batches whose simulation may be (re)computed: open, simulated or rejected, never approved or issued."""
    return list(session.scalars(select(BillingBatch).where(BillingBatch.status.in_(DRAFT_STATES))))


def store_simulation(
    *,
    session: Session,
    batch_id: int,
    bills: Iterable[Mapping[str, Any]],
    lines: Iterable[Mapping[str, Any]],
    actor: str,
    details: Mapping[str, Any] | None = None,
) -> BatchFigures:
    """Replace the draft bills of a batch by a new simulation and mark it simulated.

    ``bills`` and ``lines`` carry the columns of DraftBill and DraftBillLine (without batch_id), read once as they
    are written (they may be streams); a batch already approved or issued keeps its drafts and refuses a new
    simulation.
    """
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status not in DRAFT_STATES:
        raise BatchStateError(batch, "receive a new simulation", DRAFT_STATES)
    session.execute(delete(DraftBillLine).where(DraftBillLine.batch_id == batch_id))
    session.execute(delete(DraftBill).where(DraftBill.batch_id == batch_id))
    now = utcnow()
    _insert_many(
        session, DraftBill, ({**bill, "batch_id": batch_id, "created_at": now, "updated_at": now} for bill in bills)
    )
    _insert_many(
        session, DraftBillLine, ({**line, "batch_id": batch_id, "created_at": now, "updated_at": now} for line in lines)
    )
    figures = draft_figures(session=session, batch_id=batch_id)
    _event(
        session,
        batch,
        "simulated",
        actor,
        details={"bills": figures.bills, "amount": figures.amount, **(details or {})},
    )
    batch.status_reason = None
    return figures


def _insert_many(session: Session, model, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows (mappings with the same keys) in the session's transaction: COPY on PostgreSQL, where a
    simulation of a million bills has some five million rows, executemany in chunks elsewhere."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy_rows(connection, model.__table__, rows)
        return
    chunk: list[Mapping[str, Any]] = []
    statement = insert(model.__table__)
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            session.execute(statement, chunk)
            chunk = []
    if chunk:
        session.execute(statement, chunk)


def _copy_rows(connection, table, rows: Iterable[Mapping[str, Any]]) -> None:
    """COPY rows into ``table``, each value converted by its column's type as SQLAlchemy would bind it.

    Binary COPY with each column's type declared when psycopg knows them all (it then neither guesses a type per
    value nor has the server parse text); a value converted for one row is reused for the next rows holding the
    same object (the simulation's timestamps and batch are one object for millions of rows).
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    names = list(first)
    # The dialect's own processors, as statements use them (the generic type's would turn decimals into floats).
    converters = [
        (index, processor)
        for index, name in enumerate(names)
        if (processor := table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect))
        is not None
    ]
    raw = connection.connection.driver_connection
    types = [_copy_type(raw, table.c[name].type, connection.dialect) for name in names]
    binary = all(types)
    unset = object()
    last_in: list[Any] = [unset] * len(names)
    last_out: list[Any] = [None] * len(names)
    statement = f"copy {table.name} ({', '.join(names)}) from stdin" + (" (format binary)" if binary else "")
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        if binary:
            copy.set_types(types)
        for row in itertools.chain((first,), iterator):
            values = [row[name] for name in names]
            for index, processor in converters:
                value = values[index]
                if value is last_in[index]:
                    values[index] = last_out[index]
                else:
                    last_in[index] = value
                    values[index] = last_out[index] = processor(value)
            copy.write_row(values)


def _copy_type(raw, column_type, dialect) -> str | None:
    """The PostgreSQL type name of a column for psycopg's COPY, or None when psycopg does not know it."""
    name = column_type.compile(dialect=dialect).lower().split("(")[0].strip()
    return name if raw.adapters.types.get(name) is not None else None


def draft_figures(*, session: Session, batch_id: int) -> BatchFigures:
    bills, amount = session.execute(
        select(func.count(), func.coalesce(func.sum(DraftBill.total), 0)).where(DraftBill.batch_id == batch_id)
    ).one()
    return BatchFigures(int(bills), int(amount))


def draft_figures_by_batch(*, session: Session, batch_ids: list[int]) -> dict[int, BatchFigures]:
    """The drafts' count and amount of several batches in one grouped query (a batch without drafts has zeros)."""
    figures = dict.fromkeys(batch_ids, BatchFigures(0, 0))
    rows = session.execute(
        select(DraftBill.batch_id, func.count(), func.coalesce(func.sum(DraftBill.total), 0))
        .where(DraftBill.batch_id.in_(batch_ids))
        .group_by(DraftBill.batch_id)
    )
    for batch_id, bills, amount in rows:
        figures[batch_id] = BatchFigures(int(bills), int(amount))
    return figures


def approve_batch(*, session: Session, batch_id: int, actor: str) -> BatchFigures:
    """Approve a simulated batch: its drafts are pinned with their count and amount, ready to be issued."""
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status != "simulated":
        raise BatchStateError(batch, "be approved", ("simulated",))
    figures = draft_figures(session=session, batch_id=batch_id)
    batch.approved_bill_count = figures.bills
    batch.approved_amount = figures.amount
    batch.decided_by = actor
    batch.decided_at = utcnow()
    _event(session, batch, "approved", actor, details={"bills": figures.bills, "amount": figures.amount})
    return figures


def approve_batch_by(*, session: Session, principal: Principal, batch: BillingBatch) -> BatchFigures:
    """A person's approval of a batch (through the API or the command line), with its audit event."""
    figures = approve_batch(session=session, batch_id=batch.id, actor=principal.login)
    _audit_decision(session, principal, batch, "approve", {"bills": figures.bills, "amount": figures.amount})
    return figures


def reject_batch_by(*, session: Session, principal: Principal, batch: BillingBatch, reason: str) -> None:
    """A person's rejection of a batch's simulation, with its audit event."""
    reject_batch(session=session, batch_id=batch.id, actor=principal.login, reason=reason)
    _audit_decision(session, principal, batch, "reject", {"reason": reason})


def _audit_decision(
    session: Session, principal: Principal, batch: BillingBatch, decision: str, after: Mapping[str, Any]
) -> None:
    audit.record(
        session=session,
        principal=principal,
        action=f"billing.batch.{decision}",
        entity="billing_batch",
        entity_key=batch.id,
        after=after,
        agency_id=batch.agency_id,
    )


def reject_batch(*, session: Session, batch_id: int, actor: str, reason: str) -> None:
    """Send a simulation back with its reason; the batch waits for a new simulation (launched after the fix)."""
    if not reason or not reason.strip():
        raise BatchStateError(None, "be rejected without a reason", ())
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status not in ("simulated", "approved"):
        raise BatchStateError(batch, "be rejected", ("simulated", "approved"))
    batch.decided_by = actor
    batch.decided_at = utcnow()
    batch.status_reason = reason.strip()[:400]
    batch.approved_bill_count = None
    batch.approved_amount = None
    _event(session, batch, "rejected", actor, reason=reason.strip()[:400])


def reopen_batch(*, session: Session, batch_id: int, actor: str) -> BillingBatch:
    """Send a rejected batch back to be simulated, once the data its rejection pointed at is fixed: it is open
    again, and the next simulation of its month computes its bills anew (the rejection stays in its history)."""
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status != "rejected":
        raise BatchStateError(batch, "be simulated again", ("rejected",))
    batch.status_reason = None
    _event(session, batch, "open", actor)
    return batch


def reopen_batch_by(*, session: Session, principal: Principal, batch: BillingBatch) -> None:
    """A person's request to simulate a rejected batch again, with its audit event."""
    reopen_batch(session=session, batch_id=batch.id, actor=principal.login)
    _audit_decision(session, principal, batch, "reopen", {"status": "open"})


def cancel_batch(*, session: Session, batch_id: int, actor: str, reason: str) -> None:
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status == "issued":
        raise BatchStateError(batch, "be cancelled (its invoices are issued: use credit notes)", DRAFT_STATES)
    session.execute(delete(DraftBillLine).where(DraftBillLine.batch_id == batch_id))
    session.execute(delete(DraftBill).where(DraftBill.batch_id == batch_id))
    batch.status_reason = reason[:400]
    _event(session, batch, "cancelled", actor, reason=reason[:400])


def reserve_numbers(*, session: Session, series: str, count: int) -> int:
    """Take ``count`` consecutive numbers of a series under a row lock; returns the first one.

    The series row is locked until the transaction ends, so concurrent issues wait and numbers never skip or
    repeat; a rolled-back transaction gives its numbers back.
    """
    if count <= 0:
        return 0
    table = DocumentSequence.__table__
    updated = session.execute(
        update(table)
        .where(table.c.series == series)
        .values(last_number=table.c.last_number + count, updated_at=utcnow())
        .returning(table.c.last_number)
    ).scalar_one_or_none()
    if updated is None:
        now = utcnow()
        session.execute(insert(table).values(series=series, last_number=count, created_at=now, updated_at=now))
        updated = count
    return updated - count + 1


def _number_expression(session: Session, series: str, sequence):
    """The printed invoice number: the series, a dash, the sequence on 7 digits (F2026-0000123)."""
    if session.get_bind().dialect.name == "sqlite":
        return literal(f"{series}-") + func.printf("%07d", sequence)
    return literal(f"{series}-") + func.lpad(func.cast(sequence, String), 7, "0")


def due_dates(issue_date: dt.date, due_days: Mapping[str, int], categories: Iterable[str]) -> dict[str, dt.date]:
    default = int(due_days.get("default", 15))
    return {category: issue_date + dt.timedelta(days=int(due_days.get(category, default))) for category in categories}


def issue_batch(
    *,
    session: Session,
    batch_id: int,
    actor: str,
    issue_date: dt.date,
    due_days: Mapping[str, int],
    currency: str,
    match_credits=None,
) -> IssueReport:
    """Turn an approved batch's drafts into invoices, lines and ledger entries, numbered without gaps.

    Refuses a batch that is not approved, or whose drafts changed since approval. An issued batch is returned
    as it is: issuing it again writes nothing. ``match_credits(session, customer_ids)`` allocates the advances
    and credit notes the customers already hold to their new invoices.
    """
    batch = get_batch(session=session, batch_id=batch_id, lock=True)
    if batch.status == "issued":
        first, last = session.execute(
            select(func.min(Invoice.number), func.max(Invoice.number)).where(Invoice.batch_id == batch_id)
        ).one()
        return IssueReport(batch_id, batch.invoice_count or 0, batch.invoiced_amount or 0, first, last, True)
    if batch.status != "approved":
        raise BatchStateError(batch, "be issued", ("approved",))
    figures = draft_figures(session=session, batch_id=batch_id)
    if (figures.bills, figures.amount) != (batch.approved_bill_count, batch.approved_amount):
        raise SimulationChangedError(batch, figures)

    series = f"F{issue_date.year}"
    first_sequence = reserve_numbers(session=session, series=series, count=figures.bills)
    categories = [
        row[0] for row in session.execute(select(DraftBill.category).where(DraftBill.batch_id == batch_id).distinct())
    ]
    dues = due_dates(issue_date, due_days, categories)
    draft = DraftBill.__table__
    ordered = (
        select(
            draft.c.contract_id,
            (
                func.row_number().over(order_by=(draft.c.agency_id, draft.c.reading_round_id, draft.c.contract_id))
                + (first_sequence - 1)
            ).label("sequence_number"),
        )
        .where(draft.c.batch_id == batch_id)
        .subquery("ordered")
    )
    default_due = bindparam(
        "due_default", value=issue_date + dt.timedelta(days=int(due_days.get("default", 15))), type_=Date
    )
    whens = [
        (draft.c.category == category, bindparam(f"due_{index}", value=day, type_=Date))
        for index, (category, day) in enumerate(sorted(dues.items()))
    ]
    # Without a category of its own, every invoice is due on the default day (a CASE needs at least one WHEN).
    due = case(*whens, else_=default_due) if whens else default_due
    now = utcnow()
    invoice = Invoice.__table__
    session.execute(
        insert(invoice).from_select(
            [
                "number",
                "series",
                "sequence_number",
                "kind",
                "batch_id",
                "contract_id",
                "customer_id",
                "agency_id",
                "billing_month",
                "period_start",
                "period_end",
                "consumption",
                "unit",
                "is_estimated",
                "grid_code",
                "issue_date",
                "due_date",
                "currency",
                "total",
                "issued_by",
                "created_at",
                "updated_at",
            ],
            select(
                _number_expression(session, series, ordered.c.sequence_number),
                literal(series),
                ordered.c.sequence_number,
                literal("invoice"),
                draft.c.batch_id,
                draft.c.contract_id,
                draft.c.customer_id,
                draft.c.agency_id,
                draft.c.billing_month,
                draft.c.period_start,
                draft.c.period_end,
                draft.c.consumption,
                draft.c.unit,
                draft.c.is_estimated,
                draft.c.grid_code,
                bindparam("issue_date", value=issue_date, type_=Date),
                due,
                literal(currency),
                draft.c.total,
                literal(actor),
                bindparam("now_created", value=now, type_=Invoice.__table__.c.created_at.type),
                bindparam("now_updated", value=now, type_=Invoice.__table__.c.updated_at.type),
            )
            .join(ordered, ordered.c.contract_id == draft.c.contract_id)
            .where(draft.c.batch_id == batch_id)
            # Written in contract order (numbers still follow agency, round, contract): the foreign-key checks on
            # contracts and customers (whose ids follow each other) then walk their tables once instead of at
            # random, and the lines and ledger entries, written in invoice order, follow.
            .order_by(draft.c.contract_id),
        )
    )
    line = DraftBillLine.__table__
    session.execute(
        insert(InvoiceLine.__table__).from_select(
            [
                "invoice_id",
                "line_number",
                "kind",
                "code",
                "label",
                "quantity",
                "unit_price",
                "base",
                "amount",
                "part_start",
                "part_end",
                "created_at",
                "updated_at",
            ],
            select(
                invoice.c.id,
                line.c.line_number,
                line.c.kind,
                line.c.code,
                line.c.label,
                line.c.quantity,
                line.c.unit_price,
                line.c.base,
                line.c.amount,
                line.c.part_start,
                line.c.part_end,
                bindparam("now_created", value=now, type_=InvoiceLine.__table__.c.created_at.type),
                bindparam("now_updated", value=now, type_=InvoiceLine.__table__.c.updated_at.type),
            )
            .join(
                invoice,
                (invoice.c.batch_id == line.c.batch_id)
                & (invoice.c.contract_id == line.c.contract_id)
                & (invoice.c.kind == "invoice"),
            )
            .where(line.c.batch_id == batch_id)
            .order_by(invoice.c.id, line.c.line_number),
        )
    )
    ledger = LedgerEntry.__table__
    session.execute(
        insert(ledger).from_select(
            [
                "customer_id",
                "contract_id",
                "entry_date",
                "kind",
                "amount",
                "invoice_id",
                "payment_id",
                "description",
                "created_by",
                "created_at",
                "updated_at",
            ],
            select(
                invoice.c.customer_id,
                invoice.c.contract_id,
                invoice.c.issue_date,
                literal("invoice"),
                invoice.c.total,
                invoice.c.id,
                literal(None, Integer),
                literal("Facture n° ") + invoice.c.number,
                literal(actor),
                bindparam("now_created", value=now, type_=ledger.c.created_at.type),
                bindparam("now_updated", value=now, type_=ledger.c.updated_at.type),
            )
            .where(invoice.c.batch_id == batch_id, invoice.c.total != 0)
            .order_by(invoice.c.id),
        )
    )
    if match_credits is not None:
        holders = _customers_with_credit(session, batch_id)
        if holders:
            match_credits(session, holders)
    count, amount, first, last = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(invoice.c.total), 0),
            func.min(invoice.c.number),
            func.max(invoice.c.number),
        ).where(invoice.c.batch_id == batch_id)
    ).one()
    session.execute(delete(DraftBillLine).where(DraftBillLine.batch_id == batch_id))
    session.execute(delete(DraftBill).where(DraftBill.batch_id == batch_id))
    batch.issued_at = now
    batch.invoice_count = int(count)
    batch.invoiced_amount = int(amount)
    _event(
        session,
        batch,
        "issued",
        actor,
        details={"invoices": int(count), "amount": int(amount), "first": first, "last": last},
    )
    return IssueReport(batch_id, int(count), int(amount), first, last)


def _customers_with_credit(session: Session, batch_id: int) -> list[int]:
    """Customers of the batch holding money not yet matched: advances and payments, or credit notes."""
    batch_customers = select(Invoice.customer_id).where(Invoice.batch_id == batch_id)
    allocated = (
        select(Allocation.payment_id, func.sum(Allocation.amount).label("allocated"))
        .where(Allocation.payment_id.is_not(None))
        .group_by(Allocation.payment_id)
        .subquery()
    )
    with_payments = (
        select(Payment.customer_id)
        .outerjoin(allocated, allocated.c.payment_id == Payment.id)
        .where(
            Payment.customer_id.in_(batch_customers),
            Payment.status == "posted",
            Payment.purpose != "deposit",
            Payment.amount > func.coalesce(allocated.c.allocated, 0),
        )
    )
    with_credit_notes = select(Invoice.customer_id).where(
        Invoice.customer_id.in_(batch_customers), Invoice.kind == "credit_note"
    )
    rows = session.execute(with_payments.union(with_credit_notes)).scalars()
    return sorted(set(rows))


# --- corrections and individual billing -------------------------------------------------------------------


def _insert_invoice(
    session: Session, values: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], actor: str
) -> Invoice:
    invoice = Invoice(**values, issued_by=actor)
    session.add(invoice)
    session.flush()
    now = utcnow()
    if lines:
        session.execute(
            insert(InvoiceLine.__table__),
            [
                {**line, "invoice_id": invoice.id, "line_number": number, "created_at": now, "updated_at": now}
                for number, line in enumerate(lines, start=1)
            ],
        )
    credit = invoice.kind == "credit_note"
    if invoice.total:
        session.execute(
            insert(LedgerEntry.__table__).values(
                customer_id=invoice.customer_id,
                contract_id=invoice.contract_id,
                entry_date=invoice.issue_date,
                kind="credit_note" if credit else "invoice",
                amount=-invoice.total if credit else invoice.total,
                invoice_id=invoice.id,
                payment_id=None,
                description=f"{'Avoir' if credit else 'Facture'} n° {invoice.number}",
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
        )
    return invoice


def _number(session: Session, prefix: str, issue_date: dt.date) -> tuple[str, str, int]:
    series = f"{prefix}{issue_date.year}"
    sequence = reserve_numbers(session=session, series=series, count=1)
    return f"{series}-{sequence:07d}", series, sequence


def credit_invoice(*, session: Session, invoice_id: int, actor: str, reason: str, issue_date: dt.date) -> Invoice:
    """Cancel an issued invoice with a credit note (series A): same lines, matched to the invoice first.

    The invoice itself never changes. A credit note is refused for an invoice already credited in full.
    """
    from operational_api.billing.exceptions import CorrectionError, InvoiceNotFoundError

    if not reason or not reason.strip():
        raise CorrectionError("A credit note needs a reason the customer can read.")
    invoice = session.scalar(select(Invoice).where(Invoice.id == invoice_id).with_for_update())
    if invoice is None:
        raise InvoiceNotFoundError(invoice_id)
    if invoice.kind == "credit_note":
        raise CorrectionError(f"{invoice.number} is a credit note; a credit note is not credited again.")
    credited = session.scalar(
        select(func.coalesce(func.sum(Invoice.total), 0)).where(
            Invoice.corrects_invoice_id == invoice.id, Invoice.kind == "credit_note"
        )
    )
    if credited >= invoice.total:
        raise CorrectionError(f"{invoice.number} is already credited in full.")
    number, series, sequence = _number(session, "A", issue_date)
    lines = [
        {
            "kind": line.kind,
            "code": line.code,
            "label": line.label[:200],
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "base": line.base,
            "amount": line.amount,
            "part_start": line.part_start,
            "part_end": line.part_end,
        }
        for line in session.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.line_number)
        )
    ]
    credit = _insert_invoice(
        session,
        {
            "number": number,
            "series": series,
            "sequence_number": sequence,
            "kind": "credit_note",
            "batch_id": None,
            "contract_id": invoice.contract_id,
            "customer_id": invoice.customer_id,
            "agency_id": invoice.agency_id,
            "billing_month": invoice.billing_month,
            "period_start": invoice.period_start,
            "period_end": invoice.period_end,
            "consumption": invoice.consumption,
            "unit": invoice.unit,
            "is_estimated": invoice.is_estimated,
            "grid_code": invoice.grid_code,
            "issue_date": issue_date,
            "due_date": issue_date,
            "currency": invoice.currency,
            "total": invoice.total,
            "corrects_invoice_id": invoice.id,
            "reason": reason.strip()[:400],
        },
        lines,
        actor,
    )
    open_amount = invoice.total - (
        session.scalar(select(func.coalesce(func.sum(Allocation.amount), 0)).where(Allocation.invoice_id == invoice.id))
        or 0
    )
    if open_amount > 0:
        session.add(
            Allocation(
                invoice_id=invoice.id,
                credit_invoice_id=credit.id,
                amount=min(open_amount, credit.total),
                allocated_on=issue_date,
            )
        )
    return credit


@dataclass(frozen=True)
class IndividualBill:
    invoice: Invoice
    notes: tuple[str, ...]


def bill_contract(
    *,
    session: Session,
    contract_id: int,
    consumption,
    period_start: dt.date,
    period_end: dt.date,
    actor: str,
    issue_date: dt.date,
    due_days: Mapping[str, int],
    currency: str,
    precision: int,
    kind: str = "invoice",
    language: str = "fr",
    reason: str | None = None,
) -> IndividualBill:
    """Individual billing (*facturation isolée*) of one contract, priced by the real-time engine on the stored
    tariffs: a correcting bill after a credit note, or a termination's final bill (``kind='final'``)."""
    from decimal import Decimal

    from operational_api.billing.exceptions import CorrectionError
    from operational_api.customers.models import Contract, DeliveryPoint
    from operational_api.metering.models import Meter, MeterInstallation
    from operational_api.tariffs.service import load_book
    from yeelen.tariffs.engine import quote

    if kind not in ("invoice", "final"):
        raise CorrectionError(f"an individual bill is an invoice or a final bill, not {kind!r}")
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise CorrectionError(f"No contract {contract_id}.")
    book = load_book(session=session, currency=currency, precision=precision)
    grid = book.grid_for_category(contract.category, period_end - dt.timedelta(days=1))
    meter_type = session.scalar(
        select(Meter.meter_type)
        .join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
        .where(MeterInstallation.contract_id == contract_id, MeterInstallation.installed_on < period_end)
        .order_by(MeterInstallation.installed_on.desc())
        .limit(1)
    )
    cycle = 2 if contract.billing_cycle == "bimonthly" else 1
    result = quote(
        book,
        grid.code,
        Decimal(consumption),
        period_start,
        period_end,
        cycle_months=cycle,
        meter_type=meter_type,
        subscribed_power=contract.subscribed_power,
        language=language,
    )
    factor = 10**precision
    agency_id = session.scalar(select(DeliveryPoint.agency_id).where(DeliveryPoint.id == contract.delivery_point_id))
    number, series, sequence = _number(session, "F", issue_date)
    lines = [
        {
            "kind": line.kind,
            "code": line.code,
            "label": line.label[:200],
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "base": line.base,
            "amount": int(line.amount * factor),
            "part_start": line.part_start,
            "part_end": line.part_end,
        }
        for line in result.lines
    ]
    dues = due_dates(issue_date, due_days, [contract.category])
    invoice = _insert_invoice(
        session,
        {
            "number": number,
            "series": series,
            "sequence_number": sequence,
            "kind": kind,
            "batch_id": None,
            "contract_id": contract.id,
            "customer_id": contract.customer_id,
            "agency_id": agency_id,
            "billing_month": period_end.replace(day=1),
            "period_start": period_start,
            "period_end": period_end,
            "consumption": Decimal(consumption),
            "unit": grid.unit,
            "is_estimated": False,
            "grid_code": result.grid_code,
            "issue_date": issue_date,
            "due_date": dues[contract.category],
            "currency": currency,
            "total": int(result.total * factor),
            "corrects_invoice_id": None,
            "reason": reason,
        },
        lines,
        actor,
    )
    return IndividualBill(invoice, result.notes)


def terminate_contract(
    *,
    session: Session,
    contract_id: int,
    final_index: int,
    termination_date: dt.date,
    actor: str,
    issue_date: dt.date,
    due_days: Mapping[str, int],
    currency: str,
    precision: int,
    language: str = "fr",
) -> IndividualBill:
    """Terminate a contract (*résiliation*): the final index read, the meter removed, and a final bill for the
    consumption since the last real reading."""
    from operational_api.billing.exceptions import CorrectionError
    from operational_api.customers.models import Contract
    from operational_api.metering.models import Meter, MeterInstallation, Reading

    contract = session.scalar(select(Contract).where(Contract.id == contract_id).with_for_update())
    if contract is None:
        raise CorrectionError(f"No contract {contract_id}.")
    if contract.status == "terminated":
        raise CorrectionError(f"Contract {contract.reference} is already terminated.")
    installation = session.scalar(
        select(MeterInstallation)
        .where(MeterInstallation.contract_id == contract_id, MeterInstallation.removed_on.is_(None))
        .order_by(MeterInstallation.installed_on.desc())
        .limit(1)
    )
    if installation is None:
        raise CorrectionError(f"Contract {contract.reference} has no meter in place to read a final index from.")
    last = session.execute(
        select(Reading.reading_date, Reading.index_value)
        .where(
            Reading.contract_id == contract_id,
            Reading.meter_id == installation.meter_id,
            Reading.index_value.is_not(None),
            Reading.source != "estimate",
            Reading.reading_date <= termination_date,
        )
        .order_by(Reading.reading_date.desc(), Reading.id.desc())
        .limit(1)
    ).first()
    start_date, start_index = last if last else (installation.installed_on, installation.initial_index)
    digits = session.scalar(select(Meter.digits).where(Meter.id == installation.meter_id))
    difference = final_index - start_index
    if difference < 0:
        wrapped = difference + 10**digits
        if wrapped > 10**digits // 2:
            raise CorrectionError(
                f"The final index {final_index} is below the last reading {start_index} of {start_date}: "
                "check the index read (the meter's digits allow no roll-over here)."
            )
        difference = wrapped
    if termination_date <= start_date:
        raise CorrectionError(f"The termination date must come after the last reading ({start_date}).")
    session.add(
        Reading(
            contract_id=contract_id,
            meter_id=installation.meter_id,
            reading_date=termination_date,
            index_value=final_index,
            source="manual",
            anomaly_code=None,
        )
    )
    installation.removed_on = termination_date
    installation.final_index = final_index
    contract.status = "terminated"
    contract.end_date = termination_date
    return bill_contract(
        session=session,
        contract_id=contract_id,
        consumption=difference,
        period_start=start_date,
        period_end=termination_date,
        actor=actor,
        issue_date=issue_date,
        due_days=due_days,
        currency=currency,
        precision=precision,
        kind="final",
        language=language,
        reason="Facture de résiliation",
    )
