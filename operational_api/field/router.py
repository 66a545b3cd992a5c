"""Inspections of suspect contracts: field planners request them, field teams record what they found."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from operational_api.audit import service as audit
from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.common import MAX_ID
from operational_api.customers.models import Contract, DeliveryPoint
from operational_api.db import local_date
from operational_api.dependencies import SessionDep, SettingsDep, blocking
from operational_api.errors import COMMON_RESPONSES, CONFLICT, NOT_FOUND, ConflictError, NotFoundError
from operational_api.field.models import Inspection
from operational_api.field.schemas import InspectionIn, InspectionOut, OutcomeIn

InspectionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Id of the inspection")]
router = APIRouter(prefix="/field", tags=["field"], responses=COMMON_RESPONSES)


def _out(inspection: Inspection, reference: str) -> InspectionOut:
    return InspectionOut(
        id=inspection.id,
        contract_reference=reference,
        requested_on=inspection.requested_on,
        requested_by=inspection.requested_by,
        suspect_rules=[rule for rule in (inspection.suspect_rules or "").split(",") if rule],
        suspect_score=inspection.suspect_score,
        route_order=inspection.route_order,
        inspected_on=inspection.inspected_on,
        inspector=inspection.inspector,
        outcome=inspection.outcome,
        energy_recovered=inspection.energy_recovered,
        notes=inspection.notes,
    )


def _contract(session, reference: str, principal) -> tuple[Contract, int]:
    row = session.execute(
        select(Contract, DeliveryPoint.agency_id)
        .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
        .where(Contract.reference == reference)
    ).first()
    if row is None:
        raise NotFoundError(f"No contract {reference!r}. Check the contract number (police).", code="unknown_contract")
    principal.check_agency(row.agency_id, f"Contract {reference}")
    return row.Contract, row.agency_id


@router.post(
    "/inspections",
    response_model=InspectionOut,
    status_code=201,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Request the inspection of a contract",
)
@blocking
def request_inspection(
    body: InspectionIn, session: SessionDep, settings: SettingsDep, principal: allowed_for(Action.INSPECTION_REQUEST)
) -> InspectionOut:
    contract, agency_id = _contract(session, body.contract_reference, principal)
    pending = session.scalar(
        select(Inspection.id).where(Inspection.contract_id == contract.id, Inspection.outcome.is_(None))
    )
    if pending is not None:
        raise ConflictError(
            f"Contract {contract.reference} already has an inspection waiting (#{pending}).", code="inspection_pending"
        )
    inspection = Inspection(
        contract_id=contract.id,
        requested_on=local_date(settings.timezone),
        requested_by=principal.login,
        suspect_rules=",".join(body.suspect_rules)[:400] or None,
        suspect_score=body.suspect_score,
        route_order=body.route_order,
    )
    session.add(inspection)
    session.flush()
    audit.record(
        session=session,
        principal=principal,
        action="field.inspection.request",
        entity="inspection",
        entity_key=inspection.id,
        after={"contract": contract.reference, "rules": body.suspect_rules},
        agency_id=agency_id,
    )
    return _out(inspection, contract.reference)


@router.post(
    "/inspections/{inspection_id}/outcome",
    response_model=InspectionOut,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Record what the field team found",
)
@blocking
def record_outcome(
    inspection_id: InspectionId, body: OutcomeIn, session: SessionDep, principal: allowed_for(Action.INSPECTION_RECORD)
) -> InspectionOut:
    row = session.execute(
        select(Inspection, Contract.reference, DeliveryPoint.agency_id)
        .join(Contract, Inspection.contract_id == Contract.id)
        .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
        .where(Inspection.id == inspection_id)
        .with_for_update(of=Inspection)
    ).first()
    if row is None:
        raise NotFoundError(f"No inspection #{inspection_id}.", code="unknown_inspection")
    inspection, reference, agency_id = row
    principal.check_agency(agency_id, f"Inspection #{inspection_id}")
    if inspection.outcome is not None:
        raise ConflictError(
            f"Inspection #{inspection_id} already has its outcome ({inspection.outcome}).", code="inspection_done"
        )
    inspection.outcome = body.outcome
    inspection.inspected_on = body.inspected_on
    inspection.inspector = principal.login
    inspection.notes = body.notes
    inspection.energy_recovered = body.energy_recovered
    audit.record(
        session=session,
        principal=principal,
        action="field.inspection.outcome",
        entity="inspection",
        entity_key=inspection.id,
        after={"outcome": body.outcome},
        agency_id=agency_id,
    )
    return _out(inspection, reference)


@router.get("/inspections", response_model=list[InspectionOut], summary="Inspections, waiting or done")
@blocking
def list_inspections(
    session: SessionDep,
    principal: allowed_for(Action.INSPECTION_READ),
    status: str = Query("open", pattern="^(open|done)$"),
    limit: int = Query(500, ge=1, le=5000),
) -> list[InspectionOut]:
    statement = (
        select(Inspection, Contract.reference, DeliveryPoint.agency_id)
        .join(Contract, Inspection.contract_id == Contract.id)
        .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
        .where(Inspection.outcome.is_(None) if status == "open" else Inspection.outcome.is_not(None))
        .order_by(Inspection.route_order, Inspection.id)
        .limit(limit)
    )
    if principal.agency_ids is not None:
        statement = statement.where(DeliveryPoint.agency_id.in_(principal.agency_ids))
    return [_out(inspection, reference) for inspection, reference, _ in session.execute(statement)]
