"""Offline desks (in banks) upload the payments they took; replays and partial uploads never double or lose one."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.operational_api.conftest import World, client_for


def item(amount: int = 2_000, customer: str = "C0000001", **extra) -> dict:
    return {
        "client_id": uuid.uuid4().hex,
        "customer_reference": customer,
        "amount": amount,
        "method": "cash",
        "received_at": "2026-03-02T09:15:00+00:00",
    } | extra


def upload(client: TestClient, world: World, items: list[dict]):
    return client.post(
        "/cashdesk/offline-uploads",
        json={"desk": "BICIS-Pikine", "agency_code": "PKN", "items": items},
        headers=world.headers("cashier"),
    )


def test_each_item_is_created_once_whatever_the_replays(world: World, client: TestClient) -> None:
    number = world.invoice(total=10_000)
    items = [item(3_000), item(1_500, contract_reference="P0000001", customer_reference=None), item(500)]
    first = upload(client, world, items).json()
    assert (first["created"], first["already_present"], first["refused"]) == (3, 0, 0)
    receipts = [result["receipt_number"] for result in first["results"]]

    replay = upload(client, world, items).json()
    assert (replay["created"], replay["already_present"]) == (0, 3)
    assert [result["receipt_number"] for result in replay["results"]] == receipts
    # A partial upload sent again with new items: the old ones are found, the new ones created.
    more = upload(client, world, items[1:] + [item(700)]).json()
    assert [result["result"] for result in more["results"]] == ["already_present", "already_present", "created"]
    assert world.scalar("select count(*) from payment") == 4
    assert world.open_amounts() == {number: 10_000 - 5_700}
    [(channel, desk, day, session)] = world.rows(
        "select channel, partner, business_date, cash_session_id from payment order by id limit 1"
    )
    assert (channel, desk, str(day), session) == ("offline_desk", "BICIS-Pikine", "2026-03-02", None)


def test_refused_items_say_why_and_leave_the_others_recorded(world: World, client: TestClient) -> None:
    world.invoice(total=10_000)
    good = item(1_000)
    results = upload(
        client,
        world,
        [
            good,
            item(customer="C9999999"),
            item(customer="C0000003"),
            item(method="cheque"),
            {**good, "amount": 9_999},
            item(800),
        ],
    ).json()["results"]
    assert [(result["result"], result["code"]) for result in results] == [
        ("created", None),
        ("refused", "unknown_reference"),
        ("refused", "other_agency"),
        ("refused", "cheque_details_required"),
        ("refused", "duplicate_in_upload"),
        ("created", None),
    ]
    # The same client id later with another amount is refused, not doubled.
    conflict = upload(client, world, [{**good, "amount": 9_999}]).json()["results"][0]
    assert (conflict["result"], conflict["code"]) == ("refused", "idempotency_conflict")
    assert world.scalar("select count(*) from payment") == 2
    receipts = [row[0] for row in world.rows("select sequence_number from payment order by sequence_number")]
    assert receipts == [1, 2]


def test_over_payments_are_refused_per_item_when_not_accepted(world: World) -> None:
    world.invoice(total=1_000)
    with client_for(world, allow_overpayment=False) as client:
        results = upload(client, world, [item(800), item(800)]).json()["results"]
    assert [result["code"] for result in results] == [None, "amount_over_balance"]


def test_uploads_have_a_size_limit_and_need_an_aware_time(world: World) -> None:
    with client_for(world, max_offline_items=2) as client:
        too_many = upload(client, world, [item(), item(), item()])
        assert too_many.status_code == 422 and too_many.json()["code"] == "upload_too_large"
        naive = upload(client, world, [item(received_at="2026-03-02T09:15:00")])
        assert naive.status_code == 422 and naive.json()["code"] == "validation_error"
