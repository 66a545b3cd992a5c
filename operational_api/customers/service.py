"""Customers, contracts, delivery points and meters: search, read, and corrections kept in history.

Every read is bounded by the caller's agencies; every correction writes an audit event and one history row per
changed field (who, when, field, old value, new value).
"""

from __future__ import annotations

import decimal
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from operational_api.audit import service as audit
from operational_api.audit.models import CustomerChange
from operational_api.auth.principal import Principal
from operational_api.customers.exceptions import (
    ContractNotFoundError,
    CustomerNotFoundError,
    DeliveryPointNotFoundError,
    InvalidChangeError,
    MeterNotFoundError,
    PayerMismatchError,
    PayerRequiredError,
)
from operational_api.customers.models import Contract, Customer, DeliveryPoint
from operational_api.customers.schemas import (
    ContractDetail,
    ContractSummary,
    ContractUpdate,
    CustomerDetail,
    CustomerSummary,
    CustomerUpdate,
    DeliveryPointOut,
    DeliveryPointUpdate,
    InstallationOut,
    MeterOut,
    ReadingOut,
)
from operational_api.metering.models import Meter, MeterInstallation, Reading
from operational_api.organization.models import Agency

ELECTRICITY_UNITS = ("kVA", "A")


def search_customers(
    *, session: Session, query: str, limit: int = 20, principal: Principal | None = None
) -> list[CustomerSummary]:
    """Customers whose name, reference or phone contains ``query``, or who hold a contract or a meter with it."""
    pattern = f"%{query.strip()}%"
    # Phones are kept as typed ("+221 77 932 88 22"): compare digits with the spaces taken out on both sides.
    compact = f"%{query.replace(' ', '')}%"
    meter_contracts = (
        select(MeterInstallation.contract_id)
        .join(Meter, Meter.id == MeterInstallation.meter_id)
        .where(Meter.serial.ilike(pattern))
    )
    statement = (
        select(Customer, Agency.code)
        .join(Agency, Customer.agency_id == Agency.id)
        .where(
            or_(
                Customer.name.ilike(pattern),
                Customer.first_name.ilike(pattern),
                Customer.reference.ilike(pattern),
                func.replace(Customer.phone, " ", "").ilike(compact),
                Customer.id.in_(select(Contract.customer_id).where(Contract.reference.ilike(pattern))),
                Customer.id.in_(select(Contract.customer_id).where(Contract.id.in_(meter_contracts))),
            )
        )
        .order_by(Customer.name, Customer.reference)
        .limit(limit)
    )
    if principal is not None and principal.agency_ids is not None:
        statement = statement.where(Customer.agency_id.in_(principal.agency_ids))
    return [_summary(customer, agency_code) for customer, agency_code in session.execute(statement)]


# Built once (bound parameters): the payment path runs these for every payment.
_CUSTOMER = select(Customer).where(Customer.reference == bindparam("reference"))
_LOCKED_CUSTOMER = _CUSTOMER.with_for_update(key_share=True)


def find_customer(
    *, session: Session, reference: str, principal: Principal | None = None, lock: bool = False
) -> Customer:
    """The customer with this reference, refused when it belongs to an agency the caller does not see.

    With ``lock``, the customer's row stays locked until the transaction ends (see
    :func:`operational_api.concurrency.lock_customers`), read and locked in the same statement.
    """
    customer = session.scalar(_LOCKED_CUSTOMER if lock else _CUSTOMER, {"reference": reference})
    if customer is None:
        raise CustomerNotFoundError(reference)
    if principal is not None:
        principal.check_agency(customer.agency_id, f"Customer {reference}")
    return customer


def find_contract(*, session: Session, reference: str, principal: Principal | None = None) -> Contract:
    """The contract with this reference, within the caller's agencies (those of its customer)."""
    row = session.execute(
        select(Contract, Customer.agency_id)
        .join(Customer, Customer.id == Contract.customer_id)
        .where(Contract.reference == reference)
    ).first()
    if row is None:
        raise ContractNotFoundError(reference)
    contract, agency_id = row
    if principal is not None:
        principal.check_agency(agency_id, f"Contract {reference}")
    return contract


