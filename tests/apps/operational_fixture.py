"""The operational database behind the app tests: the utility of ``marts_fixture`` (same agencies, customers,
contracts), with readings, invoices, the billing batches of the marts (same ids, states and stored simulations),
one user per role in Dakar (DKP), users of Thiès (THS) for the other-agency checks, and a newcomer who must change
a first password.

Written through the API's own models and services, so that the API serves it as it would serve real data.
"""

from __future__ import annotations

import datetime as dt
import decimal

from operational_api.accounts import service as accounts
from operational_api.auth import service as auth
from operational_api.auth.principal import Principal
from operational_api.auth.rights import AGENCY_WIDE_ROLES, USER_ROLES, Role
from operational_api.billing import service as billing
from operational_api.billing.models import Invoice
from operational_api.config import load_policy
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.metering.models import Reading
from operational_api.migrate import upgrade
from operational_api.models import Agency, Contract, Customer, DeliveryPoint, Meter, MeterInstallation, ReadingRound

from . import marts_fixture

PASSWORD = "Yeelen-tests-2026"
# The payment partner of the mobile money reconciliation: code, name, secret.
PARTNER = ("MTN_MOMO", "MTN Mobile Money", "partner-secret-for-app-tests")
FIRST_PASSWORD = "Premier-acces-2026"
# Cheap hashing for tests only: the cost of argon2 is not what these tests are about.
FAST_POLICY = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}
POLICY_ENV = {f"YEELEN_{key.upper()}": str(value) for key, value in FAST_POLICY.items()}
SYSTEM = Principal(kind="system", id=0, login="tests", role=Role.ADMIN, agency_ids=None)
OTHER_AGENCY_ROLES = (Role.SUPERVISOR, Role.CASHIER, Role.BILLING_CLERK, Role.CUSTOMER_CLERK, Role.FIELD_PLANNER)


def login_of(role: str, agency: str = "DKP") -> str:
    """The login of the fixture user of ``role`` in ``agency`` (agency-wide roles have one user, in no agency)."""
    role = Role(role)
    if role in AGENCY_WIDE_ROLES:
        return role.value.replace("_", "-")
    return f"{role.value.replace('_', '-')}-{agency.lower()}"


def users() -> dict[str, tuple[Role, list[str]]]:
    """Every fixture user: login -> (role, agency codes)."""
    found: dict[str, tuple[Role, list[str]]] = {}
    for role in USER_ROLES:
        found[login_of(role)] = (role, [] if role in AGENCY_WIDE_ROLES else ["DKP"])
    for role in OTHER_AGENCY_ROLES:
        found[login_of(role, "THS")] = (role, ["THS"])
    # A second Dakar cashier, whose desk the live view of the desks watches while the first one works.
    found["desk-dkp"] = (Role.CASHIER, ["DKP"])
    return found


# number, customer reference, total, due date
INVOICES = [
    ("F2026-0000001", "C0000001", 10_000, dt.date(2026, 3, 15)),
    ("F2026-0000002", "C0000001", 12_500, dt.date(2026, 4, 15)),
    ("F2026-0000003", "C0000002", 7_200, dt.date(2026, 4, 15)),
    ("F2026-0000004", "C0000004", 8_000, dt.date(2026, 4, 15)),
]


