"""Cheque deposit slips (*remises de chèques*), bank deposits of cash (*reversements*), cash not yet deposited,
and the supervisor's view of every desk."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from operational_api.accounts.models import Payment
from operational_api.audit import service as audit
from operational_api.auth.principal import Principal
from operational_api.cashdesk.exceptions import DepositOverUndepositedError, NothingToDepositError
from operational_api.cashdesk.models import BankDeposit, BankDepositItem, CashSession, ChequeDeposit, ChequeDepositItem
from operational_api.cashdesk.service import agency_label, business_date, find_agency, session_figures
from operational_api.concurrency import next_number
from operational_api.customers.models import Customer
from operational_api.documents import format_money
from operational_api.errors import ApiError
from operational_api.organization.models import Agency
from yeelen.settings import Settings


def create_cheque_deposit(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    agency_code: str,
    bank: str,
    receipt_numbers: Sequence[str] | None,
) -> tuple[ChequeDeposit, list[Payment]]:
    """Put cheques on a deposit slip: the given ones, or every posted cheque of the agency not on a slip yet."""
    agency = find_agency(session, principal, agency_code)
    deposited = select(ChequeDepositItem.payment_id)
    statement = select(Payment).where(
        Payment.agency_id == agency.id,
        Payment.method == "cheque",
        Payment.status == "posted",
        Payment.id.not_in(deposited),
    )
    if receipt_numbers:
        wanted = list(dict.fromkeys(receipt_numbers))
        payments = list(session.scalars(statement.where(Payment.receipt_number.in_(wanted))))
        found = {payment.receipt_number for payment in payments}
        missing = [number for number in wanted if number not in found]
        if missing:
            raise NothingToDepositError(
                f"These receipts are not posted cheques of agency {agency_code} waiting for a slip: "
                + ", ".join(missing[:10])
            )
    else:
        payments = list(session.scalars(statement.order_by(Payment.received_at)))
    if not payments:
        raise NothingToDepositError(f"No cheque of agency {agency_code} is waiting to be deposited.")
    today = business_date(settings)
    number = next_number(session=session, series=f"C{today.year}-{agency_label(agency)}")
    deposit = ChequeDeposit(
        reference=f"C{today.year}-{agency_label(agency)}-{number:06d}",
        agency_id=agency.id,
        bank=bank,
        deposit_date=today,
        cheque_count=len(payments),
        total=sum(payment.amount for payment in payments),
        created_by=principal.login,
    )
    session.add(deposit)
    session.flush()
    session.add_all(
        [ChequeDepositItem(deposit_id=deposit.id, payment_id=payment.id, amount=payment.amount) for payment in payments]
    )
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.cheque_deposit.create",
        entity="cheque_deposit",
        entity_key=deposit.reference,
        after=audit.snapshot(deposit) | {"receipts": [payment.receipt_number for payment in payments]},
        agency_id=agency.id,
    )
    return deposit, payments


def find_cheque_deposit(
    *, session: Session, principal: Principal, reference: str
) -> tuple[ChequeDeposit, list[tuple[Payment, str]]]:
    """A slip with its cheques and their customers' references."""
    deposit = session.scalar(select(ChequeDeposit).where(ChequeDeposit.reference == reference))
    if deposit is None:
        raise ApiError(f"No cheque deposit slip {reference!r}.", code="unknown_deposit", status_code=404)
    principal.check_agency(deposit.agency_id, f"Slip {reference}")
    rows = session.execute(
        select(Payment, Customer.reference)
        .join(ChequeDepositItem, ChequeDepositItem.payment_id == Payment.id)
        .join(Customer, Customer.id == Payment.customer_id)
        .where(ChequeDepositItem.deposit_id == deposit.id)
        .order_by(Payment.receipt_number)
    )
    return deposit, [(payment, customer) for payment, customer in rows]


def _undeposited_rows(session: Session, agency_ids: Sequence[int] | None, lock: bool = False):
    deposited = (
        select(func.coalesce(func.sum(BankDepositItem.amount), 0))
        .where(BankDepositItem.session_id == CashSession.id)
        .correlate(CashSession)
        .scalar_subquery()
    )
    statement = (
        select(CashSession, deposited.label("deposited"))
        .where(CashSession.status == "closed", CashSession.counted_cash > deposited)
        .order_by(CashSession.business_date, CashSession.id)
    )
    if agency_ids is not None:
        statement = statement.where(CashSession.agency_id.in_(agency_ids))
    if lock:
        statement = statement.with_for_update(of=CashSession)
    return [(cash_session, int(amount)) for cash_session, amount in session.execute(statement)]


