"""Every write leaves an append-only audit event: who, what, when, from which workstation and address."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from operational_api.audit.models import AuditEvent
from operational_api.audit.service import AppendOnlyViolation
from operational_api.auth.rights import api_routes
from operational_api.main import create_app
from tests.operational_api.conftest import World, open_session
from tests.operational_api.test_billing_field_collection import simulate

WS = "AUDIT-WS"
# POST routes that only read: they leave no audit event on purpose.
READ_ONLY_POSTS = {("POST", "/cashdesk/payments/preview")}


def h(world: World, login: str) -> dict:
    return world.headers(login, workstation=WS)


def cheque_payment(client: TestClient, world: World) -> str:
    world.invoice(total=50_000)
    open_session(client, world)
    body = {
        "customer_reference": "C0000001",
        "amount": 5_000,
        "method": "cheque",
        "cheque_number": "1",
        "cheque_bank": "BOA",
    }
    return client.post("/cashdesk/payments", json=body, headers=world.headers()).json()["receipt_number"]


STATEMENT_HEADER = b"transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status\n"


def corrected_statement(client: TestClient, world: World):
    """A day's statement imported empty, then corrected with the transaction the partner settled late."""
    headers = h(world, "supervisor") | {"Content-Type": "text/csv"}
    path = "/mobile-money/partners/MTN_MOMO/statements"
    first = client.post(path, params={"statement_date": "2026-03-02"}, content=STATEMENT_HEADER, headers=headers)
    assert first.status_code == 200, first.text
    return client.post(
        f"{path}/2026-03-02/corrections",
        params={"reason": "Transaction settled late"},
        content=STATEMENT_HEADER + b"2026-03-02T10:00:00Z,ref-late-0001,FT1,C0000001,1000,XOF,SUCCESSFUL\n",
        headers=headers,
    )


def bounced_bar(client: TestClient, world: World) -> int:
    receipt = cheque_payment(client, world)
    return client.post(f"/cashdesk/payments/{receipt}/bounce", json={}, headers=world.headers("supervisor")).json()[
        "bar"
    ]["id"]


def closed_session(client: TestClient, world: World) -> None:
    session_id = open_session(client, world)
    count = {"count": [{"kind": "note", "denomination": 5000, "quantity": 2}]}
    client.post(f"/cashdesk/sessions/{session_id}/close", json=count, headers=world.headers())


def cash_payment(client: TestClient, world: World):
    world.invoice()
    open_session(client, world)
    body = {"customer_reference": "C0000001", "amount": 2_000, "method": "cash"}
    return client.post("/cashdesk/payments", json=body, headers=h(world, "cashier"))


def cheque_slip(client: TestClient, world: World):
    cheque_payment(client, world)
    body = {"agency_code": "PKN", "bank": "CBAO"}
    return client.post("/cashdesk/cheque-deposits", json=body, headers=h(world, "cashier"))


def bank_deposit(client: TestClient, world: World):
    closed_session(client, world)
    body = {"agency_code": "PKN", "bank": "CBAO", "amount": 10_000}
    return client.post("/cashdesk/bank-deposits", json=body, headers=h(world, "supervisor"))


def notification() -> dict:
    return {
        "referenceId": str(uuid.uuid4()),
        "externalId": "C0000001",
        "amount": "1000",
        "currency": "XOF",
        "payer": {"partyIdType": "MSISDN", "partyId": "221770000000"},
        "status": "SUCCESSFUL",
    }


def simulated_batch(client: TestClient, world: World) -> int:
    batch = client.post(
        "/billing/batches",
        json={"billing_month": "2026-06-01", "agency_code": "PKN"},
        headers=h(world, "billing_clerk"),
    ).json()
    simulate(world, batch["id"])
    return batch["id"]


def rejected_batch(client: TestClient, world: World) -> int:
    batch_id = simulated_batch(client, world)
    client.post(
        f"/billing/batches/{batch_id}/reject", json={"reason": "Index à relire"}, headers=h(world, "supervisor")
    )
    return batch_id


def inspection(client: TestClient, world: World) -> int:
    body = {"contract_reference": "P0000001", "suspect_rules": ["zero_active"]}
    return client.post("/field/inspections", json=body, headers=h(world, "field_planner")).json()["id"]


