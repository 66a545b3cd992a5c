"""Reading customers, their contracts and readings."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from operational_api.customers.exceptions import ContractNotFoundError, CustomerNotFoundError
from operational_api.customers.models import Contract, Customer
from operational_api.customers.schemas import ContractSummary, CustomerDetail, CustomerSummary, ReadingOut
from operational_api.metering.models import Meter, Reading
from operational_api.organization.models import Agency


def search_customers(*, session: Session, query: str, limit: int = 20) -> list[CustomerSummary]:
    """Customers whose name, reference or phone contains ``query``, or who hold a contract with that reference."""
    pattern = f"%{query.strip()}%"
    statement = (
        select(Customer, Agency.code)
        .join(Agency, Customer.agency_id == Agency.id)
        .where(
            or_(
                Customer.name.ilike(pattern),
                Customer.first_name.ilike(pattern),
                Customer.reference.ilike(pattern),
                Customer.phone.ilike(pattern),
                Customer.id.in_(select(Contract.customer_id).where(Contract.reference.ilike(pattern))),
            )
        )
        .order_by(Customer.name, Customer.reference)
        .limit(limit)
    )
    return [_summary(customer, agency_code) for customer, agency_code in session.execute(statement)]


def get_customer(*, session: Session, reference: str) -> CustomerDetail:
    row = session.execute(
        select(Customer, Agency.code)
        .join(Agency, Customer.agency_id == Agency.id)
        .where(Customer.reference == reference)
    ).first()
    if row is None:
        raise CustomerNotFoundError(reference)
    customer, agency_code = row
    contracts = session.scalars(
        select(Contract).where(Contract.customer_id == customer.id).order_by(Contract.reference)
    )
    return CustomerDetail(
        **_summary(customer, agency_code).model_dump(),
        email=customer.email,
        grouping_code=customer.grouping_code,
        contracts=[ContractSummary.model_validate(contract) for contract in contracts],
    )


def list_readings(*, session: Session, contract_reference: str, limit: int = 60) -> list[ReadingOut]:
    contract_id = session.scalar(select(Contract.id).where(Contract.reference == contract_reference))
    if contract_id is None:
        raise ContractNotFoundError(contract_reference)
    statement = (
        select(Reading, Meter.serial)
        .join(Meter, Reading.meter_id == Meter.id)
        .where(Reading.contract_id == contract_id)
        .order_by(Reading.reading_date.desc(), Reading.id.desc())
        .limit(limit)
    )
    return [
        ReadingOut(
            reading_date=reading.reading_date,
            index_value=reading.index_value,
            source=reading.source,
            anomaly_code=reading.anomaly_code,
            meter_serial=serial,
        )
        for reading, serial in session.execute(statement)
    ]


def _summary(customer: Customer, agency_code: str) -> CustomerSummary:
    return CustomerSummary(
        reference=customer.reference,
        kind=customer.kind,
        name=customer.name,
        first_name=customer.first_name,
        phone=customer.phone,
        agency_code=agency_code,
    )
