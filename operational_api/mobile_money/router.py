"""Routes of mobile money operators and aggregators, and of the staff who reconcile their statements."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from pydantic import StringConstraints
from sqlalchemy.orm import Session

from operational_api.auth.dependencies import allowed_for
from operational_api.auth.principal import Principal
from operational_api.auth.rights import Action
from operational_api.cashdesk.service import business_date
from operational_api.config import Policy
from operational_api.dependencies import PolicyDep, SessionDep, SettingsDep, blocking
from operational_api.errors import COMMON_RESPONSES, CONFLICT, NOT_FOUND, RefusedError
from operational_api.mobile_money import service
from operational_api.mobile_money.models import PartnerStatement
from operational_api.mobile_money.schemas import (
    BillOut,
    NotificationIn,
    NotificationOut,
    OpenInvoiceOut,
    PartnerStatementDay,
    ReconciliationLine,
    ReconciliationOut,
    StatementDay,
    StatementOut,
    StatementRevision,
    Totals,
)
from yeelen.settings import Settings

# The period a partner's statements are listed for when none is given.
RECENT_DAYS = dt.timedelta(days=31)

router = APIRouter(prefix="/mobile-money", tags=["mobile money"], responses=COMMON_RESPONSES)


@router.get(
    "/bills/{reference}",
    response_model=BillOut,
    responses=NOT_FOUND,
    summary="Bill lookup by customer or contract reference: open invoices and amount due",
)
@blocking
def lookup_bill(
    reference: str, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.MM_LOOKUP)
) -> BillOut:
    bill = service.lookup_bill(session=session, reference=reference)
    currency = settings.currency
    return BillOut(
        reference=reference,
        customer_reference=bill.customer.reference,
        customer_name=" ".join(part for part in (bill.customer.first_name, bill.customer.name) if part),
        contract_reference=bill.contract.reference if bill.contract else None,
        currency=currency,
        amount_due=service.to_units(max(bill.amount_due, 0), currency),
        open_invoices=[
            OpenInvoiceOut(
                number=invoice.number,
                contract_reference=contract_reference,
                due_date=invoice.due_date,
                open_amount=service.to_units(invoice.open_amount, currency),
            )
            for invoice, contract_reference in bill.invoices
        ],
    )


@router.post(
    "/notifications",
    response_model=NotificationOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Payment notification (idempotent on the partner's referenceId; only SUCCESSFUL creates a payment)",
)
@blocking
def notify(
    body: NotificationIn,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.MM_NOTIFY),
) -> NotificationOut:
    answer, replayed = service.notify(session=session, principal=principal, settings=settings, policy=policy, body=body)
    if replayed:
        response.headers["Idempotent-Replay"] = "true"
    return answer


def _period(settings: Settings, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The days listed: ``end`` excluded (default tomorrow), ``start`` by default 31 days before it."""
    end = end or business_date(settings) + dt.timedelta(days=1)
    if start is None:
        start = end - RECENT_DAYS if end > dt.date.min + RECENT_DAYS else dt.date.min
    return start, end


START = Query(default=None, description="First day (default: 31 days before the end)")
END = Query(default=None, description="Day after the last one, excluded (default: tomorrow)")


@router.get(
    "/statements",
    response_model=list[PartnerStatementDay],
    summary="Every partner's statements of a period (each day's latest revision), the latest day first",
)
@blocking
def list_all_statements(
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.MM_RECONCILE),
    start: dt.date | None = START,
    end: dt.date | None = END,
) -> list[PartnerStatementDay]:
    start, end = _period(settings, start, end)
    return [
        PartnerStatementDay(partner_code=code, statement_date=item.statement_date, **_revision(item).model_dump())
        for code, item in service.list_statements(session=session, partner_code=None, start=start, end=end)
    ]


@router.get(
    "/partners/{partner_code}/statements",
    response_model=list[StatementDay],
    responses=NOT_FOUND,
    summary="A partner's statements of a period (each day's latest revision), the latest day first",
)
@blocking
def list_statements(
    partner_code: str,
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.MM_RECONCILE),
    start: dt.date | None = START,
    end: dt.date | None = END,
) -> list[StatementDay]:
    start, end = _period(settings, start, end)
    return [
        StatementDay(statement_date=item.statement_date, **_revision(item).model_dump())
        for _, item in service.list_statements(session=session, partner_code=partner_code, start=start, end=end)
    ]


