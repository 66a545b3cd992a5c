"""Property-based fuzzing of the whole API from its OpenAPI document: no input gets a 5xx, every answer is
documented (status, content type, body shape).

Each operation is called with the credentials of a role holding its right, so that the fuzzing reaches the
handlers and not only the authorization. The examples are few per operation, to keep the run near a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from operational_api.auth.rights import Role, api_routes, roles_for, route_action
from operational_api.auth.service import login as issue_token
from operational_api.main import create_app
from tests.operational_api.conftest import PASSWORD, World, client_for, open_session

pytestmark = pytest.mark.slow

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
EXAMPLES = 40
# Operations that can disable, reset or re-key the fuzzer's own principals: fuzzed last.
LAST = ("/users/{login}", "/users/{login}/reset-password", "/partners/{code}/secret")
ACTIONS = {(method, path): route_action(route) for method, path, route in api_routes(create_app(migrate=False))}


@pytest.fixture
def fuzz_world(world: World) -> World:
    """Data for the fuzzer to find: an invoice, an open session, a payment."""
    world.invoice(total=50_000)
    with client_for(world) as client:
        open_session(client, world)
        client.post(
            "/cashdesk/payments",
            json={"customer_reference": "C0000001", "amount": 1_000, "method": "cash"},
            headers=world.headers(),
        )
    return world


def credentials(world: World, method: str, path: str) -> dict:
    """Headers (or Basic auth) of a principal allowed to perform the operation."""
    action = ACTIONS.get((method, path))
    if action is None:
        return {}
    role = roles_for(action)[0]
    if role is Role.PARTNER:
        return {"auth": world.partner_auth()}
    if (method, path) in {("POST", "/auth/logout"), ("POST", "/auth/password")}:
        # These end or change the caller's own session: give them one of their own each time.
        with world.session() as session:
            token = issue_token(
                session=session,
                policy=world.policy,
                login=role.value,
                password=PASSWORD,
                workstation="fuzz",
                client_address=None,
            ).token
        return {"headers": {"Authorization": f"Bearer {token}"}}
    return {"headers": world.headers(role.value)}


def test_no_input_gets_a_server_error_and_every_answer_is_documented(fuzz_world: World) -> None:
    app = create_app(fuzz_world.settings, policy=fuzz_world.policy, migrate=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda operation: operation.path in LAST
    )
    assert len(operations) == len(ACTIONS)
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case) -> None:
            options = credentials(fuzz_world, case.method.upper(), case.path)
            headers = {**(case.headers or {}), **options.get("headers", {})}
            extra = {"auth": options["auth"]} if "auth" in options else {}
            case.call_and_validate(headers=headers, checks=CHECKS, **extra)

        try:
            fuzz()
        except Exception as error:  # noqa: BLE001 - every operation is fuzzed, then all failures are reported
            failures[f"{operation.method.upper()} {operation.path}"] = str(error)[:3000]
    assert failures == {}, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
