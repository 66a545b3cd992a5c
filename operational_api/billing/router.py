"""Billing batches (*lots*): list, open, approve or reject a simulation; credit notes on issued invoices.

Simulating and issuing are pipeline steps (the billing cycle in Dagster); the people's decisions go through here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import or_, select

from operational_api.audit import service as audit
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.billing import service
from operational_api.billing.exceptions import (
    BatchCriteriaError,
    BatchNotFoundError,
    BatchStateError,
    CorrectionError,
    InvoiceNotFoundError,
    SimulationChangedError,
)
from operational_api.billing.models import BillingBatch, Invoice
from operational_api.billing.schemas import BatchIn, BatchOut, CreditNoteIn, InvoiceRef, RejectIn
from operational_api.common import MAX_ID
from operational_api.db import local_date
from operational_api.dependencies import SessionDep, SettingsDep, blocking
from operational_api.errors import COMMON_RESPONSES, CONFLICT, NOT_FOUND, ConflictError, NotFoundError, RefusedError
from operational_api.organization.models import Agency, ReadingRound

BatchId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the billing batch")]
router = APIRouter(prefix="/billing", tags=["billing"], responses=COMMON_RESPONSES)


def _out(session, batch: BillingBatch, figures: service.BatchFigures | None = None) -> BatchOut:
    figures = figures or service.draft_figures(session=session, batch_id=batch.id)
    return BatchOut.model_validate(
        {
            **{column: getattr(batch, column) for column in BatchOut.model_fields if hasattr(batch, column)},
            "draft_bills": figures.bills,
            "draft_amount": figures.amount,
        }
    )


def _batch(session, batch_id: BatchId, principal, lock: bool = False) -> BillingBatch:
    try:
        batch = service.get_batch(session=session, batch_id=batch_id, lock=lock)
    except BatchNotFoundError as error:
        raise NotFoundError(str(error), code=error.code) from None
    if batch.agency_id is not None:
        principal.check_agency(batch.agency_id, f"Batch {batch.reference}")
    return batch


def _decided(session, batch_id: BatchId, principal, decide, **arguments) -> BatchOut:
    """A person's decision on a batch (approve, reject, reopen), the batch locked; a state that does not allow it
    answers 409."""
    batch = _batch(session, batch_id, principal, lock=True)
    try:
        decide(session=session, principal=principal, batch=batch, **arguments)
    except BatchStateError as error:
        raise ConflictError(str(error), code=error.code) from None
    return _out(session, batch)


@router.get("/batches", response_model=list[BatchOut], summary="Billing batches, newest month first")
@blocking
def list_batches(
    session: SessionDep,
    principal: allowed_for(Action.BILLING_READ),
    status: str | None = Query(None, description="open, simulated, rejected, approved, issued or cancelled"),
    limit: int = Query(100, ge=1, le=1000),
) -> list[BatchOut]:
    statement = select(BillingBatch).order_by(BillingBatch.billing_month.desc(), BillingBatch.id.desc()).limit(limit)
    if status:
        statement = statement.where(BillingBatch.status == status)
    if principal.agency_ids is not None:
        # Batches over every agency are shown to everyone who may read batches; the others to their agencies.
        statement = statement.where(
            or_(BillingBatch.agency_id.is_(None), BillingBatch.agency_id.in_(principal.agency_ids))
        )
    batches = list(session.scalars(statement))
    figures = service.draft_figures_by_batch(session=session, batch_ids=[batch.id for batch in batches])
    return [_out(session, batch, figures[batch.id]) for batch in batches]


@router.get("/batches/{batch_id}", response_model=BatchOut, responses=NOT_FOUND, summary="One billing batch")
@blocking
def get_batch(batch_id: BatchId, session: SessionDep, principal: allowed_for(Action.BILLING_READ)) -> BatchOut:
    return _out(session, _batch(session, batch_id, principal))


@router.post(
    "/batches",
    response_model=BatchOut,
    status_code=201,
    responses=NOT_FOUND,
    summary="Open a batch for a billing month",
)
@blocking
def create_batch(body: BatchIn, session: SessionDep, principal: allowed_for(Action.BILLING_WRITE)) -> BatchOut:
    agency_id = round_id = None
    if body.agency_code:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == body.agency_code))
        if agency_id is None:
            raise NotFoundError(f"No agency with code {body.agency_code!r}.", code="unknown_agency")
        principal.check_agency(agency_id, f"Agency {body.agency_code}")
    if body.round_code:
        round_row = session.execute(
            select(ReadingRound.id, ReadingRound.agency_id).where(ReadingRound.code == body.round_code)
        ).first()
        if round_row is None:
            raise NotFoundError(f"No reading round with code {body.round_code!r}.", code="unknown_round")
        round_id = round_row.id
        principal.check_agency(round_row.agency_id, f"Round {body.round_code}")
    elif agency_id is None and principal.agency_ids is not None:
        raise RefusedError(
            "Name your agency or a round of it: a batch over every agency is for users who see all of them.",
            code="agency_required",
        )
    try:
        batch = service.create_batch(
            session=session,
            billing_month=body.billing_month,
            actor=principal.login,
            name=body.name,
            agency_id=agency_id,
            reading_round_id=round_id,
            category=body.category,
            billing_cycle=body.billing_cycle,
            commodity=body.commodity,
        )
    except BatchCriteriaError as error:
        raise RefusedError(str(error), code=error.code) from None
    audit.record(
        session=session,
        principal=principal,
        action="billing.batch.create",
        entity="billing_batch",
        entity_key=batch.id,
        after={"reference": batch.reference, "month": batch.billing_month},
        agency_id=batch.agency_id,
    )
    return _out(session, batch)


@router.post(
    "/batches/{batch_id}/approve",
    response_model=BatchOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Approve a simulated batch: its drafts are pinned for issue",
)
@blocking
def approve(batch_id: BatchId, session: SessionDep, principal: allowed_for(Action.BILLING_APPROVE)) -> BatchOut:
    return _decided(session, batch_id, principal, service.approve_batch_by)


@router.post(
    "/batches/{batch_id}/reject",
    response_model=BatchOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Send a simulation back with its reason; it is simulated again once the data is fixed",
)
@blocking
def reject(
    batch_id: BatchId, body: RejectIn, session: SessionDep, principal: allowed_for(Action.BILLING_APPROVE)
) -> BatchOut:
    return _decided(session, batch_id, principal, service.reject_batch_by, reason=body.reason)


@router.post(
    "/batches/{batch_id}/reopen",
    response_model=BatchOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Send a rejected batch back to be simulated, once its data is fixed",
)
@blocking
def reopen(batch_id: BatchId, session: SessionDep, principal: allowed_for(Action.BILLING_WRITE)) -> BatchOut:
    return _decided(session, batch_id, principal, service.reopen_batch_by)


@router.post(
    "/invoices/{number}/credit-note",
    response_model=InvoiceRef,
    status_code=201,
    responses=NOT_FOUND,
    summary="Cancel an issued invoice with a credit note (the invoice itself never changes)",
)
@blocking
def credit_note(
    number: str,
    body: CreditNoteIn,
    session: SessionDep,
    settings: SettingsDep,
    principal: allowed_for(Action.INVOICE_CORRECT),
) -> InvoiceRef:
    invoice = session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None:
        raise NotFoundError(str(InvoiceNotFoundError(number)), code="invoice_not_found")
    principal.check_agency(invoice.agency_id, f"Invoice {number}")
    try:
        credit = service.credit_invoice(
            session=session,
            invoice_id=invoice.id,
            actor=principal.login,
            reason=body.reason,
            issue_date=local_date(settings.timezone),
        )
    except (CorrectionError, SimulationChangedError) as error:
        raise RefusedError(str(error), code="correction_refused") from None
    audit.record(
        session=session,
        principal=principal,
        action="billing.invoice.credit",
        entity="invoice",
        entity_key=invoice.id,
        after={"credit_note": credit.number, "reason": body.reason},
        agency_id=invoice.agency_id,
    )
    return InvoiceRef(number=credit.number, kind=credit.kind, total=credit.total, corrects=invoice.number)