def resolve_payer(
    *,
    session: Session,
    principal: Principal | None,
    customer_reference: str | None = None,
    contract_reference: str | None = None,
    lock: bool = False,
) -> tuple[Customer, Contract | None]:
    """The paying customer (and contract, when given) from either reference, checked against each other; with
    ``lock`` the customer's row is locked until the transaction ends."""
    if not customer_reference and not contract_reference:
        raise PayerRequiredError()
    contract = None
    if contract_reference:
        contract = find_contract(session=session, reference=contract_reference, principal=principal)
        customer = session.get(Customer, contract.customer_id, with_for_update={"key_share": True} if lock else None)
        if customer_reference and customer.reference != customer_reference:
            raise PayerMismatchError(contract_reference, customer_reference)
        return customer, contract
    customer = find_customer(session=session, reference=customer_reference, principal=principal, lock=lock)
    return customer, None


def resolve_bill_reference(*, session: Session, reference: str) -> tuple[Customer, Contract | None]:
    """A customer or a contract reference as printed on a bill (partners do not know which one they hold)."""
    customer = session.scalar(select(Customer).where(Customer.reference == reference))
    if customer is not None:
        return customer, None
    contract = session.scalar(select(Contract).where(Contract.reference == reference))
    if contract is None:
        raise CustomerNotFoundError(reference)
    return session.get(Customer, contract.customer_id), contract


def _current_meters(session: Session, contract_ids: list[int]) -> dict[int, str]:
    if not contract_ids:
        return {}
    rows = session.execute(
        select(MeterInstallation.contract_id, Meter.serial)
        .join(Meter, Meter.id == MeterInstallation.meter_id)
        .where(MeterInstallation.contract_id.in_(contract_ids), MeterInstallation.removed_on.is_(None))
        .order_by(MeterInstallation.installed_on)
    )
    return dict(rows.all())


def _contract_summaries(session: Session, contracts: list[Contract]) -> list[ContractSummary]:
    points = {
        point.id: point
        for point in session.scalars(
            select(DeliveryPoint).where(DeliveryPoint.id.in_([contract.delivery_point_id for contract in contracts]))
        )
    }
    meters = _current_meters(session, [contract.id for contract in contracts])
    summaries = []
    for contract in contracts:
        point = points.get(contract.delivery_point_id)
        summaries.append(
            ContractSummary.model_validate(contract).model_copy(
                update={
                    "delivery_point_reference": point.reference if point else None,
                    "address": point.address if point else None,
                    "meter_serial": meters.get(contract.id),
                }
            )
        )
    return summaries


def get_customer(*, session: Session, reference: str, principal: Principal | None = None) -> CustomerDetail:
    """A customer with its contracts, their delivery points and current meters."""
    customer = find_customer(session=session, reference=reference, principal=principal)
    agency_code = session.scalar(select(Agency.code).where(Agency.id == customer.agency_id))
    contracts = list(
        session.scalars(select(Contract).where(Contract.customer_id == customer.id).order_by(Contract.reference))
    )
    return CustomerDetail(
        **_summary(customer, agency_code).model_dump(),
        email=customer.email,
        grouping_code=customer.grouping_code,
        language=customer.language,
        contracts=_contract_summaries(session, contracts),
    )


def _installations(session: Session, *conditions: Any) -> list[InstallationOut]:
    rows = session.execute(
        select(MeterInstallation, Meter.serial, Contract.reference)
        .join(Meter, Meter.id == MeterInstallation.meter_id)
        .join(Contract, Contract.id == MeterInstallation.contract_id)
        .where(*conditions)
        .order_by(MeterInstallation.installed_on, MeterInstallation.id)
    )
    return [
        InstallationOut(
            meter_serial=serial,
            contract_reference=reference,
            installed_on=installation.installed_on,
            removed_on=installation.removed_on,
            initial_index=installation.initial_index,
            final_index=installation.final_index,
            reason=installation.reason,
        )
        for installation, serial, reference in rows
    ]


