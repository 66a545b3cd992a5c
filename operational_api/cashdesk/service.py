"""The cash desk: sessions and cash counts, payments (preview then confirm), receipts, cancellations, bounced
cheques and cheque bars. Deposits and the supervisor's view are in ``deposits.py``, offline desks in ``offline.py``.

Functions add to the request's unit of work and never commit. Concurrency: a payment takes a shared lock on its
cash session (so the session cannot close under it) and a lock on the customer (so two desks never allocate the
same open amount twice); receipt numbers come from a gapless series per agency and year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from operational_api.accounts import service as accounts
from operational_api.accounts.models import Payment
from operational_api.audit import service as audit
from operational_api.auth.exceptions import UnknownAgencyError
from operational_api.auth.principal import Principal
from operational_api.auth.rights import Role
from operational_api.cashdesk.exceptions import (
    BadCashCountError,
    BarNotFoundError,
    ChequeBarredError,
    ChequeDetailsRequiredError,
    IdempotencyConflictError,
    NoOpenSessionError,
    NotAChequeError,
    NotYourSessionError,
    PaymentNotFoundError,
    PaymentNotPostedError,
    PreviousSessionOpenError,
    SessionAmbiguousError,
    SessionClosedError,
    SessionExistsError,
    SessionNotFoundError,
)
from operational_api.cashdesk.models import (
    BankDepositItem,
    CashCountLine,
    CashSession,
    ChequeBar,
    ReceiptPrint,
)
from operational_api.cashdesk.schemas import CountLineIn, PaymentIn
from operational_api.concurrency import lock_customers
from operational_api.config import Policy
from operational_api.customers import service as customers
from operational_api.customers.models import Contract, Customer
from operational_api.db import local_date, utcnow
from operational_api.organization.models import Agency
from yeelen.settings import CURRENCY_PRECISION, Settings

# Notes and coins of the CFA franc (BCEAO and BEAC); other currencies accept any face value.
DENOMINATIONS = {
    "XOF": {"note": (10000, 5000, 2000, 1000, 500), "coin": (500, 250, 200, 100, 50, 25, 10, 5, 1)},
    "XAF": {"note": (10000, 5000, 2000, 1000, 500), "coin": (500, 100, 50, 25, 10, 5, 2, 1)},
}
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER, Role.ADMIN})


def business_date(settings: Settings, moment: dt.datetime | None = None) -> dt.date:
    """The local business day of a moment (now by default) in the utility's time zone."""
    return local_date(settings.timezone, moment)


def agency_label(agency: Agency) -> str:
    """The agency as it appears in series and numbers (its code, or ``A<id>`` for a long code)."""
    return agency.code if len(agency.code) <= 12 else f"A{agency.id}"


def receipt_series(agency: Agency, day: dt.date) -> str:
    """The receipt series of an agency's desks for a year, e.g. ``R2026-PLT``."""
    return f"R{day.year}-{agency_label(agency)}"


def find_agency(session: Session, principal: Principal, code: str) -> Agency:
    """The agency with this code, within the caller's agencies."""
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise UnknownAgencyError(code)
    principal.check_agency(agency.id, f"Agency {code}")
    return agency


# --- sessions --------------------------------------------------------------------------------------------------------


def open_session(*, session: Session, principal: Principal, settings: Settings, agency_code: str) -> CashSession:
    """Open the cashier's session for today in an agency; one per cashier, day and agency."""
    agency = find_agency(session, principal, agency_code)
    today = business_date(settings)
    earlier = session.scalar(
        select(CashSession.business_date)
        .where(
            CashSession.user_id == principal.id,
            CashSession.status == "open",
            CashSession.business_date < today,
        )
        .order_by(CashSession.business_date)
        .limit(1)
    )
    if earlier is not None:
        raise PreviousSessionOpenError(earlier)
    cash_session = CashSession(
        user_id=principal.id,
        cashier=principal.login,
        agency_id=agency.id,
        business_date=today,
        status="open",
        opened_at=utcnow(),
        workstation=principal.workstation,
    )
    try:
        with session.begin_nested():
            session.add(cash_session)
    except IntegrityError:
        raise SessionExistsError(today, agency.code) from None
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.session.open",
        entity="cash_session",
        entity_key=cash_session.id,
        after=audit.snapshot(cash_session),
        agency_id=agency.id,
    )
    return cash_session


