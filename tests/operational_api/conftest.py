"""A small utility for the API tests, on SQLite and on PostgreSQL, with one user per role.

The schema, reference data, users, tokens and a payment partner are written once per backend into a template
(a SQLite file, a PostgreSQL template database); each test gets a fresh copy, so tests never share state.
Invoices are created per test with :meth:`World.invoice` (issued invoices with their ledger entries).
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from operational_api.accounts import service as accounts
from operational_api.auth import security
from operational_api.auth import service as auth
from operational_api.auth.principal import Principal
from operational_api.auth.rights import USER_ROLES, Role
from operational_api.billing.models import Invoice
from operational_api.concurrency import lock_customers
from operational_api.config import Policy, load_policy
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.main import create_app
from operational_api.migrate import upgrade
from operational_api.models import (
    Agency,
    Contract,
    Customer,
    DeliveryPoint,
    Meter,
    MeterInstallation,
    ReadingRound,
)
from yeelen.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
PARTNER = ("MTN_MOMO", "MTN Mobile Money", "partner-secret-for-tests-0001")
PASSWORD = "Test-password-2026"
# Fast hashing for tests only: the cost of argon2 is not what these tests are about.
FAST_POLICY = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}
POLICY_ENV = {f"YEELEN_{key.upper()}": str(value) for key, value in FAST_POLICY.items()}
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
# Users of the template: login -> (role, agencies). Agency-bound roles work in PKN; gue-cashier in GUE.
USERS: dict[str, tuple[Role, tuple[str, ...]]] = {
    **{role.value: (role, ("PKN",)) for role in USER_ROLES},
    "cashier2": (Role.CASHIER, ("PKN",)),
    "gue-cashier": (Role.CASHIER, ("GUE",)),
    "gue-supervisor": (Role.SUPERVISOR, ("GUE",)),
}
# Customers: reference -> (agency, name, first name, phone).
CUSTOMERS = {
    "C0000001": ("PKN", "Ndiaye", "Awa", "+221771234567"),
    "C0000002": ("PKN", "Diop", "Moussa", "+221772345678"),
    "C0000003": ("GUE", "Sow", "Fatou", "+221773456789"),
    "C0000004": ("PKN", "Fall", "Ibrahima", None),
}
SYSTEM = Principal(kind="system", id=0, login="tests", role=Role.ADMIN, agency_ids=None)


def fast_policy(**overrides: object) -> Policy:
    return load_policy(**(FAST_POLICY | overrides))


def _seed(url: str) -> dict[str, str]:
    """Reference data, users and their tokens; returns the tokens by login."""
    upgrade(url)
    engine = make_engine(url)
    policy = fast_policy()
    tokens: dict[str, str] = {}
    with unit_of_work(session_factory(engine)) as session:
        agencies = {
            code: Agency(code=code, name=name, city="Dakar")
            for code, name in (("PKN", "Pikine"), ("GUE", "Guédiawaye"))
        }
        session.add_all(agencies.values())
        session.flush()
        rounds = {
            code: ReadingRound(agency_id=agency.id, code=f"{code}-01", name=f"{code} 01", reading_day=10)
            for code, agency in agencies.items()
        }
        session.add_all(rounds.values())
        session.flush()
        for index, (reference, (agency, name, first_name, phone)) in enumerate(CUSTOMERS.items(), start=1):
            customer = Customer(
                reference=reference,
                kind="person",
                name=name,
                first_name=first_name,
                phone=phone,
                agency_id=agencies[agency].id,
            )
            point = DeliveryPoint(
                reference=f"PL{index:07d}",
                agency_id=agencies[agency].id,
                commodity="electricity",
                address=f"Rue {index}, {agency}",
                latitude=14.75,
                longitude=-17.39,
            )
            session.add_all([customer, point])
            session.flush()
            contract = Contract(
                reference=f"P{index:07d}",
                customer_id=customer.id,
                delivery_point_id=point.id,
                commodity="electricity",
                category="DOM",
                subscribed_power=decimal.Decimal("6"),
                power_unit="kVA",
                billing_cycle="monthly",
                reading_round_id=rounds[agency].id,
                start_date=dt.date(2020, 3, 1),
            )
            meter = Meter(serial=f"SN-{index:04d}", commodity="electricity", meter_type="single_phase", digits=6)
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
        for login, (role, codes) in USERS.items():
            user, _ = auth.create_user(
                session=session,
                policy=policy,
                principal=SYSTEM,
                login=login,
                full_name=login.title(),
                role=role,
                agencies=list(codes),
                password=PASSWORD,
                must_change_password=False,
            )
            tokens[login] = auth.login(
                session=session,
                policy=policy,
                login=login,
                password=PASSWORD,
                workstation="template",
                client_address="127.0.0.1",
            ).token
        code, name, secret = PARTNER
        auth.create_partner(session=session, principal=SYSTEM, code=code, name=name, secret=secret)
    engine.dispose()
    return tokens


@dataclass
class Template:
    backend: str
    url: str
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("template") / "operational.sqlite"
    url = f"sqlite:///{path}"
    tokens = _seed(url)
    with create_engine(url).connect() as connection:
        connection.exec_driver_sql("pragma wal_checkpoint(truncate)")
    return Template("sqlite", url, tokens)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[Template]:
    name = f"yeelen_tpl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    tokens = _seed(url)
    yield Template("postgres", url, tokens)
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


@dataclass
class World:
    """A fresh copy of the test utility on one backend, with helpers to write invoices and call the API."""

    backend: str
    url: str
    settings: Settings
    policy: Policy
    tokens: dict[str, str]
    engine: Engine
    _numbers: list[int] = field(default_factory=lambda: [0])

    @contextmanager
    def session(self) -> Iterator[Session]:
        with unit_of_work(session_factory(self.engine)) as session:
            yield session

    def headers(self, login: str = "cashier", workstation: str = "DESK-01") -> dict[str, str]:
        """Bearer headers of a template user (by login: a role name, cashier2, gue-cashier, ...)."""
        return {"Authorization": f"Bearer {self.tokens[login]}", "X-Workstation": workstation}

    def partner_auth(self) -> tuple[str, str]:
        return PARTNER[0], PARTNER[2]

    def customer_id(self, reference: str) -> int:
        with self.session() as session:
            return session.scalar(select(Customer.id).where(Customer.reference == reference))

    def invoice(
        self,
        customer: str = "C0000001",
        total: int = 10_000,
        due: dt.date = dt.date(2026, 2, 15),
        issued: dt.date | None = None,
        kind: str = "invoice",
        corrects: str | None = None,
        contract: str | None = None,
    ) -> str:
        """Issue an invoice (or credit note) with its ledger entry; returns its number."""
        self._numbers[0] += 1
        number = self._numbers[0]
        with self.session() as session:
            customer_row = session.scalar(select(Customer).where(Customer.reference == customer))
            contract = session.scalar(
                select(Contract)
                .where(Contract.customer_id == customer_row.id, *([Contract.reference == contract] if contract else []))
                .order_by(Contract.id)
                .limit(1)
            )
            corrected = session.scalar(select(Invoice.id).where(Invoice.number == corrects)) if corrects else None
            issued = issued or due - dt.timedelta(days=15)
            invoice = Invoice(
                number=f"F2026-{number:07d}",
                series="F2026",
                sequence_number=number,
                kind=kind,
                contract_id=contract.id,
                customer_id=customer_row.id,
                agency_id=customer_row.agency_id,
                billing_month=issued.replace(day=1),
                period_start=issued.replace(day=1) - dt.timedelta(days=30),
                period_end=issued.replace(day=1),
                consumption=decimal.Decimal("100"),
                unit="kWh",
                issue_date=issued,
                due_date=due,
                currency="XOF",
                total=total,
                corrects_invoice_id=corrected,
                issued_by="tests",
            )
            session.add(invoice)
            session.flush()
            accounts.post_invoice(session=session, invoice=invoice, created_by="tests")
            return invoice.number

    def execute(self, sql: str, **params: object) -> None:
        """Run a statement directly on the database (to set up a state the API would not allow)."""
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)

    def new_customer(self, agency: str = "PKN", contracts: int = 1) -> str:
        """A new customer with ``contracts`` contracts (references ``<customer>-<n>``); returns its reference."""
        self._numbers[0] += 1
        reference = f"N{self._numbers[0]:07d}"
        with self.session() as session:
            agency_row = session.scalar(select(Agency).where(Agency.code == agency))
            round_id = session.scalar(select(ReadingRound.id).where(ReadingRound.agency_id == agency_row.id))
            customer = Customer(reference=reference, kind="person", name=f"Client {reference}", agency_id=agency_row.id)
            session.add(customer)
            session.flush()
            for number in range(1, contracts + 1):
                point = DeliveryPoint(
                    reference=f"D{reference}-{number}",
                    agency_id=agency_row.id,
                    commodity="electricity",
                    address="Dakar",
                    latitude=14.7,
                    longitude=-17.4,
                )
                session.add(point)
                session.flush()
                session.add(
                    Contract(
                        reference=f"{reference}-{number}",
                        customer_id=customer.id,
                        delivery_point_id=point.id,
                        commodity="electricity",
                        category="DOM",
                        subscribed_power=decimal.Decimal("6"),
                        power_unit="kVA",
                        billing_cycle="monthly",
                        reading_round_id=round_id,
                        start_date=dt.date(2020, 1, 1),
                    )
                )
        return reference

    def pay(
        self,
        customer: str = "C0000001",
        amount: int = 1000,
        purpose: str = "invoices",
        contract: str | None = None,
        rule: str = "oldest_due_first",
        invoice_numbers: list[str] | None = None,
        received_at: dt.datetime | None = None,
    ) -> tuple[str, accounts.AllocationPlan]:
        """Receive a payment through the accounts service (no cash desk); returns its receipt and plan."""
        with self.session() as session:
            customer_row = session.scalar(select(Customer).where(Customer.reference == customer))
            contract_id = (
                session.scalar(select(Contract.id).where(Contract.reference == contract)) if contract else None
            )
            lock_customers(session=session, customer_ids=[customer_row.id])
            moment = received_at or dt.datetime.now(dt.UTC)
            payment, plan = accounts.receive_payment(
                session=session,
                incoming=accounts.IncomingPayment(
                    customer_id=customer_row.id,
                    contract_id=contract_id,
                    amount=amount,
                    currency="XOF",
                    method="transfer",
                    purpose=purpose,
                    channel="test",
                    received_at=moment,
                    business_date=moment.date(),
                    agency_id=customer_row.agency_id,
                    series="T2026",
                    created_by="tests",
                ),
                rule=rule,
                invoice_numbers=invoice_numbers,
            )
            return payment.receipt_number, plan

    def open_amounts(self, customer: str = "C0000001") -> dict[str, int]:
        """Open amount of each of the customer's invoices, by number."""
        with self.session() as session:
            customer_id = session.scalar(select(Customer.id).where(Customer.reference == customer))
            rows = accounts.open_invoices(session=session, customer_id=customer_id, include_paid=True)
            return {row.number: row.open_amount for row in rows}

    def scalar(self, sql: str, **params: object) -> object:
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def rows(self, sql: str, **params: object) -> list[tuple]:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]


