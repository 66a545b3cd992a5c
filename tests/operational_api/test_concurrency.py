"""Money stays right when requests arrive at the same time: a real uvicorn server, many client threads."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from tests.operational_api.conftest import BACKENDS, World, make_world

pytestmark = pytest.mark.slow


@pytest.fixture(params=BACKENDS)
def live(request: pytest.FixtureRequest, yeelen_home, tmp_path, server_factory) -> tuple[World, str]:
    """A world and a uvicorn server on it."""
    world = make_world(request, request.param, tmp_path)
    return world, server_factory(world).url


def at_once(count: int, action) -> list:
    """Run ``action(index)`` in ``count`` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int):
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_the_same_notification_sent_20_times_at_once_gives_one_payment(live) -> None:
    world, url = live
    number = world.invoice(total=50_000)
    body = {
        "referenceId": str(uuid.uuid4()),
        "externalId": "C0000001",
        "amount": "7000",
        "currency": "XOF",
        "payer": {"partyIdType": "MSISDN", "partyId": "221771234567"},
        "status": "SUCCESSFUL",
        "financialTransactionId": "555",
    }

    def send(_index: int):
        with httpx2.Client(base_url=url, auth=world.partner_auth(), timeout=60) as client:
            return client.post("/mobile-money/notifications", json=body)

    responses = at_once(20, send)
    assert Counter(response.status_code for response in responses) == {200: 20}
    answers = {response.json()["receiptNumber"] for response in responses}
    assert len(answers) == 1
    assert sum(response.headers.get("idempotent-replay") == "true" for response in responses) == 19
    assert world.scalar("select count(*) from payment") == 1
    assert world.scalar("select count(*) from mobile_money_notification") == 1
    assert world.open_amounts() == {number: 43_000}


def test_two_cashiers_paying_the_same_invoice_never_allocate_more_than_is_due(live) -> None:
    world, url = live
    headers = {login: world.headers(login) for login in ("cashier", "cashier2")}
    with httpx2.Client(base_url=url, timeout=60) as client:
        for login in headers:
            assert (
                client.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=headers[login]).status_code
                == 201
            )
    numbers = [world.invoice(total=10_000) for _ in range(5)]
    for _round in range(5):

        def pay(index: int):
            login = ("cashier", "cashier2")[index % 2]
            with httpx2.Client(base_url=url, timeout=60) as client:
                return client.post(
                    "/cashdesk/payments",
                    json={"customer_reference": "C0000001", "amount": 8_000, "method": "cash"},
                    headers=headers[login],
                )

        assert {response.status_code for response in at_once(2, pay)} == {201}
    # 5 rounds x 2 payments of 8 000 = 80 000 against 50 000 due: every invoice paid once, 30 000 kept as credit.
    assert world.open_amounts() == dict.fromkeys(numbers, 0)
    over = world.scalar(
        "select count(*) from invoice i"
        " where i.total < (select sum(a.amount) from allocation a where a.invoice_id = i.id)"
    )
    assert over == 0
    assert world.scalar("select sum(amount) from allocation") == 50_000
    assert world.scalar("select sum(amount) from ledger_entry") == 50_000 - 80_000


def test_receipt_numbers_stay_gapless_under_concurrent_payments(live) -> None:
    world, url = live
    world.invoice(total=10_000_000)
    world.invoice(customer="C0000002", total=10_000_000)
    logins = ("cashier", "cashier2")
    with httpx2.Client(base_url=url, timeout=60) as client:
        for login in logins:
            client.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=world.headers(login))

    def work(index: int):
        statuses = []
        with httpx2.Client(base_url=url, timeout=60, headers=world.headers(logins[index % 2])) as client:
            for step in range(12):
                # Every third request is refused (unknown customer): it must not take a number.
                customer = "C9999999" if step % 3 == 2 else ("C0000001", "C0000002")[step % 2]
                response = client.post(
                    "/cashdesk/payments",
                    json={"customer_reference": customer, "amount": 100 + step, "method": "cash"},
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                )
                statuses.append(response.status_code)
        return statuses

    statuses = [status for result in at_once(8, work) for status in result]
    assert Counter(statuses) == {201: 64, 404: 32}
    numbers = [row[0] for row in world.rows("select sequence_number from payment order by sequence_number")]
    assert numbers == list(range(1, 65))
    assert world.scalar("select count(distinct receipt_number) from payment") == 64