def find_session(*, session: Session, principal: Principal, session_id: int) -> CashSession:
    """A session the caller may see: a cashier their own, a supervisor any of their agencies."""
    cash_session = session.get(CashSession, session_id)
    if cash_session is None:
        raise SessionNotFoundError(session_id)
    principal.check_agency(cash_session.agency_id, f"Cash session {session_id}")
    if principal.role not in SUPERVISING_ROLES and cash_session.user_id != principal.id:
        raise NotYourSessionError()
    return cash_session


_SESSIONS = (
    select(CashSession, Agency)
    .join(Agency, Agency.id == CashSession.agency_id)
    .where(CashSession.user_id == bindparam("user_id"), CashSession.business_date == bindparam("day"))
)
_LOCKED_SESSIONS = _SESSIONS.with_for_update(read=True, key_share=True, of=CashSession)


def current_session(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    session_id: int | None = None,
    lock: bool = False,
) -> tuple[CashSession, Agency]:
    """The caller's open session of today (the one named when several are open), with its agency.

    With ``lock`` the session is held open until the transaction ends (``FOR KEY SHARE``): closing it waits for
    the payments in flight, and payments wait for a closing in flight, then see the session closed.
    """
    today = business_date(settings)
    statement = _LOCKED_SESSIONS if lock else _SESSIONS
    if session_id is not None:
        statement = statement.where(CashSession.id == session_id)
    rows = session.execute(statement, {"user_id": principal.id, "day": today}).all()
    if not rows:
        raise NoOpenSessionError()
    open_ones = [(cash_session, agency) for cash_session, agency in rows if cash_session.status == "open"]
    if not open_ones:
        raise SessionClosedError(today)
    if len(open_ones) > 1:
        raise SessionAmbiguousError()
    return open_ones[0]


@dataclass(frozen=True)
class SessionFigures:
    totals: list[tuple[str, int, int]]
    cancelled_count: int
    cancelled_amount: int
    expected_cash: int
    deposited: int


def session_figures(*, session: Session, session_ids: Sequence[int]) -> dict[int, SessionFigures]:
    """Totals by means of payment, cancellations, expected cash and deposited cash of sessions."""
    if not session_ids:
        return {}
    totals: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    cancelled: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    rows = session.execute(
        select(Payment.cash_session_id, Payment.method, Payment.status, func.count(), func.sum(Payment.amount))
        .where(Payment.cash_session_id.in_(session_ids))
        .group_by(Payment.cash_session_id, Payment.method, Payment.status)
        .order_by(Payment.cash_session_id, Payment.method)
    )
    for session_id, method, status, count, amount in rows:
        if status == "posted":
            totals[session_id].append((method, int(count), int(amount)))
        else:
            previous = cancelled[session_id]
            cancelled[session_id] = (previous[0] + int(count), previous[1] + int(amount))
    deposited = dict(
        session.execute(
            select(BankDepositItem.session_id, func.sum(BankDepositItem.amount))
            .where(BankDepositItem.session_id.in_(session_ids))
            .group_by(BankDepositItem.session_id)
        ).all()
    )
    return {
        session_id: SessionFigures(
            totals=totals[session_id],
            cancelled_count=cancelled[session_id][0],
            cancelled_amount=cancelled[session_id][1],
            expected_cash=sum(amount for method, _, amount in totals[session_id] if method == "cash"),
            deposited=int(deposited.get(session_id, 0) or 0),
        )
        for session_id in session_ids
    }


