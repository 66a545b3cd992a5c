"""The cash desk: sessions, payments (preview then confirm), receipts, cancellation, cash counts, deposits,
supervision, idempotency."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient

from operational_api.documents import ReceiptData, ReceiptLine, format_money, receipt_html
from tests.operational_api.conftest import World, open_session

JAN, FEB = dt.date(2026, 1, 15), dt.date(2026, 2, 15)


def pay(client: TestClient, world: World, login: str = "cashier", key: str | None = None, **body):
    payload = {"customer_reference": "C0000001", "amount": 1_000, "method": "cash"} | body
    headers = world.headers(login) | ({"Idempotency-Key": key} if key else {})
    return client.post("/cashdesk/payments", json=payload, headers=headers)


def test_one_session_per_cashier_day_and_agency(world: World, client: TestClient) -> None:
    open_session(client, world)
    again = client.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=world.headers())
    assert again.status_code == 409 and again.json()["code"] == "session_exists"
    other_agency = client.post("/cashdesk/sessions", json={"agency_code": "GUE"}, headers=world.headers())
    assert other_agency.status_code == 403 and other_agency.json()["code"] == "other_agency"
    # Another cashier opens their own session the same day.
    open_session(client, world, login="cashier2")
    current = client.get("/cashdesk/sessions/current", headers=world.headers()).json()
    assert (current["cashier"], current["status"], current["workstation"]) == ("cashier", "open", "DESK-01")


def test_a_session_left_open_on_an_earlier_day_must_be_closed_first(world: World, client: TestClient) -> None:
    session_id = open_session(client, world)
    world.execute("update cash_session set business_date = :day where id = :id", day=dt.date(2020, 1, 2), id=session_id)
    refused = client.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=world.headers())
    assert refused.status_code == 409 and refused.json()["code"] == "previous_session_open"
    assert "02/01/2020" in refused.json()["message"]
    assert pay(client, world).json()["code"] == "no_open_session"


def test_payments_need_an_open_session(world: World, client: TestClient) -> None:
    world.invoice(total=5_000)
    refused = pay(client, world)
    assert refused.status_code == 409 and refused.json()["code"] == "no_open_session"
    session_id = open_session(client, world)
    assert pay(client, world).status_code == 201
    closed = client.post(f"/cashdesk/sessions/{session_id}/close", json={"count": []}, headers=world.headers())
    assert closed.status_code == 200
    refused = pay(client, world)
    assert refused.status_code == 409 and refused.json()["code"] == "session_closed"
    assert (
        client.post(f"/cashdesk/sessions/{session_id}/close", json={"count": []}, headers=world.headers()).json()[
            "code"
        ]
        == "session_closed"
    )


def test_the_preview_shows_the_allocation_and_writes_nothing(world: World, client: TestClient) -> None:
    first = world.invoice(total=10_000, due=JAN)
    second = world.invoice(total=5_000, due=FEB)
    open_session(client, world)
    body = {"customer_reference": "C0000001", "amount": 12_000, "method": "cash"}
    before = world.scalar("select count(*) from audit_event")
    preview = client.post("/cashdesk/payments/preview", json=body, headers=world.headers()).json()
    assert [(a["invoice_number"], a["amount"], a["open_after"]) for a in preview["allocations"]] == [
        (first, 10_000, 0),
        (second, 2_000, 3_000),
    ]
    assert (preview["amount_due_before"], preview["amount_due_after"], preview["unallocated"]) == (15_000, 3_000, 0)
    assert world.scalar("select count(*) from payment") == 0
    assert world.scalar("select count(*) from audit_event") == before
    confirmed = pay(client, world, **body).json()
    assert confirmed["allocations"] == preview["allocations"]


def test_full_partial_and_advance_payments_by_every_means(world: World, client: TestClient) -> None:
    number = world.invoice(total=10_000)
    open_session(client, world)
    partial = pay(client, world, amount=4_000, method="mobile_money", payer_reference="MP-778899").json()
    assert partial["allocations"][0]["open_after"] == 6_000 and partial["unallocated"] == 0
    full = pay(client, world, amount=6_000, method="transfer", payer_reference="VIR-1").json()
    assert full["allocations"] == [
        {"invoice_number": number, "due_date": "2026-02-15", "amount": 6_000, "open_before": 6_000, "open_after": 0}
    ]
    advance = pay(
        client, world, amount=2_500, method="cheque", cheque_number="0012345", cheque_bank="CBAO", purpose="advance"
    ).json()
    assert advance["allocations"] == [] and advance["unallocated"] == 2_500 and advance["cheque_bank"] == "CBAO"
    by_contract = pay(client, world, contract_reference="P0000001", amount=500).json()
    assert by_contract["contract_reference"] == "P0000001"
    assert world.open_amounts() == {number: 0}
    balance = client.get("/customers/C0000001/account", headers=world.headers()).json()["balance"]
    assert balance == 10_000 - 4_000 - 6_000 - 2_500 - 500


def test_a_cheque_needs_its_number_and_bank(world: World, client: TestClient) -> None:
    open_session(client, world)
    response = pay(client, world, method="cheque")
    assert response.status_code == 422 and response.json()["code"] == "cheque_details_required"


def test_receipt_numbers_follow_each_other_without_gaps_even_after_refusals(world: World, client: TestClient) -> None:
    world.invoice(total=100_000)
    open_session(client, world)
    open_session(client, world, login="cashier2")
    receipts = []
    for index in range(6):
        login = "cashier" if index % 2 else "cashier2"
        receipts.append(pay(client, world, login=login, amount=1_000).json()["receipt_number"])
        # A refused payment between two good ones takes no number.
        assert pay(client, world, login=login, customer_reference="C0000003").status_code == 403
        assert pay(client, world, login=login, customer_reference="C9").status_code == 404
    assert receipts == [f"R{dt.date.today().year}-PKN-{n:07d}" for n in range(1, 7)]


def test_cancellation_is_a_reversing_entry_by_a_supervisor(world: World, client: TestClient) -> None:
    number = world.invoice(total=10_000)
    open_session(client, world)
    receipt = pay(client, world, amount=7_000).json()["receipt_number"]
    refused = client.post(f"/cashdesk/payments/{receipt}/cancel", json={"reason": "erreur"}, headers=world.headers())
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert (
        client.post(f"/cashdesk/payments/{receipt}/cancel", json={}, headers=world.headers("supervisor")).status_code
        == 422
    )

    cancelled = client.post(
        f"/cashdesk/payments/{receipt}/cancel", json={"reason": "Erreur de client"}, headers=world.headers("supervisor")
    ).json()
    assert (cancelled["status"], cancelled["status_reason"]) == ("cancelled", "Erreur de client")
    assert [a["amount"] for a in cancelled["allocations"]] == [7_000, -7_000]
    assert world.open_amounts() == {number: 10_000}
    assert world.rows("select kind, amount from ledger_entry where payment_id is not null order by id") == [
        ("payment", -7_000),
        ("payment_reversal", 7_000),
    ]
    assert world.scalar("select count(*) from payment") == 1
    again = client.post(
        f"/cashdesk/payments/{receipt}/cancel", json={"reason": "encore"}, headers=world.headers("supervisor")
    )
    assert again.status_code == 409 and again.json()["code"] == "payment_not_posted"
    session = client.get("/cashdesk/sessions/current", headers=world.headers()).json()
    assert (session["expected_cash"], session["cancelled_count"], session["cancelled_amount"]) == (0, 1, 7_000)


def test_a_payment_of_a_closed_session_cannot_be_cancelled(world: World, client: TestClient) -> None:
    world.invoice(total=10_000)
    session_id = open_session(client, world)
    receipt = pay(client, world, amount=1_000).json()["receipt_number"]
    client.post(f"/cashdesk/sessions/{session_id}/close", json={"count": []}, headers=world.headers())
    refused = client.post(
        f"/cashdesk/payments/{receipt}/cancel", json={"reason": "tard"}, headers=world.headers("supervisor")
    )
    assert refused.status_code == 409 and refused.json()["code"] == "session_closed"


def test_receipts_print_once_as_original_then_as_duplicates(world: World, client: TestClient) -> None:
    world.invoice(total=10_000)
    open_session(client, world)
    receipt = pay(client, world, amount=12_500).json()["receipt_number"]
    first = client.post(f"/cashdesk/payments/{receipt}/receipt", headers=world.headers())
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF") and "x-receipt-copy" not in first.headers
    second = client.post(f"/cashdesk/payments/{receipt}/receipt", headers=world.headers("supervisor"))
    assert second.headers["x-receipt-copy"] == "duplicate"
    assert world.rows("select duplicate, printed_by from receipt_print order by id") == [
        (False, "cashier"),
        (True, "supervisor"),
    ]


def test_the_receipt_says_duplicata_and_writes_amounts_with_the_currency() -> None:
    data = ReceiptData(
        utility="Yeelen",
        receipt_number="R2026-PKN-0000001",
        received_at=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
        timezone="Africa/Dakar",
        agency="PKN",
        cashier="awa",
        customer_reference="C0000001",
        customer_name="Awa <b>Ndiaye</b>",
        contract_reference="P0000001",
        method="cash",
        purpose="invoices",
        amount=12_500,
        currency="XOF",
        lines=[ReceiptLine("F2026-1", JAN, 10_000, 0)],
        unallocated=2_500,
        cheque=None,
        status="posted",
        duplicate=True,
        printed_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )
    page = receipt_html(data)
    assert "DUPLICATA" in page and "Reçu de paiement n° R2026-PKN-0000001" in page
    assert "12\u202f500\u00a0F CFA" in page and "Espèces" in page and "02/03/2026 09:30" in page
    assert "<b>Ndiaye</b>" not in page and "&lt;b&gt;Ndiaye" in page
    assert "DUPLICATA" not in receipt_html(ReceiptData(**{**data.__dict__, "duplicate": False}))
    assert "ANNULÉ" in receipt_html(ReceiptData(**{**data.__dict__, "status": "cancelled"}))
    assert format_money(123_456_789, "XOF") == "123\u202f456\u202f789\u00a0F CFA"
    assert format_money(-1_234_50, "GMD") == "-1\u202f234,50\u00a0GMD"


def test_closing_counts_notes_and_coins_and_records_the_difference(world: World, client: TestClient) -> None:
    world.invoice(total=100_000)
    session_id = open_session(client, world)
    pay(client, world, amount=17_775)
    pay(client, world, amount=5_000, method="mobile_money")
    count = [
        {"kind": "note", "denomination": 10000, "quantity": 1},
        {"kind": "note", "denomination": 5000, "quantity": 1},
        {"kind": "note", "denomination": 2000, "quantity": 1},
        {"kind": "coin", "denomination": 500, "quantity": 1},
        {"kind": "coin", "denomination": 250, "quantity": 1},
        {"kind": "coin", "denomination": 25, "quantity": 1},
    ]
    bad = client.post(
        f"/cashdesk/sessions/{session_id}/close",
        json={"count": [{"kind": "note", "denomination": 3000, "quantity": 1}]},
        headers=world.headers(),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "bad_cash_count"
    twice = client.post(
        f"/cashdesk/sessions/{session_id}/close", json={"count": count + count[:1]}, headers=world.headers()
    )
    assert twice.json()["code"] == "bad_cash_count"
    closed = client.post(
        f"/cashdesk/sessions/{session_id}/close", json={"count": count, "note": "Manque 0"}, headers=world.headers()
    ).json()
    assert (closed["expected_cash"], closed["counted_cash"], closed["cash_difference"]) == (17_775, 17_775, 0)
    assert {(t["method"], t["amount"]) for t in closed["totals"]} == {("cash", 17_775), ("mobile_money", 5_000)}
    assert len(closed["count"]) == 6 and closed["count"][0] == {
        "kind": "note",
        "denomination": 10000,
        "quantity": 1,
        "amount": 10000,
    }


def test_a_cashier_cannot_close_another_cashiers_session_but_a_supervisor_can(world: World, client: TestClient) -> None:
    session_id = open_session(client, world)
    refused = client.post(
        f"/cashdesk/sessions/{session_id}/close", json={"count": []}, headers=world.headers("cashier2")
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_session"
    other = client.post(
        f"/cashdesk/sessions/{session_id}/close", json={"count": []}, headers=world.headers("gue-supervisor")
    )
    assert other.status_code == 403 and other.json()["code"] == "other_agency"
    closed = client.post(
        f"/cashdesk/sessions/{session_id}/close",
        json={"count": [{"kind": "note", "denomination": 1000, "quantity": 2}], "note": "Oubli de clôture"},
        headers=world.headers("supervisor"),
    ).json()
    assert (closed["closed_by"], closed["cash_difference"]) == ("supervisor", 2_000)


def test_cheque_slips_bank_deposits_and_cash_not_yet_deposited(world: World, client: TestClient) -> None:
    world.invoice(total=500_000)
    session_id = open_session(client, world)
    cheques = [
        pay(client, world, amount=10_000 * n, method="cheque", cheque_number=f"00{n}", cheque_bank="SGBS").json()
        for n in (1, 2)
    ]
    pay(client, world, amount=30_000)
    slip = client.post(
        "/cashdesk/cheque-deposits", json={"agency_code": "PKN", "bank": "CBAO"}, headers=world.headers()
    )
    assert slip.status_code == 201, slip.text
    slip = slip.json()
    assert (slip["cheque_count"], slip["total"]) == (2, 30_000)
    assert slip["receipt_numbers"] == [cheque["receipt_number"] for cheque in cheques]
    empty = client.post(
        "/cashdesk/cheque-deposits", json={"agency_code": "PKN", "bank": "CBAO"}, headers=world.headers()
    )
    assert empty.status_code == 422 and empty.json()["code"] == "nothing_to_deposit"
    pdf = client.get(f"/cashdesk/cheque-deposits/{slip['reference']}", headers=world.headers())
    assert pdf.content.startswith(b"%PDF")

    # Cash waits for the session to close, then for the bank.
    nothing = client.post(
        "/cashdesk/bank-deposits",
        json={"agency_code": "PKN", "bank": "CBAO", "amount": 10_000},
        headers=world.headers(),
    )
    assert nothing.json()["code"] == "nothing_to_deposit"
    client.post(
        f"/cashdesk/sessions/{session_id}/close",
        json={"count": [{"kind": "note", "denomination": 10000, "quantity": 3}]},
        headers=world.headers(),
    )
    # The session becomes one of an earlier day: its cash is still to be deposited.
    world.execute("update cash_session set business_date = :day where id = :id", day=dt.date(2026, 1, 5), id=session_id)
    waiting = client.get("/cashdesk/undeposited-cash", headers=world.headers("supervisor")).json()
    assert [(w["session_id"], w["undeposited"]) for w in waiting] == [(session_id, 30_000)] and waiting[0]["days"] > 0
    too_much = client.post(
        "/cashdesk/bank-deposits",
        json={"agency_code": "PKN", "bank": "CBAO", "amount": 40_000},
        headers=world.headers(),
    )
    assert too_much.status_code == 422 and too_much.json()["code"] == "amount_over_undeposited"
    deposit = client.post(
        "/cashdesk/bank-deposits",
        json={"agency_code": "PKN", "bank": "CBAO", "bank_reference": "BRD-778", "amount": 20_000},
        headers=world.headers(),
    ).json()
    assert deposit["sessions"] == [{"session_id": session_id, "amount": 20_000}]
    waiting = client.get("/cashdesk/undeposited-cash", params={"agency_code": "PKN"}, headers=world.headers()).json()
    assert [(w["deposited"], w["undeposited"]) for w in waiting] == [(20_000, 10_000)]
    view = client.get("/cashdesk/supervision", headers=world.headers("supervisor")).json()
    assert view["agencies"] == [
        {
            "agency_code": "PKN",
            "open_sessions": 0,
            "totals": [],
            "undeposited": 10_000,
            "undeposited_earlier_days": 10_000,
        }
    ]


def test_the_supervisor_sees_every_desk_of_the_agency(world: World, client: TestClient) -> None:
    world.invoice(total=100_000)
    world.invoice(customer="C0000003", total=100_000)
    open_session(client, world)
    open_session(client, world, login="cashier2")
    open_session(client, world, login="gue-cashier", agency="GUE")
    pay(client, world, amount=3_000)
    pay(client, world, login="cashier2", amount=2_000, method="cheque", cheque_number="1", cheque_bank="BOA")
    pay(client, world, login="gue-cashier", customer_reference="C0000003", amount=9_000)
    view = client.get("/cashdesk/supervision", headers=world.headers("supervisor")).json()
    assert sorted(session["cashier"] for session in view["sessions"]) == ["cashier", "cashier2"]
    [pikine] = view["agencies"]
    assert pikine["open_sessions"] == 2
    assert {(t["method"], t["count"], t["amount"]) for t in pikine["totals"]} == {
        ("cash", 1, 3_000),
        ("cheque", 1, 2_000),
    }
    everyone = client.get("/cashdesk/supervision", headers=world.headers("manager")).json()
    assert {agency["agency_code"] for agency in everyone["agencies"]} == {"PKN", "GUE"}
    transactions = client.get(
        f"/cashdesk/sessions/{view['sessions'][0]['id']}/payments", headers=world.headers("supervisor")
    )
    assert transactions.status_code == 200 and len(transactions.json()) == 1
    assert client.get("/cashdesk/supervision", headers=world.headers("cashier")).json()["code"] == "forbidden"


def test_the_same_payment_sent_twice_with_its_key_is_recorded_once(world: World, client: TestClient) -> None:
    world.invoice(total=10_000)
    open_session(client, world)
    key = uuid.uuid4().hex
    first = pay(client, world, key=key, amount=4_000)
    second = pay(client, world, key=key, amount=4_000)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.headers["idempotent-replay"] == "true"
    assert second.json()["receipt_number"] == first.json()["receipt_number"]
    assert world.scalar("select count(*) from payment") == 1
    conflict = pay(client, world, key=key, amount=5_000)
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"


def test_a_payment_can_be_read_back_by_receipt_number(world: World, client: TestClient) -> None:
    world.invoice(total=10_000)
    open_session(client, world)
    receipt = pay(client, world, amount=4_000).json()["receipt_number"]
    body = client.get(f"/cashdesk/payments/{receipt}", headers=world.headers("manager")).json()
    assert (body["amount"], body["cashier"], body["agency_code"]) == (4_000, "cashier", "PKN")
    assert client.get(f"/cashdesk/payments/{receipt}", headers=world.headers("gue-cashier")).json()["code"] == (
        "other_agency"
    )
    assert client.get("/cashdesk/payments/R-NOPE", headers=world.headers()).json()["code"] == "unknown_receipt"
