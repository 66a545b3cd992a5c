"""``yeelen users``: create a user, seed the demo users, print the matrix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from operational_api.auth.rights import USER_ROLES, render_matrix
from tests.operational_api.conftest import World, client_for
from yeelen.cli import main
from yeelen.demo.users import DEMO_NAMES, DEMO_PARTNER, DEMO_PASSWORD
from yeelen.settings import reset_settings_cache


@pytest.fixture
def cli_world(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("YEELEN_OPERATIONAL_URL", world.url)
    for key, value in {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "64", "ARGON2_PARALLELISM": "1"}.items():
        monkeypatch.setenv(f"YEELEN_{key}", value)
    reset_settings_cache()
    yield world
    reset_settings_cache()


def login(client: TestClient, user: str, password: str):
    return client.post("/auth/login", json={"login": user, "password": password})


def test_create_prints_a_first_password_to_change(cli_world: World, capsys: pytest.CaptureFixture) -> None:
    assert main(["users", "create", "fatou.sow", "--role", "cashier", "--agency", "PKN", "--name", "Fatou Sow"]) == 0
    output = capsys.readouterr().out
    password = output.split("First password (to be changed at first login): ")[1].strip()
    with client_for(cli_world) as client:
        answer = login(client, "fatou.sow", password).json()
    assert answer["password_change_required"] is True and answer["user"]["agencies"] == ["PKN"]
    assert cli_world.scalar("select actor from audit_event where entity_key = 'fatou.sow'") == "yeelen-cli"


def test_create_refuses_what_it_cannot_do(cli_world: World, capsys: pytest.CaptureFixture) -> None:
    assert main(["users", "create", "x.y", "--role", "king"]) == 2
    assert "Unknown role 'king'" in capsys.readouterr().err
    assert main(["users", "create", "cashier", "--role", "cashier"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "create", "new.one", "--role", "cashier", "--agency", "ZZZ"]) == 2
    assert "No agency with code 'ZZZ'" in capsys.readouterr().err


def test_seed_demo_gives_one_documented_user_per_role(cli_world: World, capsys: pytest.CaptureFixture) -> None:
    assert main(["users", "seed-demo"]) == 0
    assert main(["users", "seed-demo"]) == 0  # again: passwords reset, nothing doubled
    output = capsys.readouterr().out
    with client_for(cli_world) as client:
        for role in USER_ROLES:
            user = f"demo-{role.value.replace('_', '-')}"
            password = DEMO_PASSWORD.format(role=role.value)
            assert f"{user}" in output and password in output
            answer = login(client, user, password).json()
            assert answer["user"]["role"] == role.value and answer["password_change_required"] is False
            # Named as a person, as receipts and the audit trail show them, not by a role code.
            assert answer["user"]["full_name"] == DEMO_NAMES[role.value]
            assert role.value not in answer["user"]["full_name"]
        assert len(set(DEMO_NAMES.values())) == len(USER_ROLES)
        code, _name, secret = DEMO_PARTNER
        assert client.get("/mobile-money/bills/C0000001", auth=(code, secret)).status_code == 200
    assert cli_world.scalar("select count(*) from app_user where login like 'demo-%'") == len(USER_ROLES)


def test_matrix_prints_the_documented_table(capsys: pytest.CaptureFixture) -> None:
    assert main(["users", "matrix"]) == 0
    assert capsys.readouterr().out.strip() == render_matrix()
