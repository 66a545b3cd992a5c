"""Customer accounts: ledger rules, matching (lettrage), balances, statements."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, insert, select

from operational_api.accounts import service as accounts
from operational_api.accounts.exceptions import LedgerSignError
from operational_api.accounts.models import Allocation, LedgerEntry, Payment
from operational_api.billing.models import Invoice
from operational_api.customers.models import Contract, Customer
from tests.operational_api.conftest import World, client_for, open_session

JAN, FEB, MAR = dt.date(2026, 1, 15), dt.date(2026, 2, 15), dt.date(2026, 3, 15)


def test_ledger_entries_carry_the_sign_of_their_kind() -> None:
    base = {"customer_id": 1, "contract_id": None, "entry_date": JAN, "description": "x", "created_by": "t"}
    for kind, amount in (("invoice", 100), ("fee", 5), ("payment_reversal", 3), ("payment", -100), ("credit_note", -7)):
        assert accounts.entry_values(kind=kind, amount=amount, **base)["amount"] == amount
    assert accounts.entry_values(kind="adjustment", amount=-4, **base)["amount"] == -4
    for kind, amount in (("invoice", -100), ("payment", 100), ("credit_note", 7), ("fee", -5), ("payment", 0)):
        with pytest.raises(LedgerSignError):
            accounts.entry_values(kind=kind, amount=amount, **base)
    with pytest.raises(LedgerSignError):
        accounts.entry_values(kind="gift", amount=1, **base)


def test_oldest_due_first_pays_the_invoice_due_first(world: World) -> None:
    early_issue = world.invoice(total=10_000, issued=dt.date(2026, 1, 5), due=MAR)
    early_due = world.invoice(total=4_000, issued=dt.date(2026, 2, 1), due=FEB)
    _, plan = world.pay(amount=6_000, rule="oldest_due_first")
    assert [(line.invoice_number, line.amount) for line in plan.lines] == [(early_due, 4_000), (early_issue, 2_000)]
    assert world.open_amounts() == {early_issue: 8_000, early_due: 0}


def test_a_received_payment_writes_its_number_entry_and_allocations_past_seven_digits(world: World) -> None:
    """The receipt number, the ledger entry and the allocations of a payment, the same on every engine, also when
    the series passes 9,999,999 (the number then takes an eighth digit)."""
    first = world.invoice(total=3_000, issued=dt.date(2026, 1, 5), due=FEB)
    second = world.invoice(total=5_000, issued=dt.date(2026, 2, 5), due=MAR)
    receipt, _ = world.pay(amount=1_000)
    assert receipt == "T2026-0000001"
    world.execute("update document_sequence set last_number = 9999998 where series = 'T2026'")
    receipts = [world.pay(amount=amount)[0] for amount in (2_500, 6_000)]
    assert receipts == ["T2026-9999999", "T2026-10000000"]
    assert accounts.receipt_number("T2026", 10_000_000) == receipts[-1]
    rows = world.rows(
        "select p.receipt_number, p.sequence_number, e.amount, e.description, e.kind from payment p "
        "join ledger_entry e on e.payment_id = p.id order by p.sequence_number"
    )
    assert rows == [
        ("T2026-0000001", 1, -1_000, "Paiement reçu n° T2026-0000001", "payment"),
        ("T2026-9999999", 9_999_999, -2_500, "Paiement reçu n° T2026-9999999", "payment"),
        ("T2026-10000000", 10_000_000, -6_000, "Paiement reçu n° T2026-10000000", "payment"),
    ]
    allocations = world.rows(
        "select p.receipt_number, i.number, a.amount from allocation a join payment p on p.id = a.payment_id "
        "join invoice i on i.id = a.invoice_id order by a.id"
    )
    assert allocations == [
        ("T2026-0000001", first, 1_000),
        ("T2026-9999999", first, 2_000),
        ("T2026-9999999", second, 500),
        ("T2026-10000000", second, 4_500),
    ]


def test_oldest_issued_first_pays_the_invoice_issued_first(world: World) -> None:
    early_issue = world.invoice(total=10_000, issued=dt.date(2026, 1, 5), due=MAR)
    early_due = world.invoice(total=4_000, issued=dt.date(2026, 2, 1), due=FEB)
    _, plan = world.pay(amount=12_000, rule="oldest_issued_first")
    assert [(line.invoice_number, line.amount) for line in plan.lines] == [(early_issue, 10_000), (early_due, 2_000)]


def test_an_explicit_list_pays_those_invoices_in_that_order(world: World) -> None:
    first = world.invoice(total=3_000, due=JAN)
    second = world.invoice(total=3_000, due=FEB)
    third = world.invoice(total=3_000, due=MAR)
    _, plan = world.pay(amount=4_000, rule="explicit", invoice_numbers=[third, first])
    assert [(line.invoice_number, line.amount) for line in plan.lines] == [(third, 3_000), (first, 1_000)]
    assert world.open_amounts() == {first: 2_000, second: 3_000, third: 0}


def test_a_payment_never_allocates_more_than_is_open(world: World) -> None:
    number = world.invoice(total=5_000)
    receipt, plan = world.pay(amount=8_000)
    assert plan.allocated == 5_000 and plan.remainder == 3_000
    assert world.open_amounts() == {number: 0}
    with world.session() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.reference == "C0000001"))
        balance = accounts.customer_balance(session=session, customer_id=customer_id)
    assert (balance.balance, balance.unallocated_credit, balance.open_amount) == (-3_000, 3_000, 0)
    # The advance pays the next invoice when credits are matched.
    later = world.invoice(total=2_000, due=MAR)
    with world.session() as session:
        summary = accounts.match_open_credits(session=session, customer_ids=[customer_id])
    assert (summary.allocations, summary.amount) == (1, 2_000)
    assert world.open_amounts()[later] == 0
    assert receipt.startswith("T2026-")


def test_the_remainder_is_refused_when_over_payments_are_not_accepted(world: World) -> None:
    world.invoice(total=5_000)
    with client_for(world, allow_overpayment=False) as client:
        open_session(client, world)
        body = {"customer_reference": "C0000001", "amount": 6_000, "method": "cash"}
        preview = client.post("/cashdesk/payments/preview", json=body, headers=world.headers())
        assert preview.status_code == 422 and preview.json()["code"] == "amount_over_balance"
        refused = client.post("/cashdesk/payments", json=body, headers=world.headers())
        assert refused.status_code == 422 and refused.json()["code"] == "amount_over_balance"
        assert "5\u202f000" in refused.json()["message"]
        assert world.scalar("select count(*) from payment") == 0
        exact = client.post("/cashdesk/payments", json=body | {"amount": 5_000}, headers=world.headers())
        assert exact.status_code == 201
        # An advance is deliberate: it is accepted even so.
        advance = client.post("/cashdesk/payments", json=body | {"purpose": "advance"}, headers=world.headers())
        assert advance.status_code == 201 and advance.json()["unallocated"] == 6_000


def test_credit_notes_go_to_the_invoice_they_correct_first(world: World) -> None:
    older = world.invoice(total=4_000, due=JAN)
    wrong = world.invoice(total=9_000, due=FEB)
    world.invoice(total=2_500, kind="credit_note", corrects=wrong, due=FEB)
    with world.session() as session:
        summary = accounts.match_open_credits(session=session, customer_ids=[world.customer_id("C0000001")])
    assert summary.amount == 2_500
    assert world.open_amounts() == {older: 4_000, wrong: 6_500}
    credit = world.rows("select credit_invoice_id, payment_id, amount from allocation")
    assert len(credit) == 1 and credit[0][1] is None and credit[0][2] == 2_500


def test_credits_pay_their_own_contract_first(world: World) -> None:
    customer = world.new_customer(contracts=2)
    first = world.invoice(customer=customer, contract=f"{customer}-1", total=3_000, due=JAN)
    second = world.invoice(customer=customer, contract=f"{customer}-2", total=3_000, due=FEB)
    world.pay(customer=customer, amount=3_000, purpose="advance", contract=f"{customer}-2")
    with world.session() as session:
        accounts.match_open_credits(session=session, customer_ids=[world.customer_id(customer)])
    assert world.open_amounts(customer) == {first: 3_000, second: 0}


def test_deposits_are_never_matched_automatically(world: World) -> None:
    number = world.invoice(total=5_000)
    world.pay(amount=20_000, purpose="deposit")
    with world.session() as session:
        summary = accounts.match_open_credits(session=session, customer_ids=[world.customer_id("C0000001")])
        balance = accounts.customer_balance(session=session, customer_id=world.customer_id("C0000001"))
    assert summary.allocations == 0
    assert world.open_amounts() == {number: 5_000}
    assert (balance.deposits_held, balance.balance, balance.amount_due) == (20_000, -15_000, 5_000)


def test_matching_is_idempotent_and_conserves_money(world: World) -> None:
    invoices = [world.invoice(total=1_000 * n, due=dt.date(2026, n, 1)) for n in (1, 2, 3)]
    world.pay(amount=2_500, purpose="advance")
    world.pay(amount=1_000, purpose="advance")
    customer_id = world.customer_id("C0000001")
    with world.session() as session:
        first = accounts.match_open_credits(session=session, customer_ids=[customer_id])
    with world.session() as session:
        second = accounts.match_open_credits(session=session, customer_ids=[customer_id])
    assert (first.amount, second.allocations) == (3_500, 0)
    assert world.open_amounts() == {invoices[0]: 0, invoices[1]: 0, invoices[2]: 2_500}


def test_matching_thousands_of_customers_is_set_based(world: World) -> None:
    count = 2_000
    with world.session() as session:
        agency_id = session.scalar(select(Customer.agency_id).where(Customer.reference == "C0000001"))
        contract_id = session.scalar(select(Contract.id).where(Contract.reference == "P0000001"))
        session.execute(
            insert(Customer),
            [
                {"reference": f"M{i:07d}", "kind": "person", "name": f"Client {i}", "agency_id": agency_id}
                for i in range(count)
            ],
        )
        ids = list(session.scalars(select(Customer.id).where(Customer.reference.like("M%")).order_by(Customer.id)))
        today = dt.date(2026, 3, 1)
        session.execute(
            insert(Invoice),
            [
                {
                    "number": f"FM-{i:07d}",
                    "series": "FM",
                    "sequence_number": i,
                    "kind": "invoice",
                    "contract_id": contract_id,
                    "customer_id": customer_id,
                    "agency_id": agency_id,
                    "billing_month": today,
                    "period_start": today,
                    "period_end": today,
                    "consumption": 1,
                    "unit": "kWh",
                    "issue_date": today,
                    "due_date": today,
                    "currency": "XOF",
                    "total": 1_000,
                    "issued_by": "tests",
                }
                for i, customer_id in enumerate(ids)
            ],
        )
        session.execute(
            insert(Payment),
            [
                {
                    "receipt_number": f"PM-{i:07d}",
                    "series": "PM",
                    "sequence_number": i,
                    "customer_id": customer_id,
                    "amount": 600,
                    "currency": "XOF",
                    "method": "transfer",
                    "purpose": "advance",
                    "channel": "test",
                    "received_at": dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
                    "business_date": dt.date(2026, 2, 1),
                    "status": "posted",
                    "created_by": "tests",
                }
                for i, customer_id in enumerate(ids)
            ],
        )
    statements = []
    event.listen(world.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    started = time.perf_counter()
    with world.session() as session:
        summary = accounts.match_open_credits(session=session, customer_ids=ids)
    elapsed = time.perf_counter() - started
    assert (summary.customers, summary.allocations, summary.amount) == (count, count, 600 * count)
    # A few statements per chunk of 500 customers, whatever the number of customers.
    assert len(statements) <= 6 * (count // 500 + 1), len(statements)
    assert elapsed < 20, elapsed
    assert world.scalar("select count(*) from allocation where amount > 0") == count


def test_balances_per_contract_and_customer(world: World, client: TestClient) -> None:
    customer = world.new_customer(contracts=2)
    world.invoice(customer=customer, contract=f"{customer}-1", total=3_000)
    world.invoice(customer=customer, contract=f"{customer}-2", total=5_000)
    world.pay(customer=customer, amount=1_000, contract=f"{customer}-2")
    world.pay(customer=customer, amount=500, purpose="advance")
    body = client.get(f"/customers/{customer}/account", headers=world.headers("billing_clerk")).json()
    assert (body["balance"], body["open_amount"], body["unallocated_credit"], body["amount_due"]) == (
        6_500,
        7_000,
        500,
        6_500,
    )
    lines = {line["contract_reference"]: (line["balance"], line["open_amount"]) for line in body["contracts"]}
    assert lines == {f"{customer}-1": (3_000, 3_000), f"{customer}-2": (4_000, 4_000), None: (-500, 0)}
    invoices = client.get(f"/customers/{customer}/invoices", headers=world.headers("billing_clerk")).json()
    assert sorted(i["open_amount"] for i in invoices) == [3_000, 4_000]


def test_a_statement_has_opening_movements_and_closing(world: World, client: TestClient) -> None:
    world.invoice(total=10_000, issued=dt.date(2025, 12, 5), due=JAN)
    world.invoice(total=7_000, issued=dt.date(2026, 1, 5), due=FEB)
    world.pay(amount=4_000, received_at=dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC))
    world.pay(amount=1_000, received_at=dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC))
    headers = world.headers("customer_clerk")
    body = client.get(
        "/customers/C0000001/statement", params={"start": "2026-01-01", "end": "2026-02-01"}, headers=headers
    ).json()
    assert body["opening_balance"] == 10_000
    assert [(line["kind"], line["debit"], line["credit"], line["balance"]) for line in body["lines"]] == [
        ("invoice", 7_000, 0, 17_000),
        ("payment", 0, 4_000, 13_000),
    ]
    assert (body["closing_balance"], body["total_debit"], body["total_credit"]) == (13_000, 7_000, 4_000)
    assert body["lines"][1]["reference"].startswith("T2026-")
    bad = client.get(
        "/customers/C0000001/statement", params={"start": "2026-02-01", "end": "2026-01-01"}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["code"] == "bad_period"
    pdf = client.get(
        "/customers/C0000001/statement.pdf", params={"start": "2026-01-01", "end": "2026-02-01"}, headers=headers
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_matching_run_is_open_to_billing_and_audited(world: World, client: TestClient) -> None:
    number = world.invoice(total=2_000)
    world.pay(amount=2_000, purpose="advance")
    response = client.post("/accounts/match", json={"agency_code": "PKN"}, headers=world.headers("billing_clerk"))
    assert response.json() == {"customers": 1, "allocations": 1, "amount": 2_000}
    assert world.open_amounts() == {number: 0}
    assert world.scalar("select count(*) from audit_event where action = 'accounts.match'") == 1
    other = client.post("/accounts/match", json={"agency_code": "GUE"}, headers=world.headers("billing_clerk"))
    assert other.status_code == 403 and other.json()["code"] == "other_agency"
    assert client.post("/accounts/match", json={}, headers=world.headers("billing_clerk")).status_code == 422


amounts = st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoices=amounts, payments=amounts, rule=st.sampled_from(["oldest_due_first", "oldest_issued_first"]))
def test_money_is_conserved_and_no_invoice_is_over_paid(world: World, invoices, payments, rule) -> None:
    customer = world.new_customer()
    for index, total in enumerate(invoices):
        world.invoice(customer=customer, total=total, due=JAN + dt.timedelta(days=7 * index))
    for amount in payments:
        world.pay(customer=customer, amount=amount, rule=rule)
    with world.session() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.reference == customer))
        accounts.match_open_credits(session=session, customer_ids=[customer_id], rule=rule)
        ledger = session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.customer_id == customer_id))
        allocated = session.scalar(
            select(func.coalesce(func.sum(Allocation.amount), 0))
            .join(Payment, Payment.id == Allocation.payment_id)
            .where(Payment.customer_id == customer_id)
        )
    opens = world.open_amounts(customer)
    assert ledger == sum(invoices) - sum(payments)
    assert all(value >= 0 for value in opens.values())
    assert allocated == min(sum(invoices), sum(payments))
    assert sum(opens.values()) == sum(invoices) - allocated