def close_session(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    session_id: int,
    count: Sequence[CountLineIn],
    note: str | None,
) -> CashSession:
    """Close a session with its cash count (*billetage*); the difference with the expected cash is recorded."""
    cash_session = find_session(session=session, principal=principal, session_id=session_id)
    # The exclusive lock waits for payments in flight (they hold a shared lock), so the count sees all of them.
    session.execute(select(CashSession.id).where(CashSession.id == session_id).with_for_update()).all()
    session.refresh(cash_session)
    if cash_session.status != "open":
        raise SessionClosedError(cash_session.business_date)
    lines = _count_lines(count, settings.currency)
    expected = session_figures(session=session, session_ids=[session_id])[session_id].expected_cash
    counted = sum(line.amount for line in lines)
    before = audit.snapshot(cash_session)
    cash_session.status = "closed"
    cash_session.closed_at = utcnow()
    cash_session.closed_by = principal.login
    cash_session.expected_cash = expected
    cash_session.counted_cash = counted
    cash_session.cash_difference = counted - expected
    cash_session.closing_note = note
    for line in lines:
        line.session_id = session_id
    session.add_all(lines)
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.session.close",
        entity="cash_session",
        entity_key=session_id,
        before=before,
        after=audit.snapshot(cash_session)
        | {"count": [(line.kind, line.denomination, line.quantity) for line in lines]},
        agency_id=cash_session.agency_id,
    )
    return cash_session


def _count_lines(count: Sequence[CountLineIn], currency: str) -> list[CashCountLine]:
    allowed = DENOMINATIONS.get(currency)
    scale = 10 ** CURRENCY_PRECISION.get(currency, 0)
    seen: set[tuple[str, int]] = set()
    lines = []
    for line in count:
        key = (line.kind, line.denomination)
        if key in seen:
            raise BadCashCountError(f"The {line.kind} of {line.denomination} appears twice in the cash count.")
        seen.add(key)
        if allowed is not None and line.denomination not in allowed[line.kind]:
            faces = ", ".join(str(value) for value in allowed[line.kind])
            raise BadCashCountError(
                f"There is no {line.kind} of {line.denomination} {currency}; {line.kind}s are {faces}."
            )
        lines.append(
            CashCountLine(
                kind=line.kind,
                denomination=line.denomination,
                quantity=line.quantity,
                amount=line.denomination * line.quantity * scale,
            )
        )
    return lines


def count_lines(*, session: Session, session_id: int) -> list[CashCountLine]:
    """The cash count of a closed session, notes first, largest first."""
    return list(
        session.scalars(
            select(CashCountLine)
            .where(CashCountLine.session_id == session_id)
            .order_by(CashCountLine.kind.desc(), CashCountLine.denomination.desc())
        )
    )


# --- payments --------------------------------------------------------------------------------------------------------


def active_bar(*, session: Session, customer_id: int) -> ChequeBar | None:
    """The customer's cheque bar in force, if any."""
    return session.scalar(
        select(ChequeBar)
        .where(ChequeBar.customer_id == customer_id, ChequeBar.lifted_at.is_(None))
        .order_by(ChequeBar.barred_at)
        .limit(1)
    )


def check_method(session: Session, customer_id: int, request: PaymentIn) -> None:
    """Refuse a cheque without its details, or from a customer barred from cheques."""
    if request.method != "cheque":
        return
    if not request.cheque_number or not request.cheque_bank:
        raise ChequeDetailsRequiredError()
    bar = active_bar(session=session, customer_id=customer_id)
    if bar is not None:
        raise ChequeBarredError(bar.barred_at)


def incoming_payment(
    *,
    request: PaymentIn,
    customer: Customer,
    contract: Contract | None,
    agency: Agency,
    settings: Settings,
    principal: Principal,
    received_at: dt.datetime,
    channel: str,
    cash_session_id: int | None,
    idempotency_key: str | None,
) -> accounts.IncomingPayment:
    """The incoming payment of a desk request, in the series of the agency and year of its business date."""
    day = business_date(settings, received_at)
    return accounts.IncomingPayment(
        customer_id=customer.id,
        contract_id=contract.id if contract else None,
        amount=request.amount,
        currency=settings.currency,
        method=request.method,
        purpose=request.purpose,
        channel=channel,
        received_at=received_at,
        business_date=day,
        agency_id=agency.id,
        series=receipt_series(agency, day),
        created_by=principal.login,
        cash_session_id=cash_session_id,
        cheque_number=request.cheque_number if request.method == "cheque" else None,
        cheque_bank=request.cheque_bank if request.method == "cheque" else None,
        partner_reference=None,
        idempotency_key=idempotency_key,
    )


