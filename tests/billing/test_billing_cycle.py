"""The demo utility billed end to end: every month issued, each invoice what the real-time engine computes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from sqlalchemy import select

from operational_api.db import make_engine, session_factory
from operational_api.models import Contract, Invoice, InvoiceLine, Meter, MeterInstallation
from yeelen.launcher import DemoOptions, prepare
from yeelen.tariffs.engine import quote
from yeelen.tariffs.loader import bundled_book

# What the launcher printed while preparing the module's demo utility.
SAID: list[str] = []


@pytest.fixture(scope="module")
def billed(tmp_path_factory):
    import os

    from yeelen.settings import load_settings

    home = tmp_path_factory.mktemp("billed") / "var"
    previous = os.environ.get("YEELEN_HOME")
    os.environ["YEELEN_HOME"] = str(home)
    try:
        settings = load_settings()
        prepare(
            settings,
            DemoOptions(customers=400, months=5, seed=21, end_month="2026-09", serve=False),
            SAID.append,
        )
        yield settings
    finally:
        if previous is None:
            os.environ.pop("YEELEN_HOME", None)
        else:
            os.environ["YEELEN_HOME"] = previous


def test_every_month_is_issued_and_every_contract_accounted_for(billed) -> None:
    with duckdb.connect(str(billed.published_path), read_only=True) as marts:
        batches = marts.execute(
            "select billing_month, batch_status, contracts, billable + held + not_billed, invoice_count"
            " from marts.rpt_billing_batches order by billing_month"
        ).fetchall()
        months = [row[0] for row in batches]
        assert months == [dt.date(2026, m, 1) for m in range(5, 10)]
        assert all(status == "issued" for _, status, *_ in batches)
        assert all(contracts == decided for _, _, contracts, decided, _ in batches)
        assert sum(row[4] for row in batches) > 1000
        balances = marts.execute("select count(*), sum(balance_minor), sum(paid_minor) from marts.rpt_account_balances")
        customers, balance, paid = balances.fetchone()
        assert customers >= 400 and paid > 0 and balance > 0
        aged = marts.execute("select sum(open_minor) from marts.rpt_aged_balance").fetchone()[0]
        assert aged > 0


def test_issued_invoices_are_what_the_real_time_engine_computes(billed) -> None:
    book = bundled_book()
    eligibility = {grid.code for grid in book.grids if any(version.eligibility for version in grid.versions)}
    engine = make_engine(str(billed.operational_url))
    checked = 0
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Invoice, Contract)
            .join(Contract, Invoice.contract_id == Contract.id)
            .where(Invoice.kind == "invoice", Invoice.grid_code.not_in(eligibility), Invoice.consumption > 0)
            .order_by(Invoice.id)
            .limit(400)
        ).all()
        for invoice, contract in rows:
            meter_type = session.scalar(
                select(Meter.meter_type)
                .join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
                .where(
                    MeterInstallation.contract_id == contract.id, MeterInstallation.installed_on < invoice.period_end
                )
                .order_by(MeterInstallation.installed_on.desc())
                .limit(1)
            )
            expected = quote(
                book,
                invoice.grid_code,
                invoice.consumption,
                invoice.period_start,
                invoice.period_end,
                cycle_months=2 if contract.billing_cycle == "bimonthly" else 1,
                meter_type=meter_type,
                subscribed_power=contract.subscribed_power,
            )
            assert invoice.total == int(expected.total), invoice.number
            lines = session.scalars(
                select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id).order_by(InvoiceLine.line_number)
            ).all()
            assert [(line.code, line.amount) for line in lines] == [
                (line.code, int(line.amount)) for line in expected.lines
            ]
            checked += 1
    engine.dispose()
    assert checked >= 200


def test_bills_look_like_real_ones(billed) -> None:
    engine = make_engine(str(billed.operational_url))
    with session_factory(engine)() as session:
        rows = session.execute(
            select(Invoice.total, Invoice.consumption, Invoice.period_start, Invoice.period_end)
            .join(Contract, Invoice.contract_id == Contract.id)
            .where(Contract.category == "DOM", Invoice.consumption > 50, Invoice.kind == "invoice")
        ).all()
    engine.dispose()
    assert len(rows) > 50
    for total, consumption, start, end in rows:
        # A Senelec domestic bill costs between the first block's price and the top block's price plus taxes
        # and the fee, per kWh: roughly 82 to 200 F/kWh.
        assert Decimal(82) <= total / consumption <= Decimal(200), (total, consumption, start, end)


def test_the_demo_users_log_in_with_their_documented_passwords(billed) -> None:
    from fastapi.testclient import TestClient

    from operational_api.main import create_app
    from yeelen.launcher import login_hint

    with TestClient(create_app(billed, migrate=False)) as api:
        for login, password, role in (
            ("demo-supervisor", "Yeelen-supervisor-2026", "supervisor"),
            ("demo-cashier", "Yeelen-cashier-2026", "cashier"),
            ("demo-field-planner", "Yeelen-field_planner-2026", "field_planner"),
        ):
            answer = api.post("/auth/login", json={"login": login, "password": password})
            assert answer.status_code == 200, answer.text
            assert answer.json()["password_change_required"] is False
            assert answer.json()["user"]["role"] == role
        assert api.post("/auth/login", json={"login": "demo-cashier", "password": "wrong"}).status_code == 401
    assert login_hint(billed).startswith("demo-supervisor / Yeelen-supervisor-2026")


def test_the_login_hint_gives_the_documented_password_only_while_it_opens_the_account(billed) -> None:
    from sqlalchemy import update

    from operational_api.auth.models import User
    from operational_api.auth.security import hash_password
    from operational_api.config import Policy
    from yeelen.launcher import login_hint

    engine = make_engine(str(billed.operational_url))
    with engine.begin() as connection:
        kept = connection.execute(select(User.password_hash).where(User.login == "demo-supervisor")).scalar_one()
        changed = hash_password("Another-secret-2026", Policy(argon2_time_cost=1, argon2_memory_kib=64))
        connection.execute(update(User).where(User.login == "demo-supervisor").values(password_hash=changed))
    try:
        hint = login_hint(billed)
        assert hint.startswith("demo-supervisor (its password was changed"), hint
        assert "Yeelen-supervisor-2026" not in hint
    finally:
        with engine.begin() as connection:
            connection.execute(update(User).where(User.login == "demo-supervisor").values(password_hash=kept))
        engine.dispose()
    assert login_hint(billed).startswith("demo-supervisor / Yeelen-supervisor-2026")


def test_the_demo_payments_are_numbered_as_the_api_numbers_them(billed) -> None:
    from operational_api.accounts.models import Payment
    from operational_api.billing.models import DocumentSequence
    from operational_api.models import Agency

    engine = make_engine(str(billed.operational_url))
    with session_factory(engine)() as session:
        agencies = dict(session.execute(select(Agency.id, Agency.code)).all())
        payments = session.execute(
            select(
                Payment.series,
                Payment.sequence_number,
                Payment.receipt_number,
                Payment.channel,
                Payment.partner,
                Payment.agency_id,
                Payment.business_date,
            )
        ).all()
        last = dict(session.execute(select(DocumentSequence.series, DocumentSequence.last_number)).all())
    engine.dispose()
    numbers: dict[str, list[int]] = {}
    channels = set()
    for series, number, receipt, channel, partner, agency_id, day in payments:
        # An operator's payments in its series, the desks' and banks' in the customer's agency's.
        owner = partner if channel == "mobile_money" else agencies[agency_id]
        assert series == (f"M{day.year}-{owner}" if channel == "mobile_money" else f"R{day.year}-{owner}"), receipt
        assert receipt == f"{series}-{number:07d}"
        numbers.setdefault(series, []).append(number)
        channels.add(channel)
    assert {"mobile_money", "cash_desk"} <= channels
    assert len(numbers) >= 4
    for series, taken in numbers.items():
        # Without gaps from one, and the series' counter where the API will go on from.
        assert sorted(taken) == list(range(1, len(taken) + 1)), series
        assert last[series] == len(taken), series


def test_mobile_money_payments_came_with_notifications_and_the_operators_statements_reconcile(billed) -> None:
    from operational_api.accounts.models import Payment
    from operational_api.intake.models import IntakeFile
    from operational_api.mobile_money import service as mobile_money
    from operational_api.mobile_money.models import MobileMoneyNotification, PartnerStatement
    from operational_api.models import Partner

    engine = make_engine(str(billed.operational_url))
    with session_factory(engine)() as session:
        paid = session.execute(
            select(Payment.partner_reference, Payment.amount, MobileMoneyNotification)
            .outerjoin(MobileMoneyNotification, MobileMoneyNotification.payment_id == Payment.id)
            .where(Payment.channel == "mobile_money")
        ).all()
        assert len(paid) > 20
        for reference, amount, notification in paid:
            assert notification is not None, reference  # each operator payment came with its notification
            assert (notification.reference_id, notification.amount, notification.status) == (
                reference,
                amount,
                "SUCCESSFUL",
            )
        days = session.execute(
            select(Partner.code, PartnerStatement.statement_date).join(
                Partner, Partner.id == PartnerStatement.partner_id
            )
        ).all()
        taken = session.scalars(select(IntakeFile.status).where(IntakeFile.kind == "mobile_money_statement")).all()
        assert days and len(taken) == len(days)  # each statement came in through the inbox
        assert any(f", {len(days)} operator statements taken" in line for line in SAID), SAID
        matched = 0
        for code, day in days:
            result = mobile_money.reconcile(session=session, partner_code=code, statement_date=day)
            # Each payment we recorded that day is matched or explained.
            assert result.ours[0] == (
                result.matched[0] + len(result.amounts_differ) + len(result.missing_on_their_side)
            ), (code, day)
            matched += result.matched[0]
        assert matched > 0
    engine.dispose()
    assert not list((billed.inbox / "mobile_money").glob("*.csv"))  # every file taken out of the inbox
