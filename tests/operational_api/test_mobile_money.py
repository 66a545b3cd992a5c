"""Mobile money and aggregators: bill lookup, idempotent notifications, statements and reconciliation."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient

from tests.operational_api.conftest import World, client_for

HEADER = "transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status,payer\n"


def notification(reference: str = "C0000001", amount: str = "5000", status: str = "SUCCESSFUL", **extra) -> dict:
    return {
        "referenceId": extra.pop("referenceId", str(uuid.uuid4())),
        "externalId": reference,
        "amount": amount,
        "currency": "XOF",
        "payer": {"partyIdType": "MSISDN", "partyId": "221771234567"},
        "payerMessage": "Facture électricité",
        "payeeNote": "Merci",
        "status": status,
        "financialTransactionId": extra.pop("financialTransactionId", "1234567890"),
    } | extra


def notify(client: TestClient, world: World, body: dict):
    return client.post("/mobile-money/notifications", json=body, auth=world.partner_auth())


def test_the_bill_lookup_gives_open_invoices_and_amount_due(world: World, client: TestClient) -> None:
    first = world.invoice(total=7_000, due=dt.date(2026, 1, 15))
    world.invoice(total=3_000, due=dt.date(2026, 2, 15))
    body = client.get("/mobile-money/bills/C0000001", auth=world.partner_auth()).json()
    assert (body["customerReference"], body["amountDue"], body["currency"]) == ("C0000001", "10000", "XOF")
    assert body["openInvoices"][0] == {
        "number": first,
        "contractReference": "P0000001",
        "dueDate": "2026-01-15",
        "openAmount": "7000",
    }
    by_contract = client.get("/mobile-money/bills/P0000001", auth=world.partner_auth()).json()
    assert by_contract["contractReference"] == "P0000001" and len(by_contract["openInvoices"]) == 2
    unknown = client.get("/mobile-money/bills/X123", auth=world.partner_auth())
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_reference"


def test_a_successful_notification_creates_one_payment_and_a_replay_gets_the_first_answer(
    world: World, client: TestClient
) -> None:
    number = world.invoice(total=7_000)
    body = notification(amount="5000")
    first = notify(client, world, body)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert (answer["result"], answer["allocated"], answer["unallocated"]) == ("payment_recorded", "5000", "0")
    assert answer["receiptNumber"].startswith("M") and "MTN_MOMO" in answer["receiptNumber"]
    replay = notify(client, world, body)
    assert replay.json() == answer and replay.headers["idempotent-replay"] == "true"
    assert world.scalar("select count(*) from payment") == 1
    assert world.open_amounts() == {number: 2_000}
    row = world.rows("select method, channel, partner, partner_reference, agency_id from payment")
    assert row == [("mobile_money", "mobile_money", "MTN_MOMO", body["referenceId"], 1)]


def test_a_replay_with_another_amount_is_refused_with_a_clear_message(world: World, client: TestClient) -> None:
    body = notification(amount="5000")
    notify(client, world, body)
    conflict = notify(client, world, body | {"amount": "6000"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "notification_conflict"
    assert "5000" in conflict.json()["message"] and body["referenceId"] in conflict.json()["message"]
    other_bill = notify(client, world, body | {"externalId": "C0000002"})
    assert other_bill.status_code == 409
    assert world.scalar("select count(*) from payment") == 1


def test_only_successful_creates_a_payment_and_pending_can_become_successful(world: World, client: TestClient) -> None:
    world.invoice(total=7_000)
    pending = notification(status="PENDING", financialTransactionId=None)
    assert notify(client, world, pending).json()["result"] == "pending_recorded"
    assert world.scalar("select count(*) from payment") == 0
    done = notify(client, world, pending | {"status": "SUCCESSFUL", "financialTransactionId": "99"})
    assert done.json()["result"] == "payment_recorded"
    # A late PENDING or the same SUCCESSFUL again replays; a FAILED after SUCCESSFUL is a conflict.
    assert notify(client, world, pending).json()["receiptNumber"] == done.json()["receiptNumber"]
    failed = notify(client, world, pending | {"status": "FAILED"})
    assert failed.status_code == 409 and failed.json()["code"] == "status_conflict"
    lost = notification(status="FAILED", reason={"code": "NOT_ENOUGH_FUNDS", "message": "Solde insuffisant"})
    assert notify(client, world, lost).json()["result"] == "failure_recorded"
    assert world.scalar("select count(*) from payment") == 1
    assert world.scalar("select reason from mobile_money_notification where status = 'FAILED'") == "Solde insuffisant"


def test_refusals_of_notifications(world: World, client: TestClient) -> None:
    wrong_bill = notification(reference="C9999999")
    unknown = notify(client, world, wrong_bill)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_reference"
    currency = notify(client, world, notification() | {"currency": "EUR"})
    assert currency.status_code == 422 and currency.json()["code"] == "currency_mismatch"
    decimals = notify(client, world, notification(amount="10.5"))
    assert decimals.status_code == 422 and decimals.json()["code"] == "bad_amount"
    zero = notify(client, world, notification(amount="0"))
    assert zero.json()["code"] == "bad_amount"
    floating = notify(client, world, notification() | {"amount": 10.5})
    assert floating.status_code == 422 and floating.json()["code"] == "validation_error"
    integer = notify(client, world, notification() | {"amount": 1500})
    assert integer.json()["amount"] == "1500"
    # Nothing refused was kept: the same referenceId can come again, right this time.
    again = notify(client, world, wrong_bill | {"externalId": "C0000001"})
    assert again.status_code == 200 and again.json()["result"] == "payment_recorded"
    assert (
        client.post("/mobile-money/notifications", json=notification(), headers=world.headers("cashier")).json()["code"]
        == "forbidden"
    )


def test_over_payments_by_mobile_money_follow_the_setting(world: World) -> None:
    world.invoice(total=1_000)
    with client_for(world, allow_overpayment=False) as client:
        refused = notify(client, world, notification(amount="5000"))
        assert refused.status_code == 422 and refused.json()["code"] == "amount_over_balance"
        assert notify(client, world, notification(amount="1000")).status_code == 200


def statement_line(moment: str, reference: str, amount: str, status: str = "SUCCESSFUL", external: str = "C0000001"):
    return f"{moment},{reference},FT-{reference[:6]},{external},{amount},XOF,{status},221771234567\n"


def test_statement_import_and_reconciliation(world: World, client: TestClient) -> None:
    world.invoice(total=100_000)
    today = dt.datetime.now(dt.UTC).date()
    matched = notification(amount="1000", referenceId="ref-matched-1")
    differs = notification(amount="2000", referenceId="ref-differs-1")
    ours_only = notification(amount="3000", referenceId="ref-oursonly")
    for body in (matched, differs, ours_only):
        assert notify(client, world, body).status_code == 200
    moment = f"{today}T10:00:00Z"
    content = (
        HEADER
        + statement_line(moment, "ref-matched-1", "1000")
        + statement_line(moment, "ref-differs-1", "2500")
        + statement_line(moment, "ref-theirsonly", "4000")
        + statement_line(moment, "ref-failed-01", "500", status="FAILED")
    )
    headers = world.headers("supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    imported = client.post(path, params={"statement_date": str(today)}, content=content.encode(), headers=headers)
    assert imported.status_code == 200, imported.text
    assert (imported.json()["line_count"], imported.json()["total"]) == (4, 7_500)
    again = client.post(path, params={"statement_date": str(today)}, content=content.encode(), headers=headers)
    assert again.json()["already_imported"] is True
    changed = client.post(
        path, params={"statement_date": str(today)}, content=content.encode() + b"\n\n", headers=headers
    )
    assert changed.status_code == 409 and changed.json()["code"] == "statement_exists"

    report = client.get(f"{path}/{today}/reconciliation", headers=world.headers("manager")).json()
    assert report["matched"] == {"count": 1, "amount": 1_000}
    assert report["ours"] == {"count": 3, "amount": 6_000} and report["theirs"] == {"count": 3, "amount": 7_500}
    assert [(line["reference_id"], line["ours"], line["theirs"]) for line in report["amounts_differ"]] == [
        ("ref-differs-1", 2_000, 2_500)
    ]
    assert [line["reference_id"] for line in report["missing_on_our_side"]] == ["ref-theirsonly"]
    assert [line["reference_id"] for line in report["missing_on_their_side"]] == ["ref-oursonly"]
    assert report["missing_on_their_side"][0]["receipt_number"].startswith("M")


def test_a_corrected_statement_becomes_the_days_next_revision_and_the_first_is_kept(
    world: World, client: TestClient
) -> None:
    world.invoice(total=100_000)
    today = dt.datetime.now(dt.UTC).date()
    for reference, amount in (("ref-early-001", "1000"), ("ref-late-0001", "2000")):
        assert notify(client, world, notification(amount=amount, referenceId=reference)).status_code == 200
    moment = f"{today}T10:00:00Z"
    first = HEADER + statement_line(moment, "ref-early-001", "1000")
    corrected = first + statement_line(moment, "ref-late-0001", "2000")
    headers = world.headers("supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    corrections = f"{path}/{today}/corrections"
    reason = "Transaction ref-late-0001 réglée en retard"
    imported = client.post(path, params={"statement_date": str(today)}, content=first.encode(), headers=headers)
    assert (imported.status_code, imported.json()["revision"]) == (200, 1), imported.text
    # A different file through the import is refused and says how a correction is made.
    refused = client.post(path, params={"statement_date": str(today)}, content=corrected.encode(), headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "statement_exists"
    assert "correction" in refused.json()["message"]
    report = client.get(f"{path}/{today}/reconciliation", headers=headers).json()
    assert report["revision"] == 1
    assert [line["reference_id"] for line in report["missing_on_their_side"]] == ["ref-late-0001"]

    # Only a supervisor corrects, always with the partner's reason, and a bad file changes nothing.
    engineer = world.headers("data_engineer") | {"Content-Type": "text/csv"}
    denied = client.post(corrections, params={"reason": reason}, content=corrected.encode(), headers=engineer)
    assert denied.status_code == 403
    for params in ({}, {"reason": "   a  "}):
        no_reason = client.post(corrections, params=params, content=corrected.encode(), headers=headers)
        assert no_reason.status_code == 422 and no_reason.json()["code"] == "validation_error"
    bad = first + statement_line(moment, "ref-late-0001", "20.5")
    rejected = client.post(corrections, params={"reason": reason}, content=bad.encode(), headers=headers)
    assert rejected.status_code == 422 and rejected.json()["code"] == "statement_rejected"
    assert "line 3: The amount" in rejected.json()["message"]
    assert world.scalar("select count(*) from partner_statement") == 1

    done = client.post(corrections, params={"reason": f"  {reason} "}, content=corrected.encode(), headers=headers)
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["revision"], body["line_count"], body["total"], body["correction_reason"]) == (2, 2, 3_000, reason)
    assert body["already_imported"] is False
    again = client.post(corrections, params={"reason": reason}, content=corrected.encode(), headers=headers).json()
    assert (again["revision"], again["already_imported"]) == (2, True)
    # The day's statement is now the correction: importing it again is a no-op, the superseded file is refused.
    replay = client.post(path, params={"statement_date": str(today)}, content=corrected.encode(), headers=headers)
    assert (replay.json()["revision"], replay.json()["already_imported"]) == (2, True)
    old = client.post(path, params={"statement_date": str(today)}, content=first.encode(), headers=headers)
    assert old.status_code == 409

    report = client.get(f"{path}/{today}/reconciliation", headers=world.headers("manager")).json()
    assert report["revision"] == 2
    assert report["matched"] == {"count": 2, "amount": 3_000} and report["missing_on_their_side"] == []
    first_revision, second_revision = report["revisions"]
    assert (first_revision["revision"], first_revision["line_count"], first_revision["total"]) == (1, 1, 1_000)
    assert first_revision["superseded_at"] is not None and first_revision["correction_reason"] is None
    assert (second_revision["revision"], second_revision["superseded_at"]) == (2, None)
    assert second_revision["imported_by"] == "supervisor" and second_revision["correction_reason"] == reason
    # The first revision's lines are kept as received.
    assert world.scalar("select count(*) from partner_statement_line") == 3
    events = client.get(
        "/audit/events", params={"entity_key": f"MTN_MOMO:{today}"}, headers=world.headers("admin")
    ).json()
    correction = next(event for event in events if event["action"] == "mobile_money.statement.correct")
    assert (correction["before"]["revision"], correction["before"]["total"]) == (1, 1_000)
    assert (correction["after"]["revision"], correction["after"]["reason"]) == (2, reason)

    nothing = client.post(
        f"{path}/{today - dt.timedelta(days=1)}/corrections",
        params={"reason": reason},
        content=corrected.encode(),
        headers=headers,
    )
    assert nothing.status_code == 404 and nothing.json()["code"] == "unknown_statement"
    assert "nothing to correct" in nothing.json()["message"]


def test_the_statements_of_a_period_are_listed_latest_day_first_at_their_latest_revision(
    world: World, client: TestClient
) -> None:
    headers = world.headers("supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    today = dt.datetime.now(dt.UTC).date()
    days = [today - dt.timedelta(days=offset) for offset in (0, 1, 3, 40)]
    for day in days:
        content = HEADER + statement_line(f"{day}T10:00:00Z", f"ref-{day:%Y%m%d}-1", "1000")
        response = client.post(path, params={"statement_date": str(day)}, content=content.encode(), headers=headers)
        assert response.status_code == 200, response.text
    corrected = HEADER + statement_line(f"{days[1]}T10:00:00Z", "ref-corrected-1", "2500")
    client.post(
        f"{path}/{days[1]}/corrections",
        params={"reason": "Doublon retiré"},
        content=corrected.encode(),
        headers=headers,
    )

    manager = world.headers("manager")
    listed = client.get(path, headers=manager).json()
    # The last 31 days by default: the day 40 days ago is out.
    assert [item["statement_date"] for item in listed] == [str(day) for day in days[:3]]
    assert [(item["revision"], item["total"]) for item in listed] == [(1, 1_000), (2, 2_500), (1, 1_000)]
    assert listed[1]["correction_reason"] == "Doublon retiré" and listed[1]["superseded_at"] is None
    older = client.get(path, params={"start": str(days[3]), "end": str(days[2])}, headers=manager).json()
    assert [item["statement_date"] for item in older] == [str(days[3])]
    # An end near the calendar's first day: the default start stops there.
    assert client.get(path, params={"end": "0001-01-05"}, headers=manager).json() == []
    backwards = client.get(path, params={"start": str(today), "end": str(days[3])}, headers=manager)
    assert backwards.status_code == 422 and backwards.json()["code"] == "bad_period"
    unknown = client.get("/mobile-money/partners/NOPE/statements", headers=manager)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_partner"
    assert client.get(path, headers=world.headers("cashier")).status_code == 403

    # Every partner's statements at once: which operators sent which days.
    created = client.post("/partners", json={"code": "WAVE", "name": "Wave"}, headers=world.headers("admin"))
    assert created.status_code == 201, created.text
    wave = HEADER + statement_line(f"{today}T09:00:00Z", "wave-ref-0001", "4000")
    client.post(
        "/mobile-money/partners/WAVE/statements",
        params={"statement_date": str(today)},
        content=wave.encode(),
        headers=headers,
    )
    everyone = client.get("/mobile-money/statements", headers=manager).json()
    assert [(item["partner_code"], item["statement_date"], item["total"]) for item in everyone] == [
        ("MTN_MOMO", str(days[0]), 1_000),
        ("WAVE", str(days[0]), 4_000),
        ("MTN_MOMO", str(days[1]), 2_500),
        ("MTN_MOMO", str(days[2]), 1_000),
    ]
    oldest = client.get(
        "/mobile-money/statements", params={"start": str(days[3]), "end": str(days[2])}, headers=manager
    ).json()
    assert [(item["partner_code"], item["statement_date"]) for item in oldest] == [("MTN_MOMO", str(days[3]))]
    assert client.get("/mobile-money/statements", headers=world.headers("cashier")).status_code == 403


def test_a_bad_statement_is_refused_whole_with_line_numbers(world: World, client: TestClient) -> None:
    headers = world.headers("supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    bad = (
        HEADER
        + statement_line("2026-03-01T10:00:00Z", "ref-good-0001", "1000")
        + statement_line("yesterday", "ref-bad-00002", "1000")
        + statement_line("2026-03-01T10:00:00Z", "ref-bad-00003", "12.5")
        + statement_line("2026-03-01T10:00:00Z", "ref-good-0001", "1000")
    )
    response = client.post(path, params={"statement_date": "2026-03-01"}, content=bad.encode(), headers=headers)
    assert response.status_code == 422 and response.json()["code"] == "statement_rejected"
    message = response.json()["message"]
    assert "line 3: transaction_date" in message and "line 4: The amount" in message and "line 5" in message
    assert "line 2:" not in message
    missing = client.post(path, params={"statement_date": "2026-03-01"}, content=b"date,amount\n", headers=headers)
    assert "reference_id" in missing.json()["message"]
    assert world.scalar("select count(*) from partner_statement") == 0
    # French spreadsheets export with semicolons and decimal commas: accepted.
    french = "transaction_date;reference_id;financial_transaction_id;external_id;amount;currency;status\n"
    french += "2026-03-01 10:00:00;ref-fr-000001;FT1;C0000001;1500;XOF;SUCCESSFUL\n"
    ok = client.post(path, params={"statement_date": "2026-03-01"}, content=french.encode("utf-8-sig"), headers=headers)
    assert ok.status_code == 200 and ok.json()["total"] == 1_500
    unknown = client.post(
        "/mobile-money/partners/NOPE/statements", params={"statement_date": "2026-03-01"}, content=b"x", headers=headers
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_partner"
