"""Logins, first passwords, the security policy, tokens, partners and the administration of users."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from operational_api.auth.dependencies import allowed_for
from operational_api.auth.rights import Action
from operational_api.db import utcnow
from operational_api.dependencies import SessionDep
from operational_api.main import create_app
from tests.operational_api.conftest import PARTNER, PASSWORD, World, client_for


def login(client: TestClient, user: str, password: str = PASSWORD, **headers: str):
    return client.post("/auth/login", json={"login": user, "password": password}, headers=headers)


def create_user(client: TestClient, world: World, login_name: str, role: str = "cashier", agencies=("PKN",)):
    response = client.post(
        "/users",
        json={"login": login_name, "full_name": "Awa Diallo", "role": role, "agencies": list(agencies)},
        headers=world.headers("admin"),
    )
    assert response.status_code == 201, response.text
    return response.json()["first_password"]


def test_a_first_password_must_be_changed_before_anything_else(world: World, client: TestClient) -> None:
    first = create_user(client, world, "awa.diallo")
    assert len(first) >= world.policy.password_min_length

    response = login(client, "awa.diallo", first)
    assert response.status_code == 200
    body = response.json()
    assert body["password_change_required"] is True
    token = {"Authorization": f"Bearer {body['access_token']}"}

    refused = client.get("/customers", params={"q": "Ndiaye"}, headers=token)
    assert refused.status_code == 403
    assert refused.json()["code"] == "password_change_required"
    assert client.get("/auth/me", headers=token).json()["password_change_required"] is True

    weak = client.post("/auth/password", json={"current_password": first, "new_password": "short"}, headers=token)
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    same = client.post("/auth/password", json={"current_password": first, "new_password": first}, headers=token)
    assert same.json()["code"] == "password_reused"
    changed = client.post(
        "/auth/password", json={"current_password": first, "new_password": "Nouveau-mot-2026"}, headers=token
    )
    assert changed.status_code == 200, changed.text
    assert client.get("/customers", params={"q": "Ndiaye"}, headers=token).status_code == 200
    assert login(client, "awa.diallo", "Nouveau-mot-2026").json()["password_change_required"] is False


def test_passwords_are_stored_as_argon2_hashes_and_tokens_as_digests(world: World, client: TestClient) -> None:
    token = login(client, "cashier").json()["access_token"]
    stored = world.scalar("select password_hash from app_user where login = 'cashier'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    digests = [row[0] for row in world.rows("select token_hash from api_token")]
    assert token not in digests and all(len(digest) == 64 for digest in digests)


def test_wrong_passwords_lock_the_account_then_it_unlocks(world: World) -> None:
    with client_for(world) as client:
        threshold = world.policy.lockout_threshold
        for attempt in range(threshold - 1):
            response = login(client, "cashier", "wrong-password")
            assert response.status_code == 401, attempt
            assert response.json()["code"] == "bad_credentials"
        locked = login(client, "cashier", "wrong-password")
        assert locked.status_code == 403 and locked.json()["code"] == "account_locked"
        # Even the right password is refused while the lock lasts.
        assert login(client, "cashier").json()["code"] == "account_locked"
        failures = world.rows("select after_json from audit_event where action = 'auth.login.failed'")
        assert len(failures) == threshold + 1

        unlocked = client.post("/users/cashier/unlock", headers=world.headers("admin"))
        assert unlocked.status_code == 200
        assert login(client, "cashier").status_code == 200


def test_the_lock_ends_after_the_configured_minutes(world: World, client: TestClient) -> None:
    past = (utcnow() - dt.timedelta(seconds=1)).replace(tzinfo=None)
    world.execute("update app_user set locked_until = :until where login = 'cashier'", until=past)
    assert login(client, "cashier").status_code == 200


def test_an_expired_password_must_be_changed(world: World, client: TestClient) -> None:
    old = utcnow() - dt.timedelta(days=world.policy.password_expiry_days + 1)
    world.execute(
        "update app_user set password_changed_at = :old where login = 'cashier'", old=old.replace(tzinfo=None)
    )
    response = client.get("/customers", params={"q": "Ndiaye"}, headers=world.headers("cashier"))
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"


def test_tokens_expire_and_logout_revokes_them(world: World, client: TestClient) -> None:
    token = login(client, "cashier").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/auth/me", headers=headers).status_code == 200
    assert client.post("/auth/logout", headers=headers).status_code == 200
    revoked = client.get("/auth/me", headers=headers)
    assert revoked.status_code == 401 and revoked.json()["code"] == "token_revoked"

    world.execute("update api_token set expires_at = created_at")
    expired = client.get("/auth/me", headers=world.headers("supervisor"))
    assert expired.status_code == 401 and expired.json()["code"] == "token_expired"
    assert expired.headers["www-authenticate"].startswith("Bearer")


def test_missing_or_forged_credentials_get_401_with_a_code(world: World, client: TestClient) -> None:
    assert client.get("/auth/me").json()["code"] == "unauthorized"
    assert client.get("/auth/me", headers={"Authorization": "Bearer forged"}).json()["code"] == "invalid_token"
    assert client.get("/mobile-money/bills/C0000001", auth=("MTN_MOMO", "wrong")).json()["code"] == (
        "bad_partner_credentials"
    )
    assert login(client, "nobody").json()["code"] == "bad_credentials"


def test_a_partner_authenticates_with_its_own_secret_stored_hashed(world: World, client: TestClient) -> None:
    code, _name, secret = PARTNER
    assert client.get("/mobile-money/bills/C0000001", auth=(code, secret)).status_code == 200
    assert world.scalar("select secret_hash from payment_partner") != secret

    created = client.post("/partners", json={"code": "WAVE", "name": "Wave"}, headers=world.headers("admin"))
    assert created.status_code == 201
    new_secret = created.json()["secret"]
    assert client.get("/mobile-money/bills/C0000001", auth=("WAVE", new_secret)).status_code == 200
    renewed = client.post("/partners/WAVE/secret", headers=world.headers("admin")).json()["secret"]
    assert client.get("/mobile-money/bills/C0000001", auth=("WAVE", new_secret)).status_code == 401
    assert client.get("/mobile-money/bills/C0000001", auth=("WAVE", renewed)).status_code == 200
    # A partner is no user: it cannot log in, and users cannot take its role.
    refused = client.post(
        "/users", json={"login": "wave", "full_name": "W", "role": "partner"}, headers=world.headers("admin")
    )
    assert refused.status_code == 422 and refused.json()["code"] == "partner_not_user"


def test_users_are_administered_with_their_agencies(world: World, client: TestClient) -> None:
    create_user(client, world, "moussa.sarr", role="field_planner", agencies=("PKN",))
    admin = world.headers("admin")
    assert (
        client.post("/users", json={"login": "moussa.sarr", "full_name": "M", "role": "cashier"}, headers=admin).json()[
            "code"
        ]
        == "user_exists"
    )
    assert (
        client.post(
            "/users", json={"login": "ali", "full_name": "A", "role": "cashier", "agencies": ["XXX"]}, headers=admin
        ).json()["code"]
        == "unknown_agency"
    )

    changed = client.patch("/users/moussa.sarr", json={"role": "cashier", "agencies": ["PKN", "GUE"]}, headers=admin)
    assert changed.json()["role"] == "cashier" and changed.json()["agencies"] == ["GUE", "PKN"]
    listed = {user["login"]: user for user in client.get("/users", headers=admin).json()}
    assert listed["moussa.sarr"]["agencies"] == ["GUE", "PKN"]

    reset = client.post("/users/moussa.sarr/reset-password", headers=admin).json()["first_password"]
    assert login(client, "moussa.sarr", reset).json()["password_change_required"] is True
    disabled = client.patch("/users/moussa.sarr", json={"active": False}, headers=admin)
    assert disabled.json()["active"] is False
    assert login(client, "moussa.sarr", reset).json()["code"] == "account_disabled"


def test_the_workstation_and_address_of_a_login_are_kept(world: World, client: TestClient) -> None:
    login(client, "cashier", **{"X-Workstation": "CAISSE-PKN-2"})
    row = world.rows(
        "select workstation, client_address from audit_event where action = 'auth.login' order by id desc limit 1"
    )
    assert row == [("CAISSE-PKN-2", "testclient")]


def test_a_recognised_caller_is_still_confirmed_by_each_request_transaction(world: World, client: TestClient) -> None:
    """A caller seen a moment ago passes the role check without a database read; the request's own transaction
    still reads the token, so a change of agencies or a disabled account takes effect at the next request."""
    cashier, admin = world.headers("cashier2"), world.headers("admin")
    assert client.get("/customers/C0000001", headers=cashier).status_code == 200
    assert client.patch("/users/cashier2", json={"agencies": ["GUE"]}, headers=admin).status_code == 200

    changed = client.get("/customers/C0000001", headers=cashier)
    assert changed.status_code == 409 and changed.json()["code"] == "rights_changed"
    # Sent again, the request is judged on the new agencies.
    refused = client.get("/customers/C0000001", headers=cashier)
    assert refused.status_code == 403 and refused.json()["code"] == "other_agency"
    assert client.get("/customers/C0000003", headers=cashier).status_code == 200

    assert client.patch("/users/cashier2", json={"active": False}, headers=admin).status_code == 200
    disabled = client.get("/customers/C0000003", headers=cashier)
    assert disabled.status_code in (401, 403) and disabled.json()["code"] in ("account_disabled", "token_revoked")


def test_a_recognised_caller_is_confirmed_even_when_the_handler_reads_nothing(world: World) -> None:
    app = create_app(world.settings, policy=world.policy, migrate=False)

    @app.get("/probe")
    def probe(principal: allowed_for(Action.CUSTOMERS_READ), session: SessionDep) -> dict:
        return {"login": principal.login}

    with TestClient(app, raise_server_exceptions=False) as client:
        headers = world.headers("cashier")
        assert client.get("/probe", headers=headers).json() == {"login": "cashier"}
        assert client.get("/probe", headers=headers).json() == {"login": "cashier"}
        assert client.post("/auth/logout", headers=headers).status_code == 200
        revoked = client.get("/probe", headers=headers)
        assert revoked.status_code == 401 and revoked.json()["code"] == "token_revoked"
