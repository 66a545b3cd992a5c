"""Customer accounts: the ledger rules, matching (*lettrage*), balances and statements.

The ledger rules, fixed here for every caller (cash desk, mobile money, billing):

* One :class:`LedgerEntry` per movement. Positive: the customer owes more (``invoice``, ``fee``,
  ``payment_reversal``, ``refund``). Negative: the customer owes less (``payment``, ``credit_note``).
  ``adjustment`` takes either sign. The balance of a customer (or a contract) is the sum of its entries.
* Every posted payment has one ``payment`` entry of minus its amount, deposits included (the money was
  received); a cancelled or bounced payment keeps it and gains a ``payment_reversal`` entry of plus its amount.
* An invoice (kind ``invoice`` or ``final``) has one ``invoice`` entry of plus its total; a credit note carries
  the credited amount in ``Invoice.total`` (read as an absolute value) and has one ``credit_note`` entry of
  minus that amount. Billing calls :func:`post_invoice` for each issued document.
* Allocations never move the balance; they say which invoice a payment or a credit note paid. The open amount
  of an invoice is its total minus its allocations; a reversal is a negative allocation, nothing is deleted.
* A payment's unallocated part is credit (an advance) that :func:`match_open_credits` matches later; deposits
  (purpose ``deposit``) are never matched automatically.

Functions add to the caller's unit of work and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Text, bindparam, case, cast, func, insert, literal_column, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from operational_api.accounts.exceptions import (
    BadPeriodError,
    ExplicitListRequiredError,
    InvoiceNotFoundError,
    InvoiceNotOpenError,
    LedgerSignError,
    OverpaymentRefusedError,
)
from operational_api.accounts.models import Allocation, LedgerEntry, Payment
from operational_api.billing.models import Invoice
from operational_api.concurrency import INCREMENT, create_series, lock_customers, next_number
from operational_api.customers.models import Contract
from operational_api.db import utcnow
from operational_api.documents import format_money

POSITIVE_KINDS = frozenset({"invoice", "fee", "payment_reversal", "refund"})
NEGATIVE_KINDS = frozenset({"payment", "credit_note"})
DEBT_KINDS = ("invoice", "final")
MATCHED_PURPOSES = ("invoices", "advance")
RULES = ("oldest_due_first", "oldest_issued_first", "explicit")
CHUNK = 500


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with something left to pay."""

    id: int
    number: str
    customer_id: int
    contract_id: int
    issue_date: dt.date
    due_date: dt.date
    total: int
    open_amount: int


@dataclass(frozen=True)
class AllocationLine:
    """Part of a payment going to one invoice."""

    invoice_id: int
    invoice_number: str
    contract_id: int
    due_date: dt.date
    open_before: int
    amount: int

    @property
    def open_after(self) -> int:
        return self.open_before - self.amount