def _clone(template: Template, folder: Path, request: pytest.FixtureRequest) -> str:
    if template.backend == "sqlite":
        target = folder / "operational.sqlite"
        shutil.copyfile(make_url(template.url).database, target)
        return f"sqlite:///{target}"
    admin_url = request.getfixturevalue("postgres_server")
    name = f"yeelen_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}" template "{make_url(template.url).database}"'))
    admin.dispose()

    def drop() -> None:
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        engine.dispose()

    request.addfinalizer(drop)
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def make_world(request: pytest.FixtureRequest, backend: str, folder: Path, **policy: object) -> World:
    """A fresh copy of the template on ``backend`` (call after the ``yeelen_home`` fixture)."""
    template = request.getfixturevalue(f"{backend}_template")
    url = _clone(template, folder, request)
    settings = load_settings(operational_url=url)
    settings.ensure_home()
    engine = make_engine(url)
    request.addfinalizer(engine.dispose)
    return World(backend, url, settings, fast_policy(**policy), dict(template.tokens), engine)


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, yeelen_home: Path, tmp_path: Path) -> World:
    """The test utility on SQLite and on PostgreSQL."""
    return make_world(request, request.param, tmp_path)


@pytest.fixture
def postgres_world(request: pytest.FixtureRequest, yeelen_home: Path, tmp_path: Path) -> World:
    """The test utility on PostgreSQL only (concurrency tests)."""
    return make_world(request, "postgres", tmp_path)


