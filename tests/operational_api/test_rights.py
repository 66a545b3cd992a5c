"""The role x action matrix, enforced on every route of the application and documented in docs/security.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from operational_api.auth.rights import (
    ACTION_DESCRIPTIONS,
    RIGHTS,
    USER_ROLES,
    Action,
    Role,
    allowed,
    api_routes,
    render_matrix,
    route_action,
    route_is_public,
)
from operational_api.main import create_app
from tests.operational_api.conftest import World

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = {("GET", "/health"), ("POST", "/auth/login")}
# Identifiers that exist where reading them is harmless, and that do not exist where a call could change state.
PATH_VALUES = {
    "reference": "C0000001",
    "login": "nobody",
    "code": "NOPE",
    "session_id": "999999",
    "receipt_number": "R-NOPE",
    "bar_id": "999999",
    "statement_date": "2026-03-01",
    "partner_code": "NOPE",
    "serial": "SN-0001",
    "batch_id": "999999",
    "number": "F-NOPE",
    "inspection_id": "999999",
    "campaign_id": "999999",
    "target_id": "999999",
}
OPERATIONS = api_routes(create_app(migrate=False))


def url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: PATH_VALUES[match.group(1)], path)


def call(client: TestClient, world: World, method: str, path: str, principal: str | None):
    options: dict = {}
    if principal == "partner":
        options["auth"] = world.partner_auth()
    elif principal is not None:
        options["headers"] = world.headers(principal)
    if method in {"POST", "PATCH", "PUT"}:
        options["json"] = {}
    return client.request(method, url(path), **options)


def test_every_route_declares_exactly_one_action_or_is_public() -> None:
    undeclared = []
    for method, path, route in OPERATIONS:
        if (method, path) in PUBLIC:
            assert route_is_public(route) and route_action(route) is None, path
            continue
        if route_action(route) is None or route_is_public(route):
            undeclared.append(f"{method} {path}")
    assert undeclared == [], "routes without a right in the role x action matrix"
    assert {(method, path) for method, path, _ in OPERATIONS} >= PUBLIC


def test_every_action_is_used_by_a_route_and_described() -> None:
    used = {route_action(route) for _, _, route in OPERATIONS}
    assert set(Action) - used == set()
    assert set(ACTION_DESCRIPTIONS) == set(Action)
    assert set(RIGHTS) == set(Role)


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in OPERATIONS])
def test_the_matrix_is_enforced_on_every_route(world: World, client: TestClient, method: str, path: str) -> None:
    route = next(route for m, p, route in OPERATIONS if (m, p) == (method, path))
    if (method, path) in PUBLIC:
        assert call(client, world, method, path, None).status_code != 401
        return
    action = route_action(route)
    anonymous = call(client, world, method, path, None)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["code"] == "unauthorized"
    # The token of the caller is revoked by a logout: it goes last.
    principals = [role.value for role in USER_ROLES] + ["partner"]
    for principal in principals:
        response = call(client, world, method, path, principal)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if allowed(Role(principal), action):
            assert response.status_code != 401, (principal, response.text)
            assert not (response.status_code == 403 and body.get("code") == "forbidden"), (principal, response.text)
        else:
            assert response.status_code == 403, (principal, response.status_code, response.text)
            assert body["code"] == "forbidden", (principal, body)
            assert action in body["message"]


AGENCY_READS = [
    (method, path)
    for method, path, route in OPERATIONS
    if method == "GET" and "{reference}" in path and path.startswith(("/customers", "/contracts"))
]


@pytest.mark.parametrize(("method", "path"), AGENCY_READS)
def test_an_agency_user_cannot_read_another_agencys_data(
    world: World, client: TestClient, method: str, path: str
) -> None:
    target = path.replace("{reference}", "C0000003" if path.startswith("/customers") else "P0000003")
    params = {"start": "2026-01-01", "end": "2026-02-01"} if "statement" in path else {}
    for principal in ("cashier", "customer_clerk", "supervisor", "field_planner", "billing_clerk"):
        action = route_action(next(route for m, p, route in OPERATIONS if (m, p) == (method, path)))
        if not allowed(Role(principal), action):
            continue
        response = client.get(target, params=params, headers=world.headers(principal))
        assert response.status_code == 403, (principal, target)
        assert response.json()["code"] == "other_agency"
    assert client.get(target, params=params, headers=world.headers("manager")).status_code == 200


def test_docs_show_the_matrix_of_the_code() -> None:
    document = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert render_matrix() in document, "docs/security.md is out of date: paste the output of `yeelen users matrix`"
    for role in Role:
        assert f"`{role.value}`" in document


def test_the_openapi_document_names_the_right_of_each_operation() -> None:
    spec = create_app(migrate=False).openapi()
    for method, path, route in OPERATIONS:
        operation = spec["paths"][path][method.lower()]
        if (method, path) in PUBLIC:
            continue
        assert f"Right: `{route_action(route)}`" in operation["description"], path