@dataclass
class AllocationPlan:
    """How an amount is split over open invoices; the remainder stays as unallocated credit."""

    amount: int
    lines: list[AllocationLine] = field(default_factory=list)

    @property
    def allocated(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def remainder(self) -> int:
        return self.amount - self.allocated


@dataclass(frozen=True)
class MatchSummary:
    """What :func:`match_open_credits` did."""

    customers: int
    allocations: int
    amount: int


# --- ledger -----------------------------------------------------------------------------------------------------


def entry_values(
    *,
    customer_id: int,
    contract_id: int | None,
    entry_date: dt.date,
    kind: str,
    amount: int,
    description: str,
    created_by: str,
    invoice_id: int | None = None,
    payment_id: int | None = None,
) -> dict:
    """The row of a ledger entry, refusing a sign that contradicts its kind."""
    if amount == 0:
        raise LedgerSignError("a ledger entry of zero means nothing; do not write it")
    if kind in POSITIVE_KINDS and amount < 0 or kind in NEGATIVE_KINDS and amount > 0:
        raise LedgerSignError(f"a {kind} entry must be {'positive' if kind in POSITIVE_KINDS else 'negative'}")
    if kind not in POSITIVE_KINDS | NEGATIVE_KINDS | {"adjustment"}:
        raise LedgerSignError(f"unknown ledger kind {kind!r}")
    now = utcnow()
    return {
        "customer_id": customer_id,
        "contract_id": contract_id,
        "entry_date": entry_date,
        "kind": kind,
        "amount": amount,
        "invoice_id": invoice_id,
        "payment_id": payment_id,
        "description": description[:400],
        "created_by": created_by[:60],
        "created_at": now,
        "updated_at": now,
    }


# Inserts built once and run with bound values (the payment path runs them for every payment).
_INSERT_ENTRY = insert(LedgerEntry.__table__).returning(LedgerEntry.__table__.c.id)
_INSERT_PAYMENT = insert(Payment.__table__).returning(Payment.__table__.c.id)
_INSERT_ALLOCATIONS = insert(Allocation.__table__)


def add_entry(*, session: Session, **values) -> int:
    """Add one ledger entry (see :func:`entry_values` for its fields); returns its id."""
    return session.execute(_INSERT_ENTRY, entry_values(**values)).scalar_one()


def _invoice_entry(invoice: Invoice, created_by: str) -> dict:
    credit = invoice.kind == "credit_note"
    return entry_values(
        customer_id=invoice.customer_id,
        contract_id=invoice.contract_id,
        entry_date=invoice.issue_date,
        kind="credit_note" if credit else "invoice",
        amount=-abs(invoice.total) if credit else invoice.total,
        invoice_id=invoice.id,
        description=f"{'Avoir' if credit else 'Facture'} n° {invoice.number}",
        created_by=created_by,
    )


def post_invoice(*, session: Session, invoice: Invoice, created_by: str) -> int:
    """The ledger entry of an issued invoice (plus its total) or credit note (minus the credited amount)."""
    return session.execute(_INSERT_ENTRY, _invoice_entry(invoice, created_by)).scalar_one()


def post_invoices(*, session: Session, invoices: Sequence[Invoice], created_by: str) -> int:
    """The ledger entries of many issued invoices and credit notes (flushed, with their ids) in one insert."""
    rows = [_invoice_entry(invoice, created_by) for invoice in invoices if invoice.total]
    if rows:
        session.execute(insert(LedgerEntry.__table__), rows)
    return len(rows)


def _payment_label(purpose: str) -> str:
    return {"deposit": "Dépôt de garantie", "advance": "Avance"}.get(purpose, "Paiement")


def receipt_number(series: str, number: int) -> str:
    """The receipt number printed for the ``number``-th payment of a series."""
    return f"{series}-{number:07d}"


def post_payment_entry(*, session: Session, payment: Payment) -> int:
    """The ledger entry of a received payment (minus its amount)."""
    label = _payment_label(payment.purpose)
    return add_entry(
        session=session,
        customer_id=payment.customer_id,
        contract_id=payment.contract_id,
        entry_date=payment.business_date,
        kind="payment",
        amount=-payment.amount,
        payment_id=payment.id,
        description=f"{label} reçu n° {payment.receipt_number}",
        created_by=payment.created_by,
    )


# --- open invoices and allocation ----------------------------------------------------------------------------------


def _allocated_to_invoice():
    return (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )


def _open_invoice_rows(session: Session, *conditions) -> list[OpenInvoice]:
    return [OpenInvoice(*row) for row in session.execute(_open_invoices_statement(*conditions))]


def _open_invoices_statement(*conditions):
    open_amount = (Invoice.total - _allocated_to_invoice()).label("open_amount")
    return (
        select(
            Invoice.id,
            Invoice.number,
            Invoice.customer_id,
            Invoice.contract_id,
            Invoice.issue_date,
            Invoice.due_date,
            Invoice.total,
            open_amount,
        )
        .where(Invoice.kind.in_(DEBT_KINDS), *conditions)
        .order_by(Invoice.id)
    )


_invoices, _allocations = Invoice.__table__, Allocation.__table__
_open = (
    _invoices.c.total
    - select(func.coalesce(func.sum(_allocations.c.amount), 0))
    .where(_allocations.c.invoice_id == _invoices.c.id)
    .correlate(_invoices)
    .scalar_subquery()
)


def _core_open_invoices(*conditions):
    # On the tables rather than the mapped classes: every payment runs this, and ORM compilation costs more.
    return (
        select(
            _invoices.c.id,
            _invoices.c.number,
            _invoices.c.customer_id,
            _invoices.c.contract_id,
            _invoices.c.issue_date,
            _invoices.c.due_date,
            _invoices.c.total,
            _open.label("open_amount"),
        )
        .where(_invoices.c.kind.in_(DEBT_KINDS), *conditions)
        .order_by(_invoices.c.id)
    )


_CUSTOMER_INVOICES = _core_open_invoices(_invoices.c.customer_id == bindparam("customer_id"))
_CONTRACT_INVOICES = _core_open_invoices(
    _invoices.c.customer_id == bindparam("customer_id"), _invoices.c.contract_id == bindparam("contract_id")
)


def open_invoices(
    *, session: Session, customer_id: int, contract_id: int | None = None, include_paid: bool = False
) -> list[OpenInvoice]:
    """The customer's invoices with something left to pay (all of them with ``include_paid``), oldest first."""
    if contract_id is None:
        result = session.execute(_CUSTOMER_INVOICES, {"customer_id": customer_id})
    else:
        result = session.execute(_CONTRACT_INVOICES, {"customer_id": customer_id, "contract_id": contract_id})
    rows = [OpenInvoice(*row) for row in result]
    return sort_invoices([row for row in rows if include_paid or row.open_amount > 0], "oldest_due_first")


def sort_invoices(invoices: Iterable[OpenInvoice], rule: str) -> list[OpenInvoice]:
    """Invoices in the order a rule pays them."""
    if rule == "oldest_issued_first":
        return sorted(invoices, key=lambda i: (i.issue_date, i.due_date, i.id))
    return sorted(invoices, key=lambda i: (i.due_date, i.issue_date, i.id))


def _greedy(amount: int, invoices: Sequence[OpenInvoice]) -> AllocationPlan:
    plan = AllocationPlan(amount=amount)
    left = amount
    for invoice in invoices:
        if left <= 0:
            break
        if invoice.open_amount <= 0:
            continue
        part = min(left, invoice.open_amount)
        plan.lines.append(
            AllocationLine(invoice.id, invoice.number, invoice.contract_id, invoice.due_date, invoice.open_amount, part)
        )
        left -= part
    return plan


def plan_allocation(
    *,
    session: Session,
    customer_id: int,
    amount: int,
    rule: str,
    contract_id: int | None = None,
    invoice_numbers: Sequence[str] | None = None,
) -> AllocationPlan:
    """Split ``amount`` over open invoices by ``rule``, never more than an invoice's open amount (reads only).

    ``oldest_due_first`` and ``oldest_issued_first`` take the customer's open invoices (of ``contract_id`` when
    given); ``explicit`` takes ``invoice_numbers`` in the order given by the cashier.
    """
    if rule == "explicit":
        if not invoice_numbers:
            raise ExplicitListRequiredError()
        wanted = list(dict.fromkeys(invoice_numbers))
        rows = {
            row.number: row
            for row in _open_invoice_rows(session, Invoice.customer_id == customer_id, Invoice.number.in_(wanted))
        }
        chosen = []
        for number in wanted:
            if number not in rows:
                raise InvoiceNotFoundError(number)
            if rows[number].open_amount <= 0:
                raise InvoiceNotOpenError(number)
            chosen.append(rows[number])
        return _greedy(amount, chosen)
    invoices = open_invoices(session=session, customer_id=customer_id, contract_id=contract_id)
    return _greedy(amount, sort_invoices(invoices, rule))


def amount_due(*, session: Session, customer_id: int) -> int:
    """What the customer owes now: the ledger balance, deposits held set aside."""
    balance = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(LedgerEntry.customer_id == customer_id)
    )
    return int(balance) + deposits_held(session=session, customer_id=customer_id)