@router.post(
    "/partners/{partner_code}/statements",
    response_model=StatementOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Import a partner's daily statement (CSV, see docs/formats.md)",
)
@blocking
def import_statement(
    partner_code: str,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.MM_STATEMENT_IMPORT),
    content: Annotated[bytes, Body(media_type="text/csv", description="The statement file, UTF-8 CSV")],
    statement_date: dt.date = Query(description="Day the statement covers"),
) -> StatementOut:
    return _import(session, principal, settings, policy, partner_code, statement_date, content, None)


@router.post(
    "/partners/{partner_code}/statements/{statement_date}/corrections",
    response_model=StatementOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Import a partner's corrected statement of a day: its next revision, the earlier one kept",
)
@blocking
def correct_statement(
    partner_code: str,
    statement_date: dt.date,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.MM_STATEMENT_CORRECT),
    content: Annotated[bytes, Body(media_type="text/csv", description="The corrected statement file, UTF-8 CSV")],
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=3, max_length=200),
        Query(description="Why the partner sent the day again, as the partner said it (3 to 200 characters)"),
    ],
) -> StatementOut:
    return _import(session, principal, settings, policy, partner_code, statement_date, content, reason)


def _import(
    session: Session,
    principal: Principal,
    settings: Settings,
    policy: Policy,
    partner_code: str,
    statement_date: dt.date,
    content: bytes,
    correction_reason: str | None,
) -> StatementOut:
    if len(content) > policy.max_statement_bytes:
        raise RefusedError(
            f"The statement is larger than {policy.max_statement_bytes} bytes; split it.", code="statement_too_large"
        )
    statement, already = service.import_statement(
        session=session,
        principal=principal,
        settings=settings,
        partner_code=partner_code,
        statement_date=statement_date,
        content=content,
        correction_reason=correction_reason,
    )
    return StatementOut(
        partner=partner_code,
        statement_date=statement.statement_date,
        revision=statement.revision,
        line_count=statement.line_count,
        total=statement.total,
        imported_by=statement.imported_by,
        correction_reason=statement.correction_reason,
        already_imported=already,
    )


@router.get(
    "/partners/{partner_code}/statements/{statement_date}/reconciliation",
    response_model=ReconciliationOut,
    responses=NOT_FOUND,
    summary="Reconciliation of a statement: matched, missing on either side, amounts or statuses that differ",
)
@blocking
def reconciliation(
    partner_code: str, statement_date: dt.date, session: SessionDep, principal: allowed_for(Action.MM_RECONCILE)
) -> ReconciliationOut:
    result = service.reconcile(session=session, partner_code=partner_code, statement_date=statement_date)
    return ReconciliationOut(
        partner=partner_code,
        statement_date=statement_date,
        revision=result.statement.revision,
        revisions=[_revision(item) for item in result.revisions],
        ours=Totals(count=result.ours[0], amount=result.ours[1]),
        theirs=Totals(count=result.theirs[0], amount=result.theirs[1]),
        matched=Totals(count=result.matched[0], amount=result.matched[1]),
        amounts_differ=[ReconciliationLine(**line) for line in result.amounts_differ],
        missing_on_our_side=[ReconciliationLine(**line) for line in result.missing_on_our_side],
        missing_on_their_side=[ReconciliationLine(**line) for line in result.missing_on_their_side],
        status_differs=[ReconciliationLine(**line) for line in result.status_differs],
        other_day=[ReconciliationLine(**line) for line in result.other_day],
    )


def _revision(statement: PartnerStatement) -> StatementRevision:
    return StatementRevision(
        revision=statement.revision,
        imported_at=statement.created_at,
        imported_by=statement.imported_by,
        line_count=statement.line_count,
        total=statement.total,
        correction_reason=statement.correction_reason,
        superseded_at=statement.superseded_at,
    )
