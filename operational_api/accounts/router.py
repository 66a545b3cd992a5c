"""Customer accounts: balances, open invoices, statements (JSON and PDF) and matching runs."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from operational_api.accounts import service
from operational_api.accounts.schemas import (
    AccountOut,
    ContractBalanceOut,
    InvoiceOut,
    MatchIn,
    MatchOut,
    StatementLineOut,
    StatementOut,
)
from operational_api.audit import service as audit
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.exceptions import UnknownAgencyError
from operational_api.auth.rights import Action
from operational_api.customers import service as customers
from operational_api.customers.models import Contract, Customer
from operational_api.db import utcnow
from operational_api.dependencies import PolicyDep, SessionDep, SettingsDep, blocking
from operational_api.documents import StatementData, render_pdf, statement_html
from operational_api.errors import COMMON_RESPONSES, NOT_FOUND
from operational_api.organization.models import Agency

router = APIRouter(tags=["accounts"], responses=COMMON_RESPONSES)

PDF = {200: {"content": {"application/pdf": {}}, "description": "A PDF document"}}


@router.get(
    "/customers/{reference}/account",
    response_model=AccountOut,
    responses=NOT_FOUND,
    summary="Balance of the customer and of each contract, open amounts, credits and deposits",
)
@blocking
def get_account(
    reference: str, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.ACCOUNTS_READ)
) -> AccountOut:
    customer = customers.find_customer(session=session, reference=reference, principal=principal)
    balance = service.customer_balance(session=session, customer_id=customer.id)
    return AccountOut(
        customer_reference=customer.reference,
        currency=settings.currency,
        balance=balance.balance,
        amount_due=balance.amount_due,
        open_amount=balance.open_amount,
        unallocated_credit=balance.unallocated_credit,
        deposits_held=balance.deposits_held,
        contracts=[
            ContractBalanceOut(
                contract_reference=line.reference,
                balance=line.balance,
                open_invoices=line.open_invoices,
                open_amount=line.open_amount,
            )
            for line in balance.contracts
        ],
    )


@router.get(
    "/customers/{reference}/invoices",
    response_model=list[InvoiceOut],
    responses=NOT_FOUND,
    summary="The customer's invoices with their open amount (open ones only by default)",
)
@blocking
def list_invoices(
    reference: str,
    session: SessionDep,
    principal: allowed_for(Action.ACCOUNTS_READ),
    status: Literal["open", "all"] = Query("open"),
) -> list[InvoiceOut]:
    customer = customers.find_customer(session=session, reference=reference, principal=principal)
    invoices = service.open_invoices(session=session, customer_id=customer.id, include_paid=status == "all")
    contracts = dict(
        session.execute(select(Contract.id, Contract.reference).where(Contract.customer_id == customer.id)).all()
    )
    return [
        InvoiceOut(
            number=invoice.number,
            contract_reference=contracts.get(invoice.contract_id, ""),
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            total=invoice.total,
            open_amount=invoice.open_amount,
        )
        for invoice in invoices
    ]


def _statement(session, settings, principal, reference: str, start: dt.date, end: dt.date) -> StatementOut:
    customer = customers.find_customer(session=session, reference=reference, principal=principal)
    result = service.statement(session=session, customer_id=customer.id, start=start, end=end)
    return StatementOut(
        customer_reference=customer.reference,
        customer_name=" ".join(part for part in (customer.first_name, customer.name) if part),
        currency=settings.currency,
        start=result.start,
        end=result.end,
        opening_balance=result.opening_balance,
        lines=[StatementLineOut(**line.__dict__) for line in result.lines],
        closing_balance=result.closing_balance,
        total_debit=result.total_debit,
        total_credit=result.total_credit,
    )


@router.get(
    "/customers/{reference}/statement",
    response_model=StatementOut,
    responses=NOT_FOUND,
    summary="Statement over [start, end): opening balance, movements, closing balance",
)
@blocking
def get_statement(
    reference: str,
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.ACCOUNTS_READ),
    start: dt.date = Query(description="First day (included)"),
    end: dt.date = Query(description="Day after the last (excluded)"),
) -> StatementOut:
    return _statement(session, settings, principal, reference, start, end)


@router.get(
    "/customers/{reference}/statement.pdf",
    response_class=Response,
    responses={**NOT_FOUND, **PDF},
    summary="The statement as a PDF document (relevé de compte)",
)
@blocking
def get_statement_pdf(
    reference: str,
    session: SessionDep,
    settings: SettingsDep,
    policy: PolicyDep,
    principal: allowed_for(Action.ACCOUNTS_READ),
    start: dt.date = Query(description="First day (included)"),
    end: dt.date = Query(description="Day after the last (excluded)"),
) -> Response:
    data = _statement(session, settings, principal, reference, start, end)
    page = statement_html(
        StatementData(
            utility=policy.utility_name,
            customer_reference=data.customer_reference,
            customer_name=data.customer_name,
            start=data.start,
            end=data.end,
            currency=data.currency,
            opening_balance=data.opening_balance,
            lines=[
                (line.entry_date, line.description, line.reference, line.debit, line.credit, line.balance)
                for line in data.lines
            ],
            closing_balance=data.closing_balance,
            total_debit=data.total_debit,
            total_credit=data.total_credit,
            printed_at=utcnow(),
            timezone=settings.timezone,
        )
    )
    filename = f"releve-{data.customer_reference}-{start:%Y%m%d}.pdf"
    return Response(
        render_pdf(page),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.post(
    "/accounts/match",
    response_model=MatchOut,
    responses=NOT_FOUND,
    summary="Match unallocated payments, advances and credit notes to open invoices (lettrage)",
)
@blocking
def match(
    body: MatchIn, session: SessionDep, policy: PolicyDep, principal: allowed_for(Action.ACCOUNTS_MATCH)
) -> MatchOut:
    if body.agency_code is not None:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == body.agency_code))
        if agency_id is None:
            raise UnknownAgencyError(body.agency_code)
        principal.check_agency(agency_id, f"Agency {body.agency_code}")
        ids = list(session.scalars(select(Customer.id).where(Customer.agency_id == agency_id)))
    else:
        ids = [
            customers.find_customer(session=session, reference=reference, principal=principal).id
            for reference in dict.fromkeys(body.customer_references or [])
        ]
    summary = service.match_open_credits(session=session, customer_ids=ids, rule=policy.matching_rule)
    audit.record(
        session=session,
        principal=principal,
        action="accounts.match",
        entity="customer",
        entity_key=body.agency_code or f"{len(ids)} customers",
        after={"customers": summary.customers, "allocations": summary.allocations, "amount": summary.amount},
    )
    return MatchOut(customers=summary.customers, allocations=summary.allocations, amount=summary.amount)