def deposits_held(*, session: Session, customer_id: int) -> int:
    """The unallocated part of the customer's posted deposits."""
    allocated = (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.payment_id == Payment.id)
        .correlate(Payment)
        .scalar_subquery()
    )
    held = session.scalar(
        select(func.coalesce(func.sum(Payment.amount - allocated), 0)).where(
            Payment.customer_id == customer_id, Payment.status == "posted", Payment.purpose == "deposit"
        )
    )
    return int(held)


def check_overpayment(
    *, session: Session, customer_id: int, plan: AllocationPlan, allow_overpayment: bool, currency: str
) -> None:
    """Refuse a payment above what the customer owes when over-payments are not accepted."""
    if allow_overpayment or plan.remainder <= 0:
        return
    due = amount_due(session=session, customer_id=customer_id)
    if plan.amount > max(due, 0):
        raise OverpaymentRefusedError(format_money(plan.amount, currency), format_money(max(due, 0), currency))


def apply_plan(*, session: Session, payment: Payment, plan: AllocationPlan) -> None:
    """Write a posted payment's ledger entry and the allocations of ``plan`` (the payment must have its id)."""
    post_payment_entry(session=session, payment=payment)
    if plan.lines:
        now = utcnow()
        session.execute(
            _INSERT_ALLOCATIONS,
            [
                {
                    "invoice_id": line.invoice_id,
                    "payment_id": payment.id,
                    "credit_invoice_id": None,
                    "amount": line.amount,
                    "allocated_on": payment.business_date,
                    "reverses_id": None,
                    "created_at": now,
                    "updated_at": now,
                }
                for line in plan.lines
            ],
        )


