"""Errors a clerk can act on: one shape, a stable code, never a 500, and no success for lost data."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from operational_api.auth.rights import api_routes, route_is_public
from operational_api.customers import service as customers_service
from operational_api.main import create_app
from tests.operational_api.conftest import World, open_session

SHAPE = {"code", "message", "detail", "details"}


def test_a_failed_commit_answers_an_error_and_keeps_nothing(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.invoice(total=10_000)
    open_session(client, world)
    original = Session.commit

    def failing_commit(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    response = client.post(
        "/cashdesk/payments",
        json={"customer_reference": "C0000001", "amount": 1_000, "method": "cash"},
        headers=world.headers(),
    )
    monkeypatch.setattr(Session, "commit", original)
    # The commit runs before the response is sent: the cashier sees the failure, not a receipt for lost money.
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "database_busy" and response.headers["retry-after"] == "1"
    assert world.scalar("select count(*) from payment") == 0
    assert world.scalar("select count(*) from audit_event where action = 'cashdesk.payment.create'") == 0


def test_a_race_lost_on_a_unique_key_is_a_409(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def duplicate(self: Session) -> None:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed: customer_change.id"))

    monkeypatch.setattr(Session, "commit", duplicate)
    response = client.patch("/customers/C0000001", json={"first_name": "Ada"}, headers=world.headers("customer_clerk"))
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert set(response.json()) == SHAPE


def test_unexpected_errors_keep_the_shape_without_a_trace(
    world: World, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(customers_service, "search_customers", broken)
    response = client.get("/customers", params={"q": "Ndiaye"}, headers=world.headers())
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error" and "bug" not in response.text


def test_bad_input_gets_422_with_the_fields_to_fix(world: World, client: TestClient) -> None:
    response = client.post(
        "/cashdesk/payments",
        json={"customer_reference": "C0000001", "amount": -5, "method": "gold"},
        headers=world.headers(),
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "validation_error"
    assert "amount" in body["message"] and "method" in body["message"]
    assert {tuple(problem["loc"]) for problem in body["details"]} >= {("body", "amount"), ("body", "method")}
    malformed = client.post(
        "/cashdesk/payments", content=b"{not json", headers=world.headers() | {"Content-Type": "application/json"}
    )
    assert malformed.status_code == 422 and malformed.json()["code"] == "validation_error"
    too_long = client.get("/auth/me", headers=world.headers() | {"X-Workstation": "W" * 61})
    assert too_long.status_code == 422


def test_unknown_routes_and_methods_have_codes(client: TestClient) -> None:
    assert client.get("/nowhere").json()["code"] == "not_found"
    response = client.delete("/customers")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_the_openapi_document_is_complete() -> None:
    app = create_app(migrate=False)
    spec = app.openapi()
    assert "ErrorOut" in spec["components"]["schemas"]
    assert {"HTTPBearer", "HTTPBasic"} <= set(spec["components"]["securitySchemes"])
    for method, path, route in api_routes(app):
        operation = spec["paths"][path][method.lower()]
        assert operation.get("summary"), path
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert success, path
        content = operation["responses"][success[0]].get("content", {})
        assert content.get("application/json", {}).get("schema") or "application/pdf" in content, path
        documented = set(operation["responses"])
        assert "422" in documented, path
        if not route_is_public(route):
            assert {"401", "403", "503"} <= documented, path
        for code in documented - {success[0]}:
            if code.startswith(("4", "5")):
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, code)