@dataclass(frozen=True)
class Preview:
    customer: Customer
    contract: Contract | None
    plan: accounts.AllocationPlan
    rule: str
    amount_due: int


def preview_payment(
    *, session: Session, principal: Principal, settings: Settings, policy: Policy, request: PaymentIn
) -> Preview:
    """How a payment would be matched, with the refusals it would meet; nothing is written."""
    cash_session, agency = current_session(
        session=session, principal=principal, settings=settings, session_id=request.cash_session_id
    )
    customer, contract = customers.resolve_payer(
        session=session,
        principal=principal,
        customer_reference=request.customer_reference,
        contract_reference=request.contract_reference,
    )
    check_method(session, customer.id, request)
    rule = request.rule or policy.matching_rule
    incoming = incoming_payment(
        request=request,
        customer=customer,
        contract=contract,
        agency=agency,
        settings=settings,
        principal=principal,
        received_at=utcnow(),
        channel="cash_desk",
        cash_session_id=cash_session.id,
        idempotency_key=None,
    )
    plan = accounts.plan_for(
        session=session,
        incoming=incoming,
        rule=rule,
        invoice_numbers=request.invoice_numbers,
        allow_overpayment=policy.allow_overpayment,
    )
    due = accounts.amount_due(session=session, customer_id=customer.id)
    return Preview(customer, contract, plan, rule, due)


def fingerprint(payment: Payment) -> tuple:
    """What must be equal for a replay with the same idempotency key to be the same payment."""
    return (payment.customer_id, payment.contract_id, payment.amount, payment.method, payment.purpose)


_PAYMENT_BY_KEY = select(Payment.__table__.c.id).where(Payment.__table__.c.idempotency_key == bindparam("key"))


def existing_by_key(session: Session, key: str) -> Payment | None:
    """The payment recorded with this idempotency key, if any."""
    # A plain query first (the key is new for nearly every payment); the payment is loaded only when found.
    payment_id = session.execute(_PAYMENT_BY_KEY, {"key": key}).scalar_one_or_none()
    return session.get(Payment, payment_id) if payment_id is not None else None


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    plan: accounts.AllocationPlan | None
    replayed: bool
    customer: Customer
    contract: Contract | None
    agency_code: str | None


def record_payment(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    policy: Policy,
    request: PaymentIn,
    idempotency_key: str | None = None,
) -> Recorded:
    """Record a payment at the desk: checks, matching, gapless receipt number, ledger, audit.

    Locks, always in this order: the customer, then the cash session (shared), then the numbering series. With an
    idempotency key, the same request sent again returns the payment recorded the first time (checked once the
    customer is locked, so a concurrent twin is seen), and the same key with another content is refused.
    """
    customer, contract = customers.resolve_payer(
        session=session,
        principal=principal,
        customer_reference=request.customer_reference,
        contract_reference=request.contract_reference,
        lock=True,
    )
    if idempotency_key:
        existing = existing_by_key(session, idempotency_key)
        if existing is not None:
            wanted = (customer.id, contract.id if contract else None, request.amount, request.method, request.purpose)
            if fingerprint(existing) != wanted:
                raise IdempotencyConflictError(idempotency_key)
            return Recorded(existing, None, True, customer, contract, None)
    check_method(session, customer.id, request)
    cash_session, agency = current_session(
        session=session, principal=principal, settings=settings, session_id=request.cash_session_id, lock=True
    )
    incoming = incoming_payment(
        request=request,
        customer=customer,
        contract=contract,
        agency=agency,
        settings=settings,
        principal=principal,
        received_at=utcnow(),
        channel="cash_desk",
        cash_session_id=cash_session.id,
        idempotency_key=idempotency_key,
    )
    payment, plan = accounts.receive_payment(
        session=session,
        incoming=incoming,
        rule=request.rule or policy.matching_rule,
        invoice_numbers=request.invoice_numbers,
        allow_overpayment=policy.allow_overpayment,
    )
    audit_payment(session, principal, "cashdesk.payment.create", payment, plan)
    return Recorded(payment, plan, False, customer, contract, agency.code)