def campaign_target(client: TestClient, world: World) -> int:
    body = {"name": "Coupures", "agency_code": "PKN", "targets": [{"contract_reference": "P0000001", "amount_due": 9}]}
    created = client.post("/collection/campaigns", json=body, headers=h(world, "field_planner")).json()
    return client.get(f"/collection/campaigns/{created['id']}/targets", headers=h(world, "field_planner")).json()[0][
        "id"
    ]


Write = Callable[[TestClient, World], tuple]
WRITES: dict[tuple[str, str], Write] = {
    ("POST", "/auth/login"): lambda c, w: (
        c.post(
            "/auth/login", json={"login": "cashier", "password": "Test-password-2026"}, headers={"X-Workstation": WS}
        ),
        "auth.login",
    ),
    ("POST", "/auth/logout"): lambda c, w: (c.post("/auth/logout", headers=h(w, "cashier")), "auth.logout"),
    ("POST", "/auth/password"): lambda c, w: (
        c.post(
            "/auth/password",
            json={"current_password": "Test-password-2026", "new_password": "Autre-mot-de-passe-9"},
            headers=h(w, "cashier"),
        ),
        "auth.password.change",
    ),
    ("POST", "/users"): lambda c, w: (
        c.post(
            "/users",
            json={"login": "new.user", "full_name": "N", "role": "cashier", "agencies": ["PKN"]},
            headers=h(w, "admin"),
        ),
        "admin.users.create",
    ),
    ("PATCH", "/users/{login}"): lambda c, w: (
        c.patch("/users/cashier", json={"agencies": ["PKN", "GUE"]}, headers=h(w, "admin")),
        "admin.users.update",
    ),
    ("POST", "/users/{login}/reset-password"): lambda c, w: (
        c.post("/users/cashier/reset-password", headers=h(w, "admin")),
        "admin.users.reset_password",
    ),
    ("POST", "/users/{login}/unlock"): lambda c, w: (
        c.post("/users/cashier/unlock", headers=h(w, "admin")),
        "admin.users.unlock",
    ),
    ("POST", "/partners"): lambda c, w: (
        c.post("/partners", json={"code": "ORANGE", "name": "Orange Money"}, headers=h(w, "admin")),
        "admin.partners.create",
    ),
    ("POST", "/partners/{code}/secret"): lambda c, w: (
        c.post("/partners/MTN_MOMO/secret", headers=h(w, "admin")),
        "admin.partners.renew_secret",
    ),
    ("PATCH", "/customers/{reference}"): lambda c, w: (
        c.patch("/customers/C0000001", json={"first_name": "Aïssatou"}, headers=h(w, "customer_clerk")),
        "customers.customer.update",
    ),
    ("PATCH", "/contracts/{reference}"): lambda c, w: (
        c.patch("/contracts/P0000001", json={"billing_cycle": "bimonthly"}, headers=h(w, "customer_clerk")),
        "customers.contract.update",
    ),
    ("PATCH", "/delivery-points/{reference}"): lambda c, w: (
        c.patch("/delivery-points/PL0000001", json={"latitude": 14.76}, headers=h(w, "customer_clerk")),
        "customers.delivery_point.update",
    ),
    ("POST", "/accounts/match"): lambda c, w: (
        c.post("/accounts/match", json={"customer_references": ["C0000001"]}, headers=h(w, "billing_clerk")),
        "accounts.match",
    ),
    ("POST", "/cashdesk/sessions"): lambda c, w: (
        c.post("/cashdesk/sessions", json={"agency_code": "PKN"}, headers=h(w, "cashier")),
        "cashdesk.session.open",
    ),
    ("POST", "/cashdesk/sessions/{session_id}/close"): lambda c, w: (
        c.post(f"/cashdesk/sessions/{open_session(c, w)}/close", json={"count": []}, headers=h(w, "cashier")),
        "cashdesk.session.close",
    ),
    ("POST", "/cashdesk/payments"): lambda c, w: (cash_payment(c, w), "cashdesk.payment.create"),
    ("POST", "/cashdesk/payments/{receipt_number}/cancel"): lambda c, w: (
        c.post(
            f"/cashdesk/payments/{cheque_payment(c, w)}/cancel", json={"reason": "Erreur"}, headers=h(w, "supervisor")
        ),
        "cashdesk.payment.cancel",
    ),
    ("POST", "/cashdesk/payments/{receipt_number}/receipt"): lambda c, w: (
        c.post(f"/cashdesk/payments/{cheque_payment(c, w)}/receipt", headers=h(w, "cashier")),
        "cashdesk.receipt.print",
    ),
    ("POST", "/cashdesk/payments/{receipt_number}/bounce"): lambda c, w: (
        c.post(f"/cashdesk/payments/{cheque_payment(c, w)}/bounce", json={}, headers=h(w, "supervisor")),
        "cashdesk.cheque.bounce",
    ),
    ("POST", "/cashdesk/cheque-bars/{bar_id}/lift"): lambda c, w: (
        c.post(
            f"/cashdesk/cheque-bars/{bounced_bar(c, w)}/lift", json={"reason": "Régularisé"}, headers=h(w, "supervisor")
        ),
        "cashdesk.cheque_bar.lift",
    ),
    ("POST", "/cashdesk/cheque-deposits"): lambda c, w: (
        cheque_payment(c, w),
        c.post("/cashdesk/cheque-deposits", json={"agency_code": "PKN", "bank": "CBAO"}, headers=h(w, "cashier")),
        "cashdesk.cheque_deposit.create",
    )[1:],
    ("POST", "/cashdesk/bank-deposits"): lambda c, w: (
        closed_session(c, w),
        c.post(
            "/cashdesk/bank-deposits",
            json={"agency_code": "PKN", "bank": "CBAO", "amount": 10_000},
            headers=h(w, "supervisor"),
        ),
        "cashdesk.bank_deposit.create",
    )[1:],
    ("POST", "/cashdesk/offline-uploads"): lambda c, w: (
        c.post(
            "/cashdesk/offline-uploads",
            json={
                "desk": "Banque",
                "agency_code": "PKN",
                "items": [
                    {
                        "client_id": uuid.uuid4().hex,
                        "customer_reference": "C0000001",
                        "amount": 100,
                        "method": "cash",
                        "received_at": "2026-03-01T10:00:00Z",
                    }
                ],
            },
            headers=h(w, "cashier"),
        ),
        "cashdesk.offline.upload",
    ),
    ("POST", "/mobile-money/notifications"): lambda c, w: (
        c.post(
            "/mobile-money/notifications", json=notification(), auth=w.partner_auth(), headers={"X-Workstation": WS}
        ),
        "mobile_money.payment.notify",
    ),
    ("POST", "/mobile-money/partners/{partner_code}/statements"): lambda c, w: (
        c.post(
            "/mobile-money/partners/MTN_MOMO/statements",
            params={"statement_date": "2026-03-01"},
            content=b"transaction_date,reference_id,financial_transaction_id,external_id,amount,currency,status\n",
            headers=h(w, "supervisor") | {"Content-Type": "text/csv"},
        ),
        "mobile_money.statement.import",
    ),
    ("POST", "/mobile-money/partners/{partner_code}/statements/{statement_date}/corrections"): lambda c, w: (
        corrected_statement(c, w),
        "mobile_money.statement.correct",
    ),
    ("POST", "/billing/batches"): lambda c, w: (
        c.post(
            "/billing/batches",
            json={"billing_month": "2026-06-01", "agency_code": "PKN"},
            headers=h(w, "billing_clerk"),
        ),
        "billing.batch.create",
    ),
    ("POST", "/billing/batches/{batch_id}/approve"): lambda c, w: (
        c.post(f"/billing/batches/{simulated_batch(c, w)}/approve", headers=h(w, "supervisor")),
        "billing.batch.approve",
    ),
    ("POST", "/billing/batches/{batch_id}/reject"): lambda c, w: (
        c.post(
            f"/billing/batches/{simulated_batch(c, w)}/reject",
            json={"reason": "Index à relire"},
            headers=h(w, "supervisor"),
        ),
        "billing.batch.reject",
    ),
    ("POST", "/billing/batches/{batch_id}/reopen"): lambda c, w: (
        c.post(f"/billing/batches/{rejected_batch(c, w)}/reopen", headers=h(w, "billing_clerk")),
        "billing.batch.reopen",
    ),
    ("POST", "/billing/invoices/{number}/credit-note"): lambda c, w: (
        c.post(
            f"/billing/invoices/{w.invoice()}/credit-note",
            json={"reason": "Index mal relevé"},
            headers=h(w, "billing_clerk"),
        ),
        "billing.invoice.credit",
    ),
    ("POST", "/field/inspections"): lambda c, w: (
        c.post("/field/inspections", json={"contract_reference": "P0000002"}, headers=h(w, "field_planner")),
        "field.inspection.request",
    ),
    ("POST", "/field/inspections/{inspection_id}/outcome"): lambda c, w: (
        c.post(
            f"/field/inspections/{inspection(c, w)}/outcome",
            json={"outcome": "no_fraud", "inspected_on": "2026-06-20"},
            headers=h(w, "field_planner"),
        ),
        "field.inspection.outcome",
    ),
    ("POST", "/collection/campaigns"): lambda c, w: (
        c.post(
            "/collection/campaigns",
            json={"name": "Coupures", "targets": [{"contract_reference": "P0000002", "amount_due": 5}]},
            headers=h(w, "field_planner"),
        ),
        "collection.campaign.create",
    ),
    ("POST", "/collection/targets/{target_id}/outcome"): lambda c, w: (
        c.post(
            f"/collection/targets/{campaign_target(c, w)}/outcome",
            json={"status": "paid", "status_on": "2026-06-20"},
            headers=h(w, "field_planner"),
        ),
        "collection.target.outcome",
    ),
}


