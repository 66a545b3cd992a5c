"""The cash desk's routes: sessions, payments, receipts, bounced cheques, deposits, supervision, offline uploads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from operational_api.accounts import service as accounts
from operational_api.accounts.models import Payment
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.billing.models import Invoice
from operational_api.cashdesk import deposits, offline, service
from operational_api.cashdesk.models import CashSession, ChequeBar
from operational_api.cashdesk.schemas import (
    AgencyCashOut,
    AllocationOut,
    BankDepositIn,
    BankDepositOut,
    BarOut,
    BounceIn,
    BounceOut,
    CancelIn,
    ChequeDepositIn,
    ChequeDepositOut,
    CountLineOut,
    LiftIn,
    MethodTotal,
    OfflineResultOut,
    OfflineUploadIn,
    OfflineUploadOut,
    PaymentIn,
    PaymentOut,
    PaymentPreviewOut,
    SessionCloseIn,
    SessionOpenIn,
    SessionOut,
    SupervisionOut,
    UndepositedOut,
)
from operational_api.common import MAX_ID
from operational_api.customers.models import Contract, Customer
from operational_api.db import utcnow
from operational_api.dependencies import PolicyDep, SessionDep, SettingsDep, blocking
from operational_api.documents import (
    ChequeSlipData,
    ReceiptData,
    ReceiptLine,
    cheque_slip_html,
    receipt_html,
    render_pdf,
)
from operational_api.errors import COMMON_RESPONSES, CONFLICT, NOT_FOUND
from operational_api.organization.models import Agency

SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the cash session")]
BarId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the cheque bar")]

router = APIRouter(prefix="/cashdesk", tags=["cash desk"], responses=COMMON_RESPONSES)

PDF = {200: {"content": {"application/pdf": {}}, "description": "A PDF document"}}
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=120,
        description="Client-generated key: the same payment sent again is recorded once",
    ),
]


def _agency_code(session: Session, agency_id: int | None) -> str | None:
    return session.scalar(select(Agency.code).where(Agency.id == agency_id)) if agency_id else None


def _session_out(session: Session, cash_session: CashSession, with_count: bool = True) -> SessionOut:
    figures = service.session_figures(session=session, session_ids=[cash_session.id])[cash_session.id]
    lines = service.count_lines(session=session, session_id=cash_session.id) if with_count else []
    expected = cash_session.expected_cash if cash_session.status == "closed" else figures.expected_cash
    return SessionOut(
        id=cash_session.id,
        cashier=cash_session.cashier,
        agency_code=_agency_code(session, cash_session.agency_id),
        business_date=cash_session.business_date,
        status=cash_session.status,
        opened_at=cash_session.opened_at,
        closed_at=cash_session.closed_at,
        closed_by=cash_session.closed_by,
        workstation=cash_session.workstation,
        totals=[MethodTotal(method=m, count=c, amount=a) for m, c, a in figures.totals],
        cancelled_count=figures.cancelled_count,
        cancelled_amount=figures.cancelled_amount,
        expected_cash=expected,
        counted_cash=cash_session.counted_cash,
        cash_difference=cash_session.cash_difference,
        closing_note=cash_session.closing_note,
        deposited=figures.deposited,
        undeposited=(cash_session.counted_cash - figures.deposited) if cash_session.status == "closed" else None,
        count=[
            CountLineOut(kind=line.kind, denomination=line.denomination, quantity=line.quantity, amount=line.amount)
            for line in lines
        ],
    )


def payment_out(
    session: Session,
    payment: Payment,
    plan: accounts.AllocationPlan | None = None,
    *,
    customer: Customer | None = None,
    contract: Contract | None = None,
    agency_code: str | None = None,
) -> PaymentOut:
    """The API view of a payment; with the plan of its creation, the open amounts before and after.

    What the caller already holds (customer, contract, agency code) is not read again.
    """
    customer = customer or session.get(Customer, payment.customer_id)
    if contract is not None:
        contract_reference = contract.reference
    elif payment.contract_id:
        contract_reference = session.scalar(select(Contract.reference).where(Contract.id == payment.contract_id))
    else:
        contract_reference = None
    if plan is not None:
        allocations = [
            AllocationOut(
                invoice_number=line.invoice_number,
                due_date=line.due_date,
                amount=line.amount,
                open_before=line.open_before,
                open_after=line.open_after,
            )
            for line in plan.lines
        ]
    else:
        allocations = [
            AllocationOut(invoice_number=number, due_date=due_date, amount=amount)
            for number, due_date, amount in accounts.payment_allocations(session=session, payment_id=payment.id)
        ]
    allocated = sum(item.amount for item in allocations)
    return PaymentOut(
        receipt_number=payment.receipt_number,
        status=payment.status,
        status_reason=payment.status_reason,
        customer_reference=customer.reference,
        customer_name=" ".join(part for part in (customer.first_name, customer.name) if part),
        contract_reference=contract_reference,
        agency_code=agency_code or _agency_code(session, payment.agency_id),
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method,
        purpose=payment.purpose,
        channel=payment.channel,
        received_at=payment.received_at,
        business_date=payment.business_date,
        cash_session_id=payment.cash_session_id,
        cashier=payment.created_by,
        cheque_number=payment.cheque_number,
        cheque_bank=payment.cheque_bank,
        partner=payment.partner,
        partner_reference=payment.partner_reference,
        allocations=allocations,
        unallocated=payment.amount - allocated if payment.status == "posted" else 0,
    )


# --- sessions --------------------------------------------------------------------------------------------------------


@router.post(
    "/sessions",
    response_model=SessionOut,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Open one's cash session for today in an agency (one per cashier, day and agency)",
)
@blocking
def open_session(
    body: SessionOpenIn, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.SESSION_OPEN)
) -> SessionOut:
    cash_session = service.open_session(
        session=session, principal=principal, settings=settings, agency_code=body.agency_code
    )
    return _session_out(session, cash_session)


@router.get(
    "/sessions/current",
    response_model=SessionOut,
    responses=CONFLICT,
    summary="One's open cash session of today",
)
@blocking
def current_session(
    session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.SESSION_READ)
) -> SessionOut:
    cash_session, _agency = service.current_session(session=session, principal=principal, settings=settings)
    return _session_out(session, cash_session)


@router.get("/sessions/{session_id}", response_model=SessionOut, responses=NOT_FOUND, summary="A cash session")
@blocking
def get_session(session_id: SessionId, session: SessionDep, principal: allowed_for(Action.SESSION_READ)) -> SessionOut:
    return _session_out(session, service.find_session(session=session, principal=principal, session_id=session_id))


@router.get(
    "/sessions/{session_id}/payments",
    response_model=list[PaymentOut],
    responses=NOT_FOUND,
    summary="The transactions of a cash session",
)
@blocking
def list_session_payments(
    session_id: SessionId, session: SessionDep, principal: allowed_for(Action.SESSION_READ)
) -> list[PaymentOut]:
    service.find_session(session=session, principal=principal, session_id=session_id)
    return [
        payment_out(session, payment) for payment in service.session_payments(session=session, session_id=session_id)
    ]


@router.post(
    "/sessions/{session_id}/close",
    response_model=SessionOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Close a session with the cash count (billetage); the difference is recorded",
)
@blocking
def close_session(
    session_id: SessionId,
    body: SessionCloseIn,
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.SESSION_CLOSE),
) -> SessionOut:
    cash_session = service.close_session(
        session=session,
        principal=principal,
        settings=settings,
        session_id=session_id,
        count=body.count,
        note=body.note,
    )
    session.flush()
    return _session_out(session, cash_session)


# --- payments --------------------------------------------------------------------------------------------------------


@router.post(
    "/payments/preview",
    response_model=PaymentPreviewOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="How a payment would be matched to invoices, and the refusals it would meet (nothing is written)",
)
@blocking
def preview_payment(
    body: PaymentIn,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.PAYMENT_CREATE),
) -> PaymentPreviewOut:
    preview = service.preview_payment(
        session=session, principal=principal, settings=settings, policy=policy, request=body
    )
    customer = preview.customer
    return PaymentPreviewOut(
        customer_reference=customer.reference,
        customer_name=" ".join(part for part in (customer.first_name, customer.name) if part),
        contract_reference=preview.contract.reference if preview.contract else None,
        amount=body.amount,
        currency=settings.currency,
        method=body.method,
        purpose=body.purpose,
        rule=preview.rule,
        allocations=[
            AllocationOut(
                invoice_number=line.invoice_number,
                due_date=line.due_date,
                amount=line.amount,
                open_before=line.open_before,
                open_after=line.open_after,
            )
            for line in preview.plan.lines
        ],
        unallocated=preview.plan.remainder,
        amount_due_before=preview.amount_due,
        amount_due_after=preview.amount_due - body.amount,
    )


@router.post(
    "/payments",
    response_model=PaymentOut,
    status_code=status.HTTP_201_CREATED,
    responses={**NOT_FOUND, **CONFLICT, 200: {"model": PaymentOut, "description": "Replay of an idempotency key"}},
    summary="Record a payment (full, partial, advance or deposit), matched by the rule, with its receipt number",
)
@blocking
def record_payment(
    body: PaymentIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.PAYMENT_CREATE),
    idempotency_key: IdempotencyKey = None,
) -> PaymentOut:
    recorded = service.record_payment(
        session=session,
        principal=principal,
        settings=settings,
        policy=policy,
        request=body,
        idempotency_key=idempotency_key,
    )
    if recorded.replayed:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replay"] = "true"
    return payment_out(
        session,
        recorded.payment,
        recorded.plan,
        customer=recorded.customer,
        contract=recorded.contract,
        agency_code=recorded.agency_code,
    )


@router.get("/payments/{receipt_number}", response_model=PaymentOut, responses=NOT_FOUND, summary="A payment")
@blocking
def get_payment(receipt_number: str, session: SessionDep, principal: allowed_for(Action.PAYMENT_READ)) -> PaymentOut:
    return payment_out(
        session, service.find_payment(session=session, principal=principal, receipt_number=receipt_number)
    )


@router.post(
    "/payments/{receipt_number}/cancel",
    response_model=PaymentOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Cancel a payment with a reason (reversing entry; nothing is deleted)",
)
@blocking
def cancel_payment(
    receipt_number: str,
    body: CancelIn,
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.PAYMENT_CANCEL),
) -> PaymentOut:
    payment = service.cancel_payment(
        session=session, principal=principal, settings=settings, receipt_number=receipt_number, reason=body.reason
    )
    session.flush()
    return payment_out(session, payment)


@router.post(
    "/payments/{receipt_number}/receipt",
    response_class=Response,
    responses={**NOT_FOUND, **PDF},
    summary="Print the receipt as PDF: the original the first time, a DUPLICATA afterwards",
)
@blocking
def print_receipt(
    receipt_number: str,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.RECEIPT_PRINT),
) -> Response:
    payment, duplicate = service.print_receipt(session=session, principal=principal, receipt_number=receipt_number)
    out = payment_out(session, payment)
    due = {
        number: due
        for number, due in session.execute(
            select(Invoice.number, Invoice.due_date).where(
                Invoice.number.in_([a.invoice_number for a in out.allocations])
            )
        )
    }
    open_after = {
        invoice.number: invoice.open_amount
        for invoice in accounts.open_invoices(session=session, customer_id=payment.customer_id, include_paid=True)
    }
    data = ReceiptData(
        utility=policy.utility_name,
        receipt_number=payment.receipt_number,
        received_at=payment.received_at,
        timezone=settings.timezone,
        agency=out.agency_code or "",
        cashier=payment.created_by,
        customer_reference=out.customer_reference,
        customer_name=out.customer_name,
        contract_reference=out.contract_reference,
        method=payment.method,
        purpose=payment.purpose,
        amount=payment.amount,
        currency=payment.currency,
        lines=[
            ReceiptLine(
                line.invoice_number, due[line.invoice_number], line.amount, open_after.get(line.invoice_number, 0)
            )
            for line in out.allocations
            if line.amount > 0
        ],
        unallocated=out.unallocated,
        cheque=f"n° {payment.cheque_number} — {payment.cheque_bank}" if payment.cheque_number else None,
        status=payment.status,
        duplicate=duplicate,
        printed_at=utcnow(),
    )
    headers = {"Content-Disposition": f'inline; filename="recu-{receipt_number}.pdf"'}
    if duplicate:
        headers["X-Receipt-Copy"] = "duplicate"
    return Response(render_pdf(receipt_html(data)), media_type="application/pdf", headers=headers)


# --- bounced cheques and bars ----------------------------------------------------------------------------------------


def _bar_out(bar: ChequeBar, customer_reference: str, receipt_number: str | None) -> BarOut:
    return BarOut(
        id=bar.id,
        customer_reference=customer_reference,
        receipt_number=receipt_number,
        reason=bar.reason,
        barred_at=bar.barred_at,
        barred_by=bar.barred_by,
        lifted_at=bar.lifted_at,
        lifted_by=bar.lifted_by,
        lift_reason=bar.lift_reason,
    )


@router.post(
    "/payments/{receipt_number}/bounce",
    response_model=BounceOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Record a bounced cheque: payment reversed, fee charged, customer barred from cheques",
)
@blocking
def bounce_cheque(
    receipt_number: str,
    body: BounceIn,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.CHEQUE_BOUNCE),
) -> BounceOut:
    payment, fee, bar = service.bounce_cheque(
        session=session,
        principal=principal,
        settings=settings,
        policy=policy,
        receipt_number=receipt_number,
        reason=body.reason,
    )
    out = payment_out(session, payment)
    return BounceOut(payment=out, fee=fee, bar=_bar_out(bar, out.customer_reference, receipt_number))


@router.get("/cheque-bars", response_model=list[BarOut], responses=NOT_FOUND, summary="Customers barred from cheques")
@blocking
def list_bars(
    session: SessionDep,
    principal: allowed_for(Action.CHEQUE_BAR_READ),
    customer_reference: str | None = Query(None, max_length=20),
    include_lifted: bool = Query(False),
) -> list[BarOut]:
    rows = service.list_bars(
        session=session, principal=principal, customer_reference=customer_reference, include_lifted=include_lifted
    )
    return [_bar_out(bar, reference, receipt) for bar, reference, receipt in rows]


@router.post(
    "/cheque-bars/{bar_id}/lift",
    response_model=BarOut,
    responses=NOT_FOUND,
    summary="Lift a cheque bar (supervisor)",
)
@blocking
def lift_bar(
    bar_id: BarId, body: LiftIn, session: SessionDep, principal: allowed_for(Action.CHEQUE_BAR_LIFT)
) -> BarOut:
    return _bar_out(*service.lift_bar(session=session, principal=principal, bar_id=bar_id, reason=body.reason))


# --- deposits --------------------------------------------------------------------------------------------------------


@router.post(
    "/cheque-deposits",
    response_model=ChequeDepositOut,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
    summary="Make a cheque deposit slip (remise de chèques)",
)
@blocking
def create_cheque_deposit(
    body: ChequeDepositIn, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.DEPOSIT_CREATE)
) -> ChequeDepositOut:
    deposit, payments = deposits.create_cheque_deposit(
        session=session,
        principal=principal,
        settings=settings,
        agency_code=body.agency_code,
        bank=body.bank,
        receipt_numbers=body.receipt_numbers,
    )
    return ChequeDepositOut(
        reference=deposit.reference,
        agency_code=body.agency_code,
        bank=deposit.bank,
        deposit_date=deposit.deposit_date,
        cheque_count=deposit.cheque_count,
        total=deposit.total,
        created_by=deposit.created_by,
        receipt_numbers=[payment.receipt_number for payment in payments],
    )


@router.get(
    "/cheque-deposits/{reference}",
    response_class=Response,
    responses={**NOT_FOUND, **PDF},
    summary="The cheque deposit slip as PDF (bordereau de remise)",
)
@blocking
def cheque_deposit_pdf(
    reference: str,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.DEPOSIT_READ),
) -> Response:
    deposit, cheques = deposits.find_cheque_deposit(session=session, principal=principal, reference=reference)
    page = cheque_slip_html(
        ChequeSlipData(
            utility=policy.utility_name,
            reference=deposit.reference,
            agency=_agency_code(session, deposit.agency_id) or "",
            bank=deposit.bank,
            deposit_date=deposit.deposit_date,
            currency=settings.currency,
            cheques=[
                (
                    payment.receipt_number,
                    customer,
                    payment.cheque_number or "",
                    payment.cheque_bank or "",
                    payment.amount,
                )
                for payment, customer in cheques
            ],
            total=deposit.total,
            created_by=deposit.created_by,
        )
    )
    return Response(render_pdf(page), media_type="application/pdf")


@router.post(
    "/bank-deposits",
    response_model=BankDepositOut,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
    summary="Record cash paid into the bank (reversement), taken from closed sessions, oldest first",
)
@blocking
def create_bank_deposit(
    body: BankDepositIn, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.DEPOSIT_CREATE)
) -> BankDepositOut:
    deposit, parts = deposits.create_bank_deposit(
        session=session,
        principal=principal,
        settings=settings,
        agency_code=body.agency_code,
        bank=body.bank,
        bank_reference=body.bank_reference,
        amount=body.amount,
        session_ids=body.session_ids,
    )
    return BankDepositOut(
        reference=deposit.reference,
        agency_code=body.agency_code,
        bank=deposit.bank,
        bank_reference=deposit.bank_reference,
        deposit_date=deposit.deposit_date,
        amount=deposit.amount,
        created_by=deposit.created_by,
        sessions=[{"session_id": session_id, "amount": amount} for session_id, amount in parts],
    )


@router.get(
    "/undeposited-cash",
    response_model=list[UndepositedOut],
    responses=NOT_FOUND,
    summary="Cash of closed sessions not yet paid into the bank, oldest first",
)
@blocking
def undeposited_cash(
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.DEPOSIT_READ),
    agency_code: str | None = Query(None, max_length=20),
) -> list[UndepositedOut]:
    today = service.business_date(settings)
    return [
        UndepositedOut(
            session_id=cash_session.id,
            agency_code=code,
            cashier=cash_session.cashier,
            business_date=cash_session.business_date,
            counted_cash=cash_session.counted_cash,
            deposited=deposited,
            undeposited=cash_session.counted_cash - deposited,
            days=(today - cash_session.business_date).days,
        )
        for cash_session, code, deposited in deposits.undeposited_cash(
            session=session, principal=principal, settings=settings, agency_code=agency_code
        )
    ]


@router.get(
    "/supervision",
    response_model=SupervisionOut,
    summary="Every desk of one's agencies: sessions, amounts by means of payment, cash not yet deposited",
)
@blocking
def supervision(
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.SUPERVISE),
    business_date: dt.date | None = Query(None, description="Day to show (default: today)"),
) -> SupervisionOut:
    day, sessions, agencies = deposits.supervision(
        session=session, principal=principal, settings=settings, day=business_date
    )
    return SupervisionOut(
        business_date=day,
        sessions=[_session_out(session, cash_session, with_count=False) for cash_session in sessions],
        agencies=[
            AgencyCashOut(
                agency_code=agency.agency_code,
                open_sessions=agency.open_sessions,
                totals=[MethodTotal(method=m, count=c, amount=a) for m, c, a in agency.totals],
                undeposited=agency.undeposited,
                undeposited_earlier_days=agency.undeposited_earlier_days,
            )
            for agency in agencies
        ],
    )


# --- offline desks ---------------------------------------------------------------------------------------------------


@router.post(
    "/offline-uploads",
    response_model=OfflineUploadOut,
    responses=NOT_FOUND,
    summary="Upload the payments of an offline desk; each is recorded once, whatever the replays",
)
@blocking
def offline_upload(
    body: OfflineUploadIn,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.OFFLINE_UPLOAD),
) -> OfflineUploadOut:
    results = offline.offline_upload(
        session=session,
        principal=principal,
        settings=settings,
        policy=policy,
        desk=body.desk,
        agency_code=body.agency_code,
        items=body.items,
    )
    return OfflineUploadOut(
        created=sum(result.result == "created" for result in results),
        already_present=sum(result.result == "already_present" for result in results),
        refused=sum(result.result == "refused" for result in results),
        results=[OfflineResultOut(**result.__dict__) for result in results],
    )