def audit_payment(
    session: Session, principal: Principal, action: str, payment: Payment, plan: accounts.AllocationPlan | None
) -> None:
    """The audit event of a recorded payment, with its allocations."""
    after = audit.snapshot(payment)
    if plan is not None:
        after["allocations"] = [(line.invoice_number, line.amount) for line in plan.lines]
        after["unallocated"] = plan.remainder
    audit.record(
        session=session,
        principal=principal,
        action=action,
        entity="payment",
        entity_key=payment.receipt_number,
        after=after,
        agency_id=payment.agency_id,
    )


def find_payment(*, session: Session, principal: Principal, receipt_number: str) -> Payment:
    """A payment by receipt number, within the caller's agencies."""
    payment = session.scalar(select(Payment).where(Payment.receipt_number == receipt_number))
    if payment is None:
        raise PaymentNotFoundError(receipt_number)
    customer_agency = session.scalar(select(Customer.agency_id).where(Customer.id == payment.customer_id))
    if not (principal.sees_agency(payment.agency_id) or principal.sees_agency(customer_agency)):
        principal.check_agency(payment.agency_id, f"Payment {receipt_number}")
    return payment


def _lock_payment(session: Session, payment: Payment) -> None:
    # Customer first, then the payment: the order every writer follows, so two writers never deadlock.
    lock_customers(session=session, customer_ids=[payment.customer_id])
    session.execute(select(Payment.id).where(Payment.id == payment.id).with_for_update()).all()
    session.refresh(payment)


def cancel_payment(
    *, session: Session, principal: Principal, settings: Settings, receipt_number: str, reason: str
) -> Payment:
    """Cancel a payment by a reversing entry (status, ``payment_reversal`` entry, negative allocations).

    A cash desk payment can only be cancelled while its session is open: the cash goes back from that drawer.
    """
    payment = find_payment(session=session, principal=principal, receipt_number=receipt_number)
    _lock_payment(session, payment)
    if payment.status != "posted":
        raise PaymentNotPostedError(receipt_number, payment.status)
    if payment.cash_session_id is not None:
        cash_session = session.get(CashSession, payment.cash_session_id)
        session.execute(
            select(CashSession.id).where(CashSession.id == cash_session.id).with_for_update(read=True, key_share=True)
        ).all()
        session.refresh(cash_session)
        if cash_session.status != "open":
            raise SessionClosedError(cash_session.business_date)
    before = audit.snapshot(payment)
    accounts.reverse_payment(
        session=session,
        payment=payment,
        status="cancelled",
        reason=reason,
        entry_date=business_date(settings),
        created_by=principal.login,
    )
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.payment.cancel",
        entity="payment",
        entity_key=receipt_number,
        before=before,
        after=audit.snapshot(payment),
        agency_id=payment.agency_id,
    )
    return payment


def bounce_cheque(
    *, session: Session, principal: Principal, settings: Settings, policy: Policy, receipt_number: str, reason: str
) -> tuple[Payment, int, ChequeBar]:
    """A cheque came back unpaid: the payment is reversed, a fee charged, the customer barred from cheques."""
    payment = find_payment(session=session, principal=principal, receipt_number=receipt_number)
    if payment.method != "cheque":
        raise NotAChequeError(receipt_number)
    _lock_payment(session, payment)
    if payment.status != "posted":
        raise PaymentNotPostedError(receipt_number, payment.status)
    before = audit.snapshot(payment)
    today = business_date(settings)
    accounts.reverse_payment(
        session=session, payment=payment, status="bounced", reason=reason, entry_date=today, created_by=principal.login
    )
    fee = policy.bounced_cheque_fee
    if fee > 0:
        accounts.add_entry(
            session=session,
            customer_id=payment.customer_id,
            contract_id=payment.contract_id,
            entry_date=today,
            kind="fee",
            amount=fee,
            payment_id=payment.id,
            description=f"Frais de chèque impayé n° {payment.cheque_number} (reçu {receipt_number})",
            created_by=principal.login,
        )
    bar = ChequeBar(
        customer_id=payment.customer_id,
        payment_id=payment.id,
        reason=reason,
        barred_at=utcnow(),
        barred_by=principal.login,
    )
    session.add(bar)
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.cheque.bounce",
        entity="payment",
        entity_key=receipt_number,
        before=before,
        after=audit.snapshot(payment) | {"fee": fee, "bar_id": bar.id},
        agency_id=payment.agency_id,
    )
    return payment, fee, bar


