"""Customers, contracts, delivery points and meters: search, read, correct, and the history of changes."""

from __future__ import annotations

from fastapi import APIRouter, Query

from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.customers import service
from operational_api.customers.schemas import (
    ChangeOut,
    ContractDetail,
    ContractUpdate,
    CustomerDetail,
    CustomerSummary,
    CustomerUpdate,
    DeliveryPointOut,
    DeliveryPointUpdate,
    MeterOut,
    ReadingOut,
)
from operational_api.dependencies import SessionDep, blocking
from operational_api.errors import COMMON_RESPONSES, NOT_FOUND

router = APIRouter(tags=["customers"], responses=COMMON_RESPONSES)


@router.get("/customers", response_model=list[CustomerSummary], summary="Search customers")
@blocking
def search_customers(
    session: SessionDep,
    principal: allowed_for(Action.CUSTOMERS_READ),
    q: str = Query(
        min_length=2, max_length=80, description="Name, customer or contract reference, meter serial, or phone"
    ),
    limit: int = Query(20, ge=1, le=200),
) -> list[CustomerSummary]:
    return service.search_customers(session=session, query=q, limit=limit, principal=principal)


@router.get("/customers/{reference}", response_model=CustomerDetail, responses=NOT_FOUND, summary="One customer")
@blocking
def get_customer(reference: str, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_READ)) -> CustomerDetail:
    return service.get_customer(session=session, reference=reference, principal=principal)


@router.patch(
    "/customers/{reference}",
    response_model=CustomerDetail,
    responses=NOT_FOUND,
    summary="Correct a customer's data (each change kept in history)",
)
@blocking
def update_customer(
    reference: str, body: CustomerUpdate, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_WRITE)
) -> CustomerDetail:
    return service.update_customer(session=session, principal=principal, reference=reference, update=body)


@router.get(
    "/customers/{reference}/history",
    response_model=list[ChangeOut],
    responses=NOT_FOUND,
    summary="History of changes to a customer's data: who, when, field, old and new value",
)
@blocking
def customer_history(
    reference: str,
    session: SessionDep,
    principal: allowed_for(Action.CUSTOMERS_HISTORY),
    limit: int = Query(200, ge=1, le=1000),
) -> list[ChangeOut]:
    changes = service.customer_history(session=session, reference=reference, principal=principal, limit=limit)
    return [ChangeOut.model_validate(change) for change in changes]


@router.get("/contracts/{reference}", response_model=ContractDetail, responses=NOT_FOUND, summary="One contract")
@blocking
def get_contract(reference: str, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_READ)) -> ContractDetail:
    return service.get_contract(session=session, reference=reference, principal=principal)


@router.patch(
    "/contracts/{reference}",
    response_model=ContractDetail,
    responses=NOT_FOUND,
    summary="Correct a contract's data (each change kept in history)",
)
@blocking
def update_contract(
    reference: str, body: ContractUpdate, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_WRITE)
) -> ContractDetail:
    return service.update_contract(session=session, principal=principal, reference=reference, update=body)


@router.get(
    "/contracts/{reference}/readings",
    response_model=list[ReadingOut],
    responses=NOT_FOUND,
    summary="A contract's readings, newest first",
)
@blocking
def list_readings(
    reference: str,
    session: SessionDep,
    principal: allowed_for(Action.CUSTOMERS_READ),
    limit: int = Query(60, ge=1, le=500),
) -> list[ReadingOut]:
    return service.list_readings(session=session, contract_reference=reference, limit=limit, principal=principal)


@router.patch(
    "/delivery-points/{reference}",
    response_model=DeliveryPointOut,
    responses=NOT_FOUND,
    summary="Correct the address or GPS position of premises",
)
@blocking
def update_delivery_point(
    reference: str, body: DeliveryPointUpdate, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_WRITE)
) -> DeliveryPointOut:
    return service.update_delivery_point(session=session, principal=principal, reference=reference, update=body)


@router.get("/meters/{serial}", response_model=MeterOut, responses=NOT_FOUND, summary="A meter and its installations")
@blocking
def get_meter(serial: str, session: SessionDep, principal: allowed_for(Action.CUSTOMERS_READ)) -> MeterOut:
    return service.get_meter(session=session, serial=serial, principal=principal)