def get_contract(*, session: Session, reference: str, principal: Principal | None = None) -> ContractDetail:
    """A contract with its customer, delivery point and the meters installed on it over time."""
    contract = find_contract(session=session, reference=reference, principal=principal)
    customer = session.get(Customer, contract.customer_id)
    point = session.get(DeliveryPoint, contract.delivery_point_id)
    agency_code = session.scalar(select(Agency.code).where(Agency.id == customer.agency_id))
    [summary] = _contract_summaries(session, [contract])
    return ContractDetail(
        **summary.model_dump(),
        customer_reference=customer.reference,
        agency_code=agency_code,
        delivery_point=DeliveryPointOut(
            reference=point.reference,
            commodity=point.commodity,
            address=point.address,
            latitude=point.latitude,
            longitude=point.longitude,
        ),
        meters=_installations(session, MeterInstallation.contract_id == contract.id),
    )


def get_meter(*, session: Session, serial: str, principal: Principal | None = None) -> MeterOut:
    """A meter and where it has been installed (only on contracts of the caller's agencies)."""
    meter = session.scalar(select(Meter).where(Meter.serial == serial))
    if meter is None:
        raise MeterNotFoundError(serial)
    installations = _installations(session, MeterInstallation.meter_id == meter.id)
    if principal is not None and principal.agency_ids is not None and installations:
        agencies = set(
            session.scalars(
                select(Customer.agency_id)
                .join(Contract, Contract.customer_id == Customer.id)
                .join(MeterInstallation, MeterInstallation.contract_id == Contract.id)
                .where(MeterInstallation.meter_id == meter.id)
            )
        )
        if not agencies & principal.agency_ids:
            principal.check_agency(next(iter(agencies)), f"Meter {serial}")
    return MeterOut(
        serial=meter.serial,
        commodity=meter.commodity,
        meter_type=meter.meter_type,
        digits=meter.digits,
        multiplier=meter.multiplier,
        brand=meter.brand,
        installations=installations,
    )