def list_bars(
    *, session: Session, principal: Principal, customer_reference: str | None, include_lifted: bool
) -> list[tuple[ChequeBar, str, str | None]]:
    """Cheque bars (in force unless ``include_lifted``), with the customer reference and the bounced receipt."""
    statement = (
        select(ChequeBar, Customer.reference, Payment.receipt_number)
        .join(Customer, Customer.id == ChequeBar.customer_id)
        .outerjoin(Payment, Payment.id == ChequeBar.payment_id)
        .order_by(ChequeBar.barred_at.desc())
        .limit(500)
    )
    if customer_reference:
        customer = customers.find_customer(session=session, reference=customer_reference, principal=principal)
        statement = statement.where(ChequeBar.customer_id == customer.id)
    elif principal.agency_ids is not None:
        statement = statement.where(Customer.agency_id.in_(principal.agency_ids))
    if not include_lifted:
        statement = statement.where(ChequeBar.lifted_at.is_(None))
    return [(bar, reference, receipt) for bar, reference, receipt in session.execute(statement)]


def lift_bar(*, session: Session, principal: Principal, bar_id: int, reason: str) -> tuple[ChequeBar, str, str | None]:
    """Lift a cheque bar (a supervisor's decision, kept with its reason)."""
    bar = session.scalar(select(ChequeBar).where(ChequeBar.id == bar_id).with_for_update())
    if bar is None or bar.lifted_at is not None:
        raise BarNotFoundError(bar_id)
    customer = session.get(Customer, bar.customer_id)
    principal.check_agency(customer.agency_id, f"Customer {customer.reference}")
    before = audit.snapshot(bar)
    bar.lifted_at = utcnow()
    bar.lifted_by = principal.login
    bar.lift_reason = reason
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.cheque_bar.lift",
        entity="cheque_bar",
        entity_key=bar.id,
        before=before,
        after=audit.snapshot(bar),
        agency_id=customer.agency_id,
    )
    receipt = session.scalar(select(Payment.receipt_number).where(Payment.id == bar.payment_id))
    return bar, customer.reference, receipt


def print_receipt(*, session: Session, principal: Principal, receipt_number: str) -> tuple[Payment, bool]:
    """Record a print of a receipt: the first is the original, the next ones are duplicates."""
    payment = find_payment(session=session, principal=principal, receipt_number=receipt_number)
    # Two desks printing at once must not both get the original.
    session.execute(select(Payment.id).where(Payment.id == payment.id).with_for_update()).all()
    printed = session.scalar(
        select(func.count()).select_from(ReceiptPrint).where(ReceiptPrint.payment_id == payment.id)
    )
    duplicate = printed > 0
    session.add(
        ReceiptPrint(
            payment_id=payment.id,
            printed_at=utcnow(),
            printed_by=principal.login,
            duplicate=duplicate,
            workstation=principal.workstation,
        )
    )
    audit.record(
        session=session,
        principal=principal,
        action="cashdesk.receipt.print",
        entity="payment",
        entity_key=receipt_number,
        after={"duplicate": duplicate, "print": printed + 1},
        agency_id=payment.agency_id,
    )
    return payment, duplicate


def session_payments(*, session: Session, session_id: int) -> list[Payment]:
    """The payments of a session, in the order they were taken."""
    return list(
        session.scalars(select(Payment).where(Payment.cash_session_id == session_id).order_by(Payment.sequence_number))
    )