def seed(url: str) -> None:
    """Schema, reference data, customers, readings, invoices and users of the app tests."""
    upgrade(url)
    engine = make_engine(url)
    policy = load_policy(**FAST_POLICY)
    try:
        with unit_of_work(session_factory(engine)) as session:
            agencies = {}
            for _agency_id, code, name, city in marts_fixture.AGENCIES:
                agencies[code] = Agency(code=code, name=name, city=city)
                session.add(agencies[code])
                session.flush()
            by_id = {agency_id: agencies[code] for agency_id, code, _name, _city in marts_fixture.AGENCIES}
            rounds = {}
            for round_id, code, agency_id, _commodity in marts_fixture.ROUNDS:
                rounds[round_id] = ReadingRound(agency_id=by_id[agency_id].id, code=code, name=code, reading_day=10)
                session.add(rounds[round_id])
                session.flush()
            customers = {}
            for _customer_id, reference, name, first_name, phone, agency_id in marts_fixture.CUSTOMERS:
                customers[reference] = Customer(
                    reference=reference,
                    kind="person",
                    name=name,
                    first_name=first_name,
                    phone=phone,
                    agency_id=by_id[agency_id].id,
                )
                session.add(customers[reference])
                session.flush()
            references = {row[0]: row[1] for row in marts_fixture.CUSTOMERS}
            contracts = {}
            for (
                contract_id,
                reference,
                customer_id,
                commodity,
                category,
                round_id,
                _tid,
                lat,
                lon,
                serial,
            ) in marts_fixture.CONTRACT_ROWS:
                customer = customers[references[customer_id]]
                point = DeliveryPoint(
                    reference=f"PL{contract_id:07d}",
                    agency_id=customer.agency_id,
                    commodity=commodity,
                    address=f"Rue {contract_id}",
                    latitude=lat,
                    longitude=lon,
                )
                session.add(point)
                session.flush()
                contract = Contract(
                    reference=reference,
                    customer_id=customer.id,
                    delivery_point_id=point.id,
                    commodity=commodity,
                    category=category,
                    subscribed_power=decimal.Decimal("6"),
                    power_unit="kVA" if commodity == "electricity" else "mm",
                    billing_cycle="monthly",
                    reading_round_id=rounds[round_id].id,
                    start_date=dt.date(2020, 3, 1),
                )
                meter = Meter(
                    serial=serial,
                    commodity=commodity,
                    meter_type="single_phase" if commodity == "electricity" else "water",
                    digits=6,
                )
                session.add_all([contract, meter])
                session.flush()
                session.add(
                    MeterInstallation(
                        meter_id=meter.id,
                        contract_id=contract.id,
                        installed_on=dt.date(2020, 3, 1),
                        initial_index=0,
                        reason="new_connection",
                    )
                )
                for month in range(1, 5):
                    session.add(
                        Reading(
                            contract_id=contract.id,
                            meter_id=meter.id,
                            reading_date=dt.date(2026, month, 10),
                            index_value=1000 + 150 * month * contract_id,
                            source="estimate" if month == 3 else "terminal",
                        )
                    )
                contracts[reference] = contract
            session.flush()
            for sequence, (number, customer_reference, total, due) in enumerate(INVOICES, start=1):
                customer = customers[customer_reference]
                contract = next(item for item in contracts.values() if item.customer_id == customer.id)
                issued = due - dt.timedelta(days=15)
                invoice = Invoice(
                    number=number,
                    series="F2026",
                    sequence_number=sequence,
                    kind="invoice",
                    contract_id=contract.id,
                    customer_id=customer.id,
                    agency_id=customer.agency_id,
                    billing_month=issued.replace(day=1),
                    period_start=issued.replace(day=1) - dt.timedelta(days=31),
                    period_end=issued.replace(day=1),
                    consumption=decimal.Decimal("150"),
                    unit="kWh",
                    issue_date=issued,
                    due_date=due,
                    currency="XOF",
                    total=total,
                    issued_by="tests",
                )
                session.add(invoice)
                session.flush()
                accounts.post_invoice(session=session, invoice=invoice, created_by="tests")
            seed_batches(session, by_id, contracts)
            for login, (role, codes) in users().items():
                auth.create_user(
                    session=session,
                    policy=policy,
                    principal=SYSTEM,
                    login=login,
                    full_name=f"Test {login}",
                    role=role,
                    agencies=codes,
                    password=PASSWORD,
                    must_change_password=False,
                )
            code, name, secret = PARTNER
            auth.create_partner(session=session, principal=SYSTEM, code=code, name=name, secret=secret)
            auth.create_user(
                session=session,
                policy=policy,
                principal=SYSTEM,
                login="newcomer",
                full_name="Nouvelle recrue",
                role=Role.CUSTOMER_CLERK,
                agencies=["DKP"],
                password=FIRST_PASSWORD,
                must_change_password=True,
            )
    finally:
        engine.dispose()


def seed_batches(session, agencies: dict[int, Agency], contracts: dict[str, Contract]) -> None:
    """The batches of ``marts_fixture.BATCHES`` with the same ids: the simulated ones hold their billable draft
    bills (what the API counts and what approval pins), the issued one its invoice figures."""
    references = {row[0]: row[1] for row in marts_fixture.CONTRACT_ROWS}
    agency_of = {row[0]: agencies[marts_fixture.agency_of_contract(row[0])].id for row in marts_fixture.CONTRACT_ROWS}
    for batch_id, reference, name, month, agency_id, status in marts_fixture.BATCHES:
        batch = billing.create_batch(
            session=session,
            billing_month=month,
            actor=marts_fixture.BATCH_CREATOR,
            name=name,
            reference=reference,
            agency_id=None if agency_id is None else agencies[agency_id].id,
        )
        assert batch.id == batch_id, f"batch {reference} has id {batch.id} in the API, {batch_id} in the marts"
        if status == "simulated":
            bills = []
            for _key, _batch, contract_id, bill_status, _reason, consumption, total in marts_fixture.DRAFT_BILLS:
                if _batch != batch_id or bill_status != "billable":
                    continue
                contract = contracts[references[contract_id]]
                bills.append(
                    {
                        "contract_id": contract.id,
                        "customer_id": contract.customer_id,
                        "agency_id": agency_of[contract_id],
                        "reading_round_id": contract.reading_round_id,
                        "category": contract.category,
                        "billing_month": month,
                        "period_start": month - dt.timedelta(days=31),
                        "period_end": month,
                        "consumption": consumption,
                        "unit": marts_fixture.UNITS[contract.commodity],
                        "is_estimated": False,
                        "grid_code": f"{contract.category}-2026",
                        "total": total,
                    }
                )
            billing.store_simulation(session=session, batch_id=batch.id, bills=bills, lines=[], actor="pipeline")
        elif status == "issued":
            batch.status = "issued"
            batch.decided_by = "supervisor"
            batch.decided_at = batch.issued_at = dt.datetime(month.year, month.month, 28, 12, tzinfo=dt.UTC)
            batch.invoice_count, batch.invoiced_amount = marts_fixture.ISSUED_INVOICES
        else:
            raise AssertionError(f"no fixture for a batch in state {status!r}")
    session.flush()