def allocate(
    *,
    session: Session,
    payment: Payment,
    rule: str,
    allow_overpayment: bool = True,
    invoice_numbers: Sequence[str] | None = None,
) -> AllocationPlan:
    """Match a payment (flushed, with its id) to open invoices and write its ledger entry and allocations.

    The customer is locked first, so concurrent payments of the same invoices are served one after the other.
    Deposits and advances are not matched here (an advance waits for :func:`match_open_credits`).
    """
    lock_customers(session=session, customer_ids=[payment.customer_id])
    if payment.purpose in ("deposit", "advance"):
        plan = AllocationPlan(amount=payment.amount)
    else:
        plan = plan_allocation(
            session=session,
            customer_id=payment.customer_id,
            amount=payment.amount,
            rule=rule,
            contract_id=payment.contract_id,
            invoice_numbers=invoice_numbers,
        )
        check_overpayment(
            session=session,
            customer_id=payment.customer_id,
            plan=plan,
            allow_overpayment=allow_overpayment,
            currency=payment.currency,
        )
    apply_plan(session=session, payment=payment, plan=plan)
    return plan


def reverse_payment(
    *, session: Session, payment: Payment, status: str, reason: str, entry_date: dt.date, created_by: str
) -> list[Allocation]:
    """Undo a posted payment by reversing entries: status changed, ``payment_reversal`` entry, negative
    allocations. Nothing is deleted."""
    rows = session.execute(
        select(Allocation.id, Allocation.invoice_id, Allocation.amount, Allocation.reverses_id).where(
            Allocation.payment_id == payment.id
        )
    ).all()
    already = {row.reverses_id for row in rows if row.reverses_id is not None}
    reversals = [
        Allocation(
            invoice_id=row.invoice_id,
            payment_id=payment.id,
            amount=-row.amount,
            allocated_on=entry_date,
            reverses_id=row.id,
        )
        for row in rows
        if row.amount > 0 and row.id not in already
    ]
    session.add_all(reversals)
    label = "Chèque impayé" if status == "bounced" else "Annulation du paiement"
    add_entry(
        session=session,
        customer_id=payment.customer_id,
        contract_id=payment.contract_id,
        entry_date=entry_date,
        kind="payment_reversal",
        amount=payment.amount,
        payment_id=payment.id,
        description=f"{label} n° {payment.receipt_number}",
        created_by=created_by,
    )
    payment.status = status
    payment.status_reason = reason[:400]
    return reversals