def create_bank_deposit(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    agency_code: str,
    bank: str,
    bank_reference: str | None,
    amount: int,
    session_ids: Sequence[int] | None,
) -> tuple[BankDeposit, list[tuple[int, int]]]:
    """Pay cash of closed sessions into the bank: taken from the given sessions, or the oldest first."""
    agency = find_agency(session, principal, agency_code)
    rows = _undeposited_rows(session, [agency.id], lock=True)
    if session_ids:
        wanted = set(session_ids)
        rows = [row for row in rows if row[0].id in wanted]
    available = sum(cash_session.counted_cash - deposited for cash_session, deposited in rows)
    if available <= 0:
        raise NothingToDepositError(f"Agency {agency_code} has no cash of closed sessions waiting to be deposited.")
    if amount > available:
        raise DepositOverUndepositedError(
            format_money(amount, settings.currency), format_money(available, settings.currency)
        )
    today = business_date(settings)
    number = next_number(session=session, series=f"V{today.year}-{agency_label(agency)}")
    deposit = BankDeposit(
        reference=f"V{today.year}-{agency_label(agency)}-{number:06d}",
        agency_id=agency.id,
        bank=bank,
        bank_reference=bank_reference,
        deposit_date=today,
        amount=amount,
        created_by=principal.login,
    )
    session.add(deposit)
    session.flush()
    left = amount
    parts = []
    for cash_session, deposited in rows:
        if left <= 0:
            break
        part = min(left, cash_session.counted_cash - deposited)
        session.add(BankDepositItem(deposit_id=deposit.id, session_id=cash_session.id, amount=part))
        parts.append((cash_session.id, part))
        left -= part
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.bank_deposit.create",
        entity="bank_deposit",
        entity_key=deposit.reference,
        after=audit.snapshot(deposit) | {"sessions": parts},
        agency_id=agency.id,
    )
    return deposit, parts


def undeposited_cash(
    *, session: Session, principal: Principal, settings: Settings, agency_code: str | None
) -> list[tuple[CashSession, str, int]]:
    """Closed sessions whose counted cash is not all in the bank yet, oldest first."""
    agency_ids = principal.agency_ids
    if agency_code:
        agency_ids = frozenset({find_agency(session, principal, agency_code).id})
    codes = dict(session.execute(select(Agency.id, Agency.code)).all())
    return [
        (cash_session, codes[cash_session.agency_id], deposited)
        for cash_session, deposited in _undeposited_rows(session, list(agency_ids) if agency_ids is not None else None)
    ]


@dataclass(frozen=True)
class AgencyCash:
    agency_code: str
    open_sessions: int
    totals: list[tuple[str, int, int]]
    undeposited: int
    undeposited_earlier_days: int


def supervision(
    *, session: Session, principal: Principal, settings: Settings, day: dt.date | None
) -> tuple[dt.date, list[CashSession], list[AgencyCash]]:
    """Every desk of the caller's agencies on a day: sessions, amounts by means of payment, cash not deposited."""
    day = day or business_date(settings)
    statement = select(CashSession).where(CashSession.business_date == day).order_by(CashSession.id)
    if principal.agency_ids is not None:
        statement = statement.where(CashSession.agency_id.in_(principal.agency_ids))
    sessions = list(session.scalars(statement))
    codes = dict(session.execute(select(Agency.id, Agency.code)).all())
    by_agency: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    open_count: dict[int, int] = defaultdict(int)
    figures = session_figures(session=session, session_ids=[item.id for item in sessions])
    for cash_session in sessions:
        open_count[cash_session.agency_id] += cash_session.status == "open"
        for method, count, amount in figures[cash_session.id].totals:
            total = by_agency[cash_session.agency_id][method]
            total[0] += count
            total[1] += amount
    undeposited: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    agency_ids = list(principal.agency_ids) if principal.agency_ids is not None else None
    for cash_session, deposited in _undeposited_rows(session, agency_ids):
        left = cash_session.counted_cash - deposited
        undeposited[cash_session.agency_id][0] += left
        if cash_session.business_date < day:
            undeposited[cash_session.agency_id][1] += left
    agencies = sorted(set(by_agency) | set(undeposited) | set(open_count), key=lambda agency_id: codes[agency_id])
    return (
        day,
        sessions,
        [
            AgencyCash(
                agency_code=codes[agency_id],
                open_sessions=open_count.get(agency_id, 0),
                totals=[(method, count, amount) for method, (count, amount) in sorted(by_agency[agency_id].items())],
                undeposited=undeposited[agency_id][0],
                undeposited_earlier_days=undeposited[agency_id][1],
            )
            for agency_id in agencies
        ],
    )
