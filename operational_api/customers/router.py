"""Customer lookup: search, customer with contracts, a contract's readings."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, status

from operational_api.customers import service
from operational_api.customers.exceptions import ContractNotFoundError, CustomerNotFoundError
from operational_api.customers.schemas import CustomerDetail, CustomerSummary, ReadingOut
from operational_api.dependencies import SessionDep

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=list[CustomerSummary])
def search_customers(
    session: SessionDep,
    q: str = Query(min_length=2, max_length=80, description="Name, customer or contract reference, or phone"),
    limit: int = Query(20, ge=1, le=200),
) -> list[CustomerSummary]:
    return service.search_customers(session=session, query=q, limit=limit)


@router.get("/customers/{reference}", response_model=CustomerDetail)
def get_customer(reference: str, session: SessionDep) -> CustomerDetail:
    try:
        return service.get_customer(session=session, reference=reference)
    except CustomerNotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None


@router.get("/contracts/{reference}/readings", response_model=list[ReadingOut])
def list_readings(reference: str, session: SessionDep, limit: int = Query(60, ge=1, le=500)) -> list[ReadingOut]:
    try:
        return service.list_readings(session=session, contract_reference=reference, limit=limit)
    except ContractNotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