# --- matching of existing credits ----------------------------------------------------------------------------------


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def match_open_credits(
    *, session: Session, customer_ids: Iterable[int], on: dt.date | None = None, rule: str = "oldest_due_first"
) -> MatchSummary:
    """Allocate the customers' unallocated payments and advances, and their credit notes, to open invoices.

    Set-based: per chunk of customers, three queries read open invoices and available credits and one bulk
    insert writes the allocations, so billing can call it after issuing thousands of invoices. A credit note
    goes first to the invoice it corrects; credits go to invoices of their own contract before the others'.
    Deposits are never matched. The customers are locked while their credits are matched.
    """
    on = on or utcnow().date()
    ids = sorted(set(customer_ids))
    customers = allocations = amount = 0
    for chunk in _chunks(ids):
        lock_customers(session=session, customer_ids=chunk)
        invoices: dict[int, list[OpenInvoice]] = defaultdict(list)
        for row in _open_invoice_rows(session, Invoice.customer_id.in_(chunk)):
            if row.open_amount > 0:
                invoices[row.customer_id].append(row)
        if not invoices:
            continue
        sources = _credit_sources(session, list(invoices))
        rows = []
        for customer_id, open_rows in invoices.items():
            remaining = {invoice.id: invoice.open_amount for invoice in open_rows}
            ordered = sort_invoices(open_rows, rule)
            matched = False
            for source in sources.get(customer_id, []):
                left = source.available
                targets = _targets(ordered, source)
                for invoice in targets:
                    if left <= 0:
                        break
                    part = min(left, remaining[invoice.id])
                    if part <= 0:
                        continue
                    remaining[invoice.id] -= part
                    left -= part
                    matched = True
                    rows.append(
                        {
                            "invoice_id": invoice.id,
                            "payment_id": source.payment_id,
                            "credit_invoice_id": source.credit_invoice_id,
                            "amount": part,
                            "allocated_on": on,
                        }
                    )
                    amount += part
            customers += matched
        if rows:
            session.execute(insert(Allocation), rows)
            allocations += len(rows)
    return MatchSummary(customers=customers, allocations=allocations, amount=amount)


@dataclass(frozen=True)
class _Source:
    payment_id: int | None
    credit_invoice_id: int | None
    contract_id: int | None
    corrects_invoice_id: int | None
    available: int


def _targets(ordered: list[OpenInvoice], source: _Source) -> list[OpenInvoice]:
    corrected = [invoice for invoice in ordered if invoice.id == source.corrects_invoice_id]
    own = [i for i in ordered if i.contract_id == source.contract_id and i.id != source.corrects_invoice_id]
    others = [i for i in ordered if i.contract_id != source.contract_id and i.id != source.corrects_invoice_id]
    return corrected + own + others


def _credit_sources(session: Session, customer_ids: list[int]) -> dict[int, list[_Source]]:
    """Credit notes (oldest first), then payments and advances (oldest first), with what is left of each."""
    sources: dict[int, list[_Source]] = defaultdict(list)
    credited = (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.credit_invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )
    notes = session.execute(
        select(
            Invoice.customer_id,
            Invoice.id,
            Invoice.contract_id,
            Invoice.corrects_invoice_id,
            (func.abs(Invoice.total) - credited).label("available"),
        )
        .where(Invoice.customer_id.in_(customer_ids), Invoice.kind == "credit_note")
        .order_by(Invoice.issue_date, Invoice.id)
    )
    for customer_id, invoice_id, contract_id, corrects, available in notes:
        if available > 0:
            sources[customer_id].append(_Source(None, invoice_id, contract_id, corrects, int(available)))
    paid = (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.payment_id == Payment.id)
        .correlate(Payment)
        .scalar_subquery()
    )
    payments = session.execute(
        select(Payment.customer_id, Payment.id, Payment.contract_id, (Payment.amount - paid).label("available"))
        .where(
            Payment.customer_id.in_(customer_ids),
            Payment.status == "posted",
            Payment.purpose.in_(MATCHED_PURPOSES),
        )
        .order_by(Payment.received_at, Payment.id)
    )
    for customer_id, payment_id, contract_id, available in payments:
        if available > 0:
            sources[customer_id].append(_Source(payment_id, None, contract_id, None, int(available)))
    return sources


# --- balances and statements ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractBalance:
    contract_id: int | None
    reference: str | None
    balance: int
    open_invoices: int
    open_amount: int


@dataclass(frozen=True)
class CustomerBalance:
    balance: int
    amount_due: int
    open_amount: int
    unallocated_credit: int
    deposits_held: int
    contracts: list[ContractBalance]