def open_session(client: TestClient, world: World, login: str = "cashier", agency: str = "PKN") -> int:
    """Open a cash session through the API; returns its id."""
    response = client.post("/cashdesk/sessions", json={"agency_code": agency}, headers=world.headers(login))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def client_for(world: World, **policy: object) -> TestClient:
    """A test client of the API on ``world`` (with policy settings changed by ``policy``)."""
    chosen = fast_policy(**policy) if policy else world.policy
    return TestClient(create_app(world.settings, policy=chosen, migrate=False), raise_server_exceptions=False)


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with client_for(world) as test_client:
        yield test_client


# --- a real server -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A uvicorn process serving the API on a world's database."""

    world: World
    port: int = field(default_factory=free_port)
    workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        keep = {key: value for key, value in os.environ.items() if not key.startswith("YEELEN_")}
        return (
            keep
            | POLICY_ENV
            | {
                "YEELEN_HOME": str(self.world.settings.home),
                "YEELEN_OPERATIONAL_URL": self.world.url,
                "YEELEN_DB_POOL_SIZE": "20",
                "PYTHONPATH": str(ROOT),
            }
        )

    def start(self) -> Server:
        self.log = self.world.settings.home / f"uvicorn-{self.port}.log"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "operational_api.main:app_from_environment",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--workers",
            str(self.workers),
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, env=self.environment(), stdout=log, stderr=log, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx2.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"uvicorn did not answer: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: the process dies at once, in the middle of whatever it was doing."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@pytest.fixture
def server_factory(request: pytest.FixtureRequest) -> Iterator:
    """Start uvicorn servers on a world; every server is stopped when the test ends."""
    servers: list[Server] = []

    def start(world: World, workers: int = 1, **policy: object) -> Server:
        extra = {f"YEELEN_{key.upper()}": str(value) for key, value in policy.items()}
        server = Server(world, workers=workers, extra_env=extra).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def password_hash(password: str) -> str:
    return security.hash_password(password, fast_policy())
