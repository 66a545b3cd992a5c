"""Bounced cheques (*chèques impayés*): reversal, fee, bar on cheques, bar lifted by a supervisor."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.operational_api.conftest import World, client_for, open_session

CHEQUE = {"method": "cheque", "cheque_number": "4455667", "cheque_bank": "Ecobank"}


def test_a_bounced_cheque_is_reversed_charged_and_bars_cheques(world: World, client: TestClient) -> None:
    number = world.invoice(total=20_000)
    open_session(client, world)
    paid = client.post(
        "/cashdesk/payments",
        json={"customer_reference": "C0000001", "amount": 20_000} | CHEQUE,
        headers=world.headers(),
    ).json()
    assert world.open_amounts() == {number: 0}
    receipt = paid["receipt_number"]

    assert client.post(f"/cashdesk/payments/{receipt}/bounce", json={}, headers=world.headers()).json()["code"] == (
        "forbidden"
    )
    bounced = client.post(
        f"/cashdesk/payments/{receipt}/bounce",
        json={"reason": "Provision insuffisante"},
        headers=world.headers("supervisor"),
    )
    assert bounced.status_code == 200, bounced.text
    body = bounced.json()
    assert body["payment"]["status"] == "bounced" and body["fee"] == world.policy.bounced_cheque_fee
    assert body["bar"]["customer_reference"] == "C0000001" and body["bar"]["receipt_number"] == receipt
    assert world.open_amounts() == {number: 20_000}
    ledger = world.rows("select kind, amount from ledger_entry where customer_id = 1 order by id")
    assert ledger == [
        ("invoice", 20_000),
        ("payment", -20_000),
        ("payment_reversal", 20_000),
        ("fee", world.policy.bounced_cheque_fee),
    ]
    account = client.get("/customers/C0000001/account", headers=world.headers()).json()
    assert account["balance"] == 20_000 + world.policy.bounced_cheque_fee

    refused = client.post(
        "/cashdesk/payments", json={"customer_reference": "C0000001", "amount": 5_000} | CHEQUE, headers=world.headers()
    )
    assert refused.status_code == 422 and refused.json()["code"] == "cheque_barred"
    assert "cash, mobile money or a transfer" in refused.json()["message"]
    preview = client.post(
        "/cashdesk/payments/preview",
        json={"customer_reference": "C0000001", "amount": 5_000} | CHEQUE,
        headers=world.headers(),
    )
    assert preview.json()["code"] == "cheque_barred"
    cash = client.post(
        "/cashdesk/payments",
        json={"customer_reference": "C0000001", "amount": 5_000, "method": "cash"},
        headers=world.headers(),
    )
    assert cash.status_code == 201

    again = client.post(f"/cashdesk/payments/{receipt}/bounce", json={}, headers=world.headers("supervisor"))
    assert again.status_code == 409 and again.json()["code"] == "payment_not_posted"


def test_the_bar_is_lifted_by_a_supervisor_only(world: World, client: TestClient) -> None:
    world.invoice(total=20_000)
    open_session(client, world)
    receipt = client.post(
        "/cashdesk/payments", json={"customer_reference": "C0000001", "amount": 8_000} | CHEQUE, headers=world.headers()
    ).json()["receipt_number"]
    bar_id = client.post(f"/cashdesk/payments/{receipt}/bounce", json={}, headers=world.headers("supervisor")).json()[
        "bar"
    ]["id"]
    bars = client.get("/cashdesk/cheque-bars", headers=world.headers()).json()
    assert [bar["id"] for bar in bars] == [bar_id]
    assert (
        client.post(
            f"/cashdesk/cheque-bars/{bar_id}/lift", json={"reason": "Régularisé"}, headers=world.headers()
        ).json()["code"]
        == "forbidden"
    )
    assert (
        client.post(
            f"/cashdesk/cheque-bars/{bar_id}/lift",
            json={"reason": "Régularisé"},
            headers=world.headers("gue-supervisor"),
        ).json()["code"]
        == "other_agency"
    )
    lifted = client.post(
        f"/cashdesk/cheque-bars/{bar_id}/lift",
        json={"reason": "Chèque régularisé en espèces"},
        headers=world.headers("supervisor"),
    ).json()
    assert lifted["lifted_by"] == "supervisor" and lifted["lift_reason"] == "Chèque régularisé en espèces"
    assert client.get("/cashdesk/cheque-bars", headers=world.headers()).json() == []
    history = client.get("/cashdesk/cheque-bars", params={"include_lifted": True}, headers=world.headers()).json()
    assert [bar["id"] for bar in history] == [bar_id]
    again = client.post(
        f"/cashdesk/cheque-bars/{bar_id}/lift", json={"reason": "encore"}, headers=world.headers("supervisor")
    )
    assert again.status_code == 404 and again.json()["code"] == "unknown_bar"
    accepted = client.post(
        "/cashdesk/payments", json={"customer_reference": "C0000001", "amount": 1_000} | CHEQUE, headers=world.headers()
    )
    assert accepted.status_code == 201


def test_only_cheques_bounce_and_the_fee_follows_the_setting(world: World) -> None:
    world.invoice(total=20_000)
    with client_for(world, bounced_cheque_fee=0) as client:
        open_session(client, world)
        cash = client.post(
            "/cashdesk/payments",
            json={"customer_reference": "C0000001", "amount": 1_000, "method": "cash"},
            headers=world.headers(),
        ).json()["receipt_number"]
        refused = client.post(f"/cashdesk/payments/{cash}/bounce", json={}, headers=world.headers("supervisor"))
        assert refused.status_code == 422 and refused.json()["code"] == "not_a_cheque"
        cheque = client.post(
            "/cashdesk/payments",
            json={"customer_reference": "C0000001", "amount": 1_000} | CHEQUE,
            headers=world.headers(),
        ).json()["receipt_number"]
        body = client.post(f"/cashdesk/payments/{cheque}/bounce", json={}, headers=world.headers("supervisor")).json()
        assert body["fee"] == 0
        assert world.scalar("select count(*) from ledger_entry where kind = 'fee'") == 0