def customer_balance(*, session: Session, customer_id: int) -> CustomerBalance:
    """Balances of the customer and of each contract, with open amounts and credits."""
    by_contract = dict(
        session.execute(
            select(LedgerEntry.contract_id, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.customer_id == customer_id)
            .group_by(LedgerEntry.contract_id)
        ).all()
    )
    contracts = dict(
        session.execute(select(Contract.id, Contract.reference).where(Contract.customer_id == customer_id)).all()
    )
    invoices = open_invoices(session=session, customer_id=customer_id)
    open_by_contract: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for invoice in invoices:
        count, total = open_by_contract[invoice.contract_id]
        open_by_contract[invoice.contract_id] = (count + 1, total + invoice.open_amount)
    lines = [
        ContractBalance(
            contract_id,
            reference,
            int(by_contract.get(contract_id, 0) or 0),
            open_by_contract[contract_id][0],
            open_by_contract[contract_id][1],
        )
        for contract_id, reference in sorted(contracts.items(), key=lambda item: item[1])
    ]
    if by_contract.get(None):
        lines.append(ContractBalance(None, None, int(by_contract[None]), 0, 0))
    paid = (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.payment_id == Payment.id)
        .correlate(Payment)
        .scalar_subquery()
    )
    credit = session.execute(
        select(
            func.coalesce(func.sum(case((Payment.purpose == "deposit", 0), else_=Payment.amount - paid)), 0),
            func.coalesce(func.sum(case((Payment.purpose == "deposit", Payment.amount - paid), else_=0)), 0),
        ).where(Payment.customer_id == customer_id, Payment.status == "posted")
    ).one()
    credited = (
        select(func.coalesce(func.sum(Allocation.amount), 0))
        .where(Allocation.credit_invoice_id == Invoice.id)
        .correlate(Invoice)
        .scalar_subquery()
    )
    notes = session.scalar(
        select(func.coalesce(func.sum(func.abs(Invoice.total) - credited), 0)).where(
            Invoice.customer_id == customer_id, Invoice.kind == "credit_note"
        )
    )
    balance = int(sum(int(value or 0) for value in by_contract.values()))
    deposits = int(credit[1])
    return CustomerBalance(
        balance=balance,
        amount_due=balance + deposits,
        open_amount=sum(invoice.open_amount for invoice in invoices),
        unallocated_credit=int(credit[0]) + int(notes or 0),
        deposits_held=deposits,
        contracts=lines,
    )


@dataclass(frozen=True)
class StatementLine:
    entry_date: dt.date
    kind: str
    description: str
    reference: str | None
    contract_reference: str | None
    debit: int
    credit: int
    balance: int


@dataclass(frozen=True)
class Statement:
    start: dt.date
    end: dt.date
    opening_balance: int
    lines: list[StatementLine]
    closing_balance: int
    total_debit: int
    total_credit: int


def statement(*, session: Session, customer_id: int, start: dt.date, end: dt.date) -> Statement:
    """Opening balance, movements of ``[start, end)`` with a running balance, closing balance."""
    if end <= start:
        raise BadPeriodError()
    opening = int(
        session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.customer_id == customer_id, LedgerEntry.entry_date < start
            )
        )
    )
    rows = session.execute(
        select(
            LedgerEntry.entry_date,
            LedgerEntry.kind,
            LedgerEntry.description,
            LedgerEntry.amount,
            Invoice.number,
            Payment.receipt_number,
            Contract.reference,
        )
        .outerjoin(Invoice, Invoice.id == LedgerEntry.invoice_id)
        .outerjoin(Payment, Payment.id == LedgerEntry.payment_id)
        .outerjoin(Contract, Contract.id == LedgerEntry.contract_id)
        .where(LedgerEntry.customer_id == customer_id, LedgerEntry.entry_date >= start, LedgerEntry.entry_date < end)
        .order_by(LedgerEntry.entry_date, LedgerEntry.id)
    )
    running = opening
    lines = []
    debit = credit = 0
    for entry_date, kind, description, amount, invoice_number, receipt_number, contract_reference in rows:
        running += amount
        debit += max(amount, 0)
        credit += max(-amount, 0)
        lines.append(
            StatementLine(
                entry_date,
                kind,
                description,
                invoice_number or receipt_number,
                contract_reference,
                max(amount, 0),
                max(-amount, 0),
                running,
            )
        )
    return Statement(start, end, opening, lines, running, debit, credit)