@pytest.mark.parametrize("backend", BACKENDS)
def test_more_requests_on_one_customer_than_threads_never_wait_for_ever(
    request: pytest.FixtureRequest, yeelen_home, tmp_path, server_factory, backend: str
) -> None:
    # Four threads, thirty payments of the same customer at once: each holds the customer's lock until its
    # commit, which must never need a thread that a waiting request holds.
    world = make_world(request, backend, tmp_path)
    url = server_factory(world, worker_threads=4).url
    world.invoice(total=1_000_000)
    with httpx2.Client(base_url=url, timeout=60) as client:
        client.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=world.headers())

    def pay(_index: int):
        with httpx2.Client(base_url=url, timeout=60, headers=world.headers()) as client:
            return client.post(
                "/cashdesk/payments", json={"customer_reference": "C0000001", "amount": 1_000, "method": "cash"}
            ).status_code

    assert Counter(at_once(30, pay)) == {201: 30}
    assert world.open_amounts() == {world.rows("select number from invoice")[0][0]: 970_000}


def test_campaigns_created_at_once_get_distinct_references(live) -> None:
    world, url = live
    planner = world.headers("field_planner")

    def create(index: int):
        body = {
            "name": f"Coupures {index}",
            "agency_code": "PKN",
            "targets": [{"contract_reference": "P0000001", "agent": "Moussa", "route_order": 1, "amount_due": 1_000}],
        }
        with httpx2.Client(base_url=url, timeout=60) as client:
            return client.post("/collection/campaigns", json=body, headers=planner)

    responses = at_once(8, create)
    assert Counter(response.status_code for response in responses) == {201: 8}, [r.text for r in responses]
    references = sorted(response.json()["reference"] for response in responses)
    month = references[0][: len("CP-YYYYMM")]
    assert references == [f"{month}-{number:04d}" for number in range(1, 9)]


def test_corrections_of_a_statement_sent_at_once_leave_one_current_revision(live) -> None:
    world, url = live
    header = "transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status\n"
    headers = world.headers("supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    with httpx2.Client(base_url=url, timeout=60, headers=headers) as client:
        first = client.post(path, params={"statement_date": "2026-03-01"}, content=header.encode())
        assert first.status_code == 200, first.text

    def correct(index: int):
        content = (
            header + f"2026-03-01T10:00:00Z,ref-late-{index:04d},FT{index},C0000001,{1_000 + index},XOF,SUCCESSFUL\n"
        )
        with httpx2.Client(base_url=url, timeout=60, headers=headers) as client:
            return client.post(
                f"{path}/2026-03-01/corrections", params={"reason": f"Correction {index}"}, content=content.encode()
            )

    responses = at_once(6, correct)
    statuses = Counter(response.status_code for response in responses)
    # Each correction is applied after the one before it, or refused as a concurrent change: never two current.
    assert set(statuses) <= {200, 409} and statuses[200] >= 1, [response.text for response in responses]
    assert all(response.json()["code"] == "conflict" for response in responses if response.status_code == 409)
    revisions = world.rows("select revision, superseded_at is null, total from partner_statement order by revision")
    assert [revision for revision, _, _ in revisions] == list(range(1, statuses[200] + 2))
    assert [current for _, current, _ in revisions] == [False] * statuses[200] + [True]
    applied = sorted(response.json()["revision"] for response in responses if response.status_code == 200)
    assert applied == list(range(2, statuses[200] + 2))
    assert world.scalar("select count(*) from partner_statement_line") == statuses[200]
