"""A server killed in the middle of a batch of payments loses nothing and doubles nothing once the batch is
replayed: each payment is there exactly once and the ledger balances."""

from __future__ import annotations

import threading
import time
import uuid

import httpx2
import pytest

from tests.operational_api.conftest import BACKENDS, Server, World, make_world

pytestmark = pytest.mark.slow


def balanced(world: World) -> None:
    """The ledger is invoices minus payments (plus reversals), and no invoice is paid beyond its total."""
    ledger = world.scalar("select coalesce(sum(amount), 0) from ledger_entry")
    invoices = world.scalar("select coalesce(sum(total), 0) from invoice")
    payments = world.scalar("select coalesce(sum(amount), 0) from payment")
    assert ledger == invoices - payments
    over = world.scalar(
        "select count(*) from invoice i"
        " where i.total < (select coalesce(sum(a.amount), 0) from allocation a where a.invoice_id = i.id)"
    )
    assert over == 0
    numbers = [row[0] for row in world.rows("select sequence_number from payment order by series, sequence_number")]
    series = world.scalar("select count(distinct series) from payment")
    assert series == 1 and numbers == list(range(1, len(numbers) + 1))


def send_until_killed(server: Server, requests: list, kill_after: int) -> int:
    """Send ``requests`` from four threads; kill the server once ``kill_after`` answers arrived."""
    answered = 0
    lock = threading.Lock()
    killed = threading.Event()

    def worker(chunk: list) -> None:
        nonlocal answered
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            for send in chunk:
                if killed.is_set():
                    return
                try:
                    response = send(client)
                except httpx2.HTTPError:
                    return
                assert response.status_code == 200, response.text
                with lock:
                    answered += 1

    threads = [threading.Thread(target=worker, args=(requests[index::4],)) for index in range(4)]
    for thread in threads:
        thread.start()
    while answered < kill_after and any(thread.is_alive() for thread in threads):
        time.sleep(0.005)
    server.kill()
    killed.set()
    for thread in threads:
        thread.join(30)
    return answered


@pytest.mark.parametrize("backend", BACKENDS)
def test_notifications_replayed_after_a_sigkill_are_recorded_once(
    request: pytest.FixtureRequest, yeelen_home, tmp_path, server_factory, backend: str
) -> None:
    world = make_world(request, backend, tmp_path)
    for customer in ("C0000001", "C0000002", "C0000004"):
        world.invoice(customer=customer, total=500_000)
    bodies = [
        {
            "referenceId": f"fault-{index:05d}-{uuid.uuid4().hex[:8]}",
            "externalId": ("C0000001", "C0000002", "C0000004")[index % 3],
            "amount": str(1_000 + index),
            "currency": "XOF",
            "payer": {"partyIdType": "MSISDN", "partyId": "221771234567"},
            "status": "SUCCESSFUL",
        }
        for index in range(240)
    ]
    auth = world.partner_auth()
    requests = [
        lambda client, body=body: client.post("/mobile-money/notifications", json=body, auth=auth) for body in bodies
    ]
    server = server_factory(world)
    answered = send_until_killed(server, requests, kill_after=80)
    assert 80 <= answered < len(bodies), answered

    again = server_factory(world)
    receipts = {}
    with httpx2.Client(base_url=again.url, timeout=30, auth=auth) as client:
        for body in bodies:
            response = client.post("/mobile-money/notifications", json=body)
            assert response.status_code == 200, response.text
            receipts[body["referenceId"]] = response.json()["receiptNumber"]
    assert len(set(receipts.values())) == len(bodies)
    assert world.scalar("select count(*) from payment") == len(bodies)
    assert world.scalar("select count(*) from mobile_money_notification") == len(bodies)
    assert world.scalar("select sum(amount) from payment") == sum(int(body["amount"]) for body in bodies)
    balanced(world)


@pytest.mark.parametrize("backend", BACKENDS)
def test_offline_uploads_replayed_after_a_sigkill_are_recorded_once(
    request: pytest.FixtureRequest, yeelen_home, tmp_path, server_factory, backend: str
) -> None:
    world = make_world(request, backend, tmp_path)
    world.invoice(total=5_000_000)
    items = [
        {
            "client_id": f"desk-{index:05d}-{uuid.uuid4().hex[:8]}",
            "customer_reference": "C0000001",
            "amount": 500 + index,
            "method": "cash",
            "received_at": "2026-03-02T09:15:00+00:00",
        }
        for index in range(400)
    ]
    uploads = [items[start : start + 20] for start in range(0, len(items), 20)]
    headers = world.headers("cashier")

    def sender(batch: list):
        return lambda client: client.post(
            "/cashdesk/offline-uploads",
            json={"desk": "BOA-Rufisque", "agency_code": "PKN", "items": batch},
            headers=headers,
        )

    server = server_factory(world)
    answered = send_until_killed(server, [sender(batch) for batch in uploads], kill_after=6)
    assert 6 <= answered < len(uploads), answered
    present_before = world.scalar("select count(*) from payment")

    again = server_factory(world)
    outcome = {"created": 0, "already_present": 0}
    with httpx2.Client(base_url=again.url, timeout=30) as client:
        for batch in uploads:
            body = client.post(
                "/cashdesk/offline-uploads",
                json={"desk": "BOA-Rufisque", "agency_code": "PKN", "items": batch},
                headers=headers,
            ).json()
            assert body["refused"] == 0, body
            outcome["created"] += body["created"]
            outcome["already_present"] += body["already_present"]
    assert outcome == {"created": len(items) - present_before, "already_present": present_before}
    assert world.scalar("select count(*) from payment") == len(items)
    assert world.scalar("select count(distinct idempotency_key) from payment") == len(items)
    balanced(world)