# --- receiving a payment -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingPayment:
    """Everything known about money received, before it gets its receipt number."""

    customer_id: int
    contract_id: int | None
    amount: int
    currency: str
    method: str
    purpose: str
    channel: str
    received_at: dt.datetime
    business_date: dt.date
    agency_id: int | None
    series: str
    created_by: str
    cash_session_id: int | None = None
    cheque_number: str | None = None
    cheque_bank: str | None = None
    partner: str | None = None
    partner_reference: str | None = None
    idempotency_key: str | None = None


def plan_for(
    *,
    session: Session,
    incoming: IncomingPayment,
    rule: str,
    invoice_numbers: Sequence[str] | None = None,
    allow_overpayment: bool = True,
) -> AllocationPlan:
    """How an incoming payment would be matched, refusing an over-payment when they are not accepted (reads only).

    Deposits and advances are not matched to invoices when received.
    """
    if incoming.purpose in ("deposit", "advance"):
        return AllocationPlan(amount=incoming.amount)
    plan = plan_allocation(
        session=session,
        customer_id=incoming.customer_id,
        amount=incoming.amount,
        rule=rule,
        contract_id=incoming.contract_id,
        invoice_numbers=invoice_numbers,
    )
    check_overpayment(
        session=session,
        customer_id=incoming.customer_id,
        plan=plan,
        allow_overpayment=allow_overpayment,
        currency=incoming.currency,
    )
    return plan


def receive_payment(
    *,
    session: Session,
    incoming: IncomingPayment,
    rule: str,
    invoice_numbers: Sequence[str] | None = None,
    allow_overpayment: bool = True,
) -> tuple[Payment, AllocationPlan]:
    """Record a payment with its receipt number, ledger entry and allocations, in the caller's transaction.

    The caller has locked the customer (:func:`lock_customers`); the receipt number is taken last, so the
    numbering series stays locked only for the few inserts that follow.
    """
    plan = plan_for(
        session=session,
        incoming=incoming,
        rule=rule,
        invoice_numbers=invoice_numbers,
        allow_overpayment=allow_overpayment,
    )
    now = utcnow()
    values = {
        "series": incoming.series,
        "customer_id": incoming.customer_id,
        "contract_id": incoming.contract_id,
        "agency_id": incoming.agency_id,
        "amount": incoming.amount,
        "currency": incoming.currency,
        "method": incoming.method,
        "purpose": incoming.purpose,
        "channel": incoming.channel,
        "received_at": incoming.received_at,
        "business_date": incoming.business_date,
        "cash_session_id": incoming.cash_session_id,
        "partner": incoming.partner,
        "partner_reference": incoming.partner_reference,
        "cheque_number": incoming.cheque_number,
        "cheque_bank": incoming.cheque_bank,
        "status": "posted",
        "status_reason": None,
        "idempotency_key": incoming.idempotency_key,
        "created_by": incoming.created_by,
        "created_at": now,
        "updated_at": now,
    }
    if session.get_bind().dialect.name == "postgresql":
        payment_id, number = _write_payment_postgresql(session, values, plan)
        return Payment(
            id=payment_id, receipt_number=receipt_number(incoming.series, number), sequence_number=number, **values
        ), plan
    number = next_number(session=session, series=incoming.series)
    values |= {"receipt_number": receipt_number(incoming.series, number), "sequence_number": number}
    # A plain INSERT: this path runs for every payment, and the ORM's unit of work would cost more than the SQL.
    payment_id = session.execute(_INSERT_PAYMENT, values).scalar_one()
    payment = Payment(id=payment_id, **values)
    apply_plan(session=session, payment=payment, plan=plan)
    return payment, plan