def list_readings(
    *, session: Session, contract_reference: str, limit: int = 60, principal: Principal | None = None
) -> list[ReadingOut]:
    """A contract's readings, newest first."""
    contract = find_contract(session=session, reference=contract_reference, principal=principal)
    statement = (
        select(Reading, Meter.serial)
        .join(Meter, Reading.meter_id == Meter.id)
        .where(Reading.contract_id == contract.id)
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


def _apply(
    *,
    session: Session,
    principal: Principal,
    instance: Any,
    changes: dict[str, Any],
    customer: Customer,
    entity: str,
    entity_key: str,
) -> None:
    before = {field: getattr(instance, field) for field in changes}
    changed = {field: value for field, value in changes.items() if before[field] != value}
    if not changed:
        return
    for field, value in changed.items():
        setattr(instance, field, value)
    event = audit.record(
        session=session,
        principal=principal,
        action=f"customers.{entity}.update",
        entity=entity,
        entity_key=entity_key,
        before={field: before[field] for field in changed},
        after=changed,
        agency_id=customer.agency_id,
    )
    audit.record_changes(
        session=session,
        principal=principal,
        customer_id=customer.id,
        entity=entity,
        entity_key=entity_key,
        before={field: before[field] for field in changed},
        after=changed,
        audit_event_id=event,
    )


def update_customer(
    *, session: Session, principal: Principal, reference: str, update: CustomerUpdate
) -> CustomerDetail:
    """Correct a customer's data; each changed field is kept in history."""
    customer = find_customer(session=session, reference=reference, principal=principal)
    changes = update.model_dump(exclude_unset=True)
    for required in ("name", "kind", "language"):
        if required in changes and changes[required] is None:
            raise InvalidChangeError(f"The field {required!r} cannot be emptied.")
    if changes.get("phone"):
        changes["phone"] = changes["phone"].replace(" ", "")
    _apply(
        session=session,
        principal=principal,
        instance=customer,
        changes=changes,
        customer=customer,
        entity="customer",
        entity_key=customer.reference,
    )
    session.flush()
    return get_customer(session=session, reference=reference, principal=principal)


def update_contract(
    *, session: Session, principal: Principal, reference: str, update: ContractUpdate
) -> ContractDetail:
    """Correct a contract's data, checked for consistency (category and unit against the commodity, dates)."""
    contract = find_contract(session=session, reference=reference, principal=principal)
    changes = update.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "end_date":
            raise InvalidChangeError(f"The field {field!r} cannot be emptied.")
    if "subscribed_power" in changes:
        # The scale of the column, so that the answer and the history show what is stored.
        changes["subscribed_power"] = changes["subscribed_power"].quantize(decimal.Decimal("0.01"))
    category = changes.get("category", contract.category)
    unit = changes.get("power_unit", contract.power_unit)
    water = contract.commodity == "water"
    if water != category.startswith("EAU_"):
        raise InvalidChangeError(
            f"Category {category} does not fit a {contract.commodity} contract "
            f"({'EAU_*' if water else 'a non-EAU'} category expected)."
        )
    if water != (unit == "mm"):
        expected = "mm" if water else " or ".join(ELECTRICITY_UNITS)
        raise InvalidChangeError(f"Unit {unit} does not fit a {contract.commodity} contract ({expected} expected).")
    end_date = changes.get("end_date", contract.end_date)
    if end_date is not None and end_date <= contract.start_date:
        raise InvalidChangeError(f"The end date must come after the start date ({contract.start_date}).")
    if changes.get("status") == "terminated" and end_date is None:
        raise InvalidChangeError("A terminated contract needs its end date.")
    customer = session.get(Customer, contract.customer_id)
    _apply(
        session=session,
        principal=principal,
        instance=contract,
        changes=changes,
        customer=customer,
        entity="contract",
        entity_key=contract.reference,
    )
    session.flush()
    return get_contract(session=session, reference=reference, principal=principal)


def update_delivery_point(
    *, session: Session, principal: Principal, reference: str, update: DeliveryPointUpdate
) -> DeliveryPointOut:
    """Correct the address or GPS position of premises; kept in the history of each customer served there."""
    point = session.scalar(select(DeliveryPoint).where(DeliveryPoint.reference == reference))
    if point is None:
        raise DeliveryPointNotFoundError(reference)
    principal.check_agency(point.agency_id, f"Delivery point {reference}")
    changes = update.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise InvalidChangeError(f"The field {field!r} cannot be emptied.")
    customers = list(
        session.scalars(
            select(Customer)
            .join(Contract, Contract.customer_id == Customer.id)
            .where(Contract.delivery_point_id == point.id)
            .distinct()
        )
    )
    before = {field: getattr(point, field) for field in changes}
    changed = {field: value for field, value in changes.items() if before[field] != value}
    for field, value in changed.items():
        setattr(point, field, value)
    if changed:
        event = audit.record(
            session=session,
            principal=principal,
            action="customers.delivery_point.update",
            entity="delivery_point",
            entity_key=reference,
            before={field: before[field] for field in changed},
            after=changed,
            agency_id=point.agency_id,
        )
        for customer in customers:
            audit.record_changes(
                session=session,
                principal=principal,
                customer_id=customer.id,
                entity="delivery_point",
                entity_key=reference,
                before=before,
                after=changed,
                audit_event_id=event,
            )
    session.flush()
    return DeliveryPointOut(
        reference=point.reference,
        commodity=point.commodity,
        address=point.address,
        latitude=point.latitude,
        longitude=point.longitude,
    )


def customer_history(
    *, session: Session, reference: str, principal: Principal | None = None, limit: int = 200
) -> list[CustomerChange]:
    """The history of changes to a customer's data, newest first."""
    customer = find_customer(session=session, reference=reference, principal=principal)
    return audit.customer_history(session=session, customer_id=customer.id, limit=limit)


def _summary(customer: Customer, agency_code: str) -> CustomerSummary:
    return CustomerSummary(
        reference=customer.reference,
        kind=customer.kind,
        name=customer.name,
        first_name=customer.first_name,
        phone=customer.phone,
        agency_code=agency_code,
    )