def test_every_write_route_has_an_audit_check() -> None:
    writes = {(method, path) for method, path, _ in api_routes(create_app(migrate=False)) if method != "GET"}
    assert writes - READ_ONLY_POSTS == set(WRITES), "a write route without an audit check"


@pytest.mark.parametrize("operation", list(WRITES), ids=[f"{m} {p}" for m, p in WRITES])
def test_every_write_is_audited_with_its_workstation_and_address(
    world: World, client: TestClient, operation: tuple[str, str]
) -> None:
    response, action = WRITES[operation](client, world)
    assert 200 <= response.status_code < 300, response.text
    with world.session() as session:
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action, AuditEvent.workstation == WS))
        )
    assert events, f"no audit event {action} from {WS}"
    event = events[-1]
    assert event.client_address == "testclient"
    assert event.actor and event.actor_role and event.occurred_at.tzinfo is not None
    if event.after_json:
        json.loads(event.after_json)


def test_a_payment_event_holds_the_state_after_and_a_cancellation_the_state_before(
    world: World, client: TestClient
) -> None:
    world.invoice(total=10_000)
    open_session(client, world)
    receipt = client.post(
        "/cashdesk/payments",
        json={"customer_reference": "C0000001", "amount": 3_000, "method": "cash"},
        headers=world.headers(),
    ).json()["receipt_number"]
    client.post(f"/cashdesk/payments/{receipt}/cancel", json={"reason": "Doublon"}, headers=world.headers("supervisor"))
    events = client.get("/audit/events", params={"entity_key": receipt}, headers=world.headers("admin")).json()
    assert [event["action"] for event in events] == ["cashdesk.payment.cancel", "cashdesk.payment.create"]
    cancel, create = events
    assert create["before"] is None and create["after"]["amount"] == 3_000 and create["after"]["unallocated"] == 0
    assert cancel["before"]["status"] == "posted" and cancel["after"]["status"] == "cancelled"
    assert cancel["actor"] == "supervisor" and cancel["workstation"] == "DESK-01"
    # Agency users see their agencies' events; events of another agency stay hidden.
    assert (
        client.get("/audit/events", params={"entity_key": receipt}, headers=world.headers("gue-supervisor")).json()
        == []
    )


def test_the_trail_is_append_only_in_the_application_and_in_the_database(world: World, client: TestClient) -> None:
    client.post("/auth/login", json={"login": "cashier", "password": "Test-password-2026"})
    with pytest.raises(AppendOnlyViolation), world.session() as session:
        event = session.scalars(select(AuditEvent)).first()
        event.actor = "someone else"
        session.flush()
    with pytest.raises(AppendOnlyViolation), world.session() as session:
        session.delete(session.scalars(select(AuditEvent)).first())
        session.flush()
    for statement in ("update audit_event set actor = 'x'", "delete from audit_event", "delete from customer_change"):
        if statement.endswith("customer_change"):
            client.patch("/customers/C0000001", json={"first_name": "Ada"}, headers=world.headers("customer_clerk"))
        with pytest.raises(DBAPIError, match="append-only"), world.engine.begin() as connection:
            connection.execute(text(statement))
    assert world.scalar("select count(*) from audit_event where actor = 'x'") == 0