def _received_payment_statement():
    """One PostgreSQL statement for what follows the matching: the next receipt number of the series (the series
    row stays locked until the commit), the payment, its ledger entry and its allocations.

    The same writes as :func:`next_number`, the payment insert and :func:`apply_plan`, in one round trip: the
    series is locked for a single statement and the commit instead of four. Returns no row when the series does
    not exist yet.
    """
    payments, entries, allocations = Payment.__table__, LedgerEntry.__table__, Allocation.__table__
    now = bindparam("now", type_=payments.c.created_at.type)
    number = INCREMENT.cte("number")
    digits = cast(number.c.last_number, Text)
    numbered = {
        # The SQL spelling of :func:`receipt_number`.
        "receipt_number": bindparam("series_name", type_=payments.c.series.type)
        + literal_column("'-'")
        + func.lpad(digits, func.greatest(literal_column("7"), func.length(digits)), literal_column("'0'")),
        "sequence_number": number.c.last_number,
    }
    columns = [column for column in payments.c if column.name != "id"]
    paid = (
        insert(payments)
        .from_select(
            [column.name for column in columns],
            select(
                *[
                    numbered.get(column.name, bindparam(f"payment_{column.name}", type_=column.type))
                    for column in columns
                ]
            ).select_from(number),
        )
        .returning(payments.c.id, payments.c.sequence_number, payments.c.receipt_number)
        .cte("paid")
    )
    entry_columns = [column for column in entries.c if column.name != "id"]
    from_paid = {
        "payment_id": paid.c.id,
        "description": bindparam("entry_label", type_=entries.c.description.type)
        + literal_column("' reçu n° '")
        + paid.c.receipt_number,
    }
    entry = insert(entries).from_select(
        [column.name for column in entry_columns],
        select(
            *[
                from_paid.get(column.name, bindparam(f"entry_{column.name}", type_=column.type))
                for column in entry_columns
            ]
        ).select_from(paid),
    )
    lines = (
        func.unnest(bindparam("invoice_ids", type_=ARRAY(BigInteger)), bindparam("amounts", type_=ARRAY(BigInteger)))
        .table_valued("invoice_id", "amount")
        .render_derived(name="line")
    )
    allocated = insert(allocations).from_select(
        ["invoice_id", "payment_id", "amount", "allocated_on", "created_at", "updated_at"],
        select(
            lines.c.invoice_id,
            paid.c.id,
            lines.c.amount,
            bindparam("payment_business_date", type_=allocations.c.allocated_on.type),
            now,
            now,
        ).select_from(paid.join(lines, true())),
    )
    return select(paid.c.id, paid.c.sequence_number).add_cte(entry.cte("entry"), allocated.cte("allocated"))


_RECEIVED_PAYMENT = _received_payment_statement()


def _write_payment_postgresql(session: Session, values: dict, plan: AllocationPlan) -> tuple[int, int]:
    """Number and write a payment with its ledger entry and allocations in one statement; (id, number)."""
    entry = entry_values(
        customer_id=values["customer_id"],
        contract_id=values["contract_id"],
        entry_date=values["business_date"],
        kind="payment",
        amount=-values["amount"],
        description="",
        created_by=values["created_by"],
    )
    parameters = {f"payment_{name}": value for name, value in values.items()}
    parameters |= {f"entry_{name}": value for name, value in entry.items()}
    parameters |= {
        "series_name": values["series"],
        "now": values["created_at"],
        "entry_label": _payment_label(values["purpose"]),
        "invoice_ids": [line.invoice_id for line in plan.lines],
        "amounts": [line.amount for line in plan.lines],
    }
    row = session.execute(_RECEIVED_PAYMENT, parameters).first()
    if row is None:
        create_series(session=session, series=values["series"])
        row = session.execute(_RECEIVED_PAYMENT, parameters).one()
    return row.id, row.sequence_number


def payment_allocations(*, session: Session, payment_id: int) -> list[tuple[str, dt.date, int]]:
    """The allocations of a payment as (invoice number, due date, amount), reversals included (negative)."""
    rows = session.execute(
        select(Invoice.number, Invoice.due_date, Allocation.amount)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .where(Allocation.payment_id == payment_id)
        .order_by(Allocation.id)
    )
    return [(number, due_date, amount) for number, due_date, amount in rows]
