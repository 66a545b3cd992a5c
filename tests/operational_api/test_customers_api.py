"""Customers, contracts, delivery points and meters: search, read, corrections kept in history, agency scope."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from operational_api.models import Contract, Meter, Reading
from tests.operational_api.conftest import World


def test_health_answers_when_the_database_is_up(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


@pytest.mark.parametrize("query", ["ndiaye", "Awa", "77123", "C0000001", "P0000001", "SN-0001"])
def test_customers_are_found_by_name_reference_contract_meter_or_phone(
    world: World, client: TestClient, query: str
) -> None:
    found = client.get("/customers", params={"q": query}, headers=world.headers("customer_clerk")).json()
    assert [customer["reference"] for customer in found] == ["C0000001"], query


def test_search_shows_only_the_callers_agencies(world: World, client: TestClient) -> None:
    pikine = client.get("/customers", params={"q": "C00000"}, headers=world.headers("cashier")).json()
    assert {customer["agency_code"] for customer in pikine} == {"PKN"}
    everyone = client.get("/customers", params={"q": "C00000"}, headers=world.headers("manager")).json()
    assert {customer["agency_code"] for customer in everyone} == {"PKN", "GUE"}
    assert client.get("/customers", params={"q": "Sow"}, headers=world.headers("cashier")).json() == []


def test_a_customer_comes_with_contracts_premises_and_meter(world: World, client: TestClient) -> None:
    body = client.get("/customers/C0000001", headers=world.headers("field_planner")).json()
    assert body["agency_code"] == "PKN"
    [contract] = body["contracts"]
    assert contract["reference"] == "P0000001"
    assert contract["subscribed_power"] == "6.00"
    assert contract["meter_serial"] == "SN-0001"
    assert contract["address"] == "Rue 1, PKN"


def test_another_agencys_customer_is_refused(world: World, client: TestClient) -> None:
    for path in (
        "/customers/C0000003",
        "/contracts/P0000003",
        "/contracts/P0000003/readings",
        "/meters/SN-0003",
        "/customers/C0000003/account",
        "/customers/C0000003/invoices",
    ):
        response = client.get(path, headers=world.headers("cashier"))
        assert response.status_code == 403, path
        assert response.json()["code"] == "other_agency", path
        assert client.get(path, headers=world.headers("gue-cashier")).status_code == 200, path
    refused = client.patch(
        "/customers/C0000003", json={"phone": "+221770000000"}, headers=world.headers("customer_clerk")
    )
    assert refused.status_code == 403 and refused.json()["code"] == "other_agency"


def test_readings_newest_first_with_the_visit_without_access(world: World, client: TestClient) -> None:
    with world.session() as session:
        contract = session.scalar(select(Contract).where(Contract.reference == "P0000001"))
        meter = session.scalar(select(Meter).where(Meter.serial == "SN-0001"))
        session.add_all(
            [
                Reading(
                    contract_id=contract.id,
                    meter_id=meter.id,
                    reading_date=dt.date(2026, 1, 10),
                    index_value=1200,
                    source="terminal",
                ),
                Reading(
                    contract_id=contract.id,
                    meter_id=meter.id,
                    reading_date=dt.date(2026, 3, 10),
                    index_value=None,
                    source="terminal",
                    anomaly_code="NO_ACCESS",
                ),
            ]
        )
    readings = client.get("/contracts/P0000001/readings", headers=world.headers("field_planner")).json()
    assert [(r["reading_date"], r["index_value"], r["anomaly_code"]) for r in readings] == [
        ("2026-03-10", None, "NO_ACCESS"),
        ("2026-01-10", 1200, None),
    ]


def test_a_contract_and_a_meter_are_read_with_their_history(world: World, client: TestClient) -> None:
    contract = client.get("/contracts/P0000001", headers=world.headers("cashier")).json()
    assert contract["customer_reference"] == "C0000001"
    assert contract["delivery_point"]["reference"] == "PL0000001"
    assert [meter["meter_serial"] for meter in contract["meters"]] == ["SN-0001"]
    meter = client.get("/meters/SN-0001", headers=world.headers("cashier")).json()
    assert meter["installations"][0]["contract_reference"] == "P0000001"


def test_unknown_references_get_a_404_with_a_code_and_message(world: World, client: TestClient) -> None:
    headers = world.headers("customer_clerk")
    response = client.get("/customers/C9999999", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_reference"
    assert "C9999999" in response.json()["message"]
    response = client.get("/contracts/P9/readings", headers=headers)
    assert response.status_code == 404 and "police" in response.json()["detail"]
    assert client.get("/meters/NOPE", headers=headers).status_code == 404


def test_corrections_are_validated_and_kept_in_history(world: World, client: TestClient) -> None:
    headers = world.headers("customer_clerk", workstation="ACCUEIL-3")
    changed = client.patch(
        "/customers/C0000001", json={"phone": "+221 77 999 88 77", "email": "awa@example.sn"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] == "+221779998877"

    for bad in ({"phone": "abc"}, {"email": "not-an-email"}, {"kind": "alien"}, {"name": ""}, {"unknown": 1}):
        response = client.patch("/customers/C0000001", json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.json()["code"] == "validation_error"
    emptied = client.patch("/customers/C0000001", json={"name": None}, headers=headers)
    assert emptied.json()["code"] == "invalid_change"

    history = client.get("/customers/C0000001/history", headers=world.headers("supervisor")).json()
    assert {(h["field"], h["old_value"], h["new_value"]) for h in history} == {
        ("phone", "+221771234567", "+221779998877"),
        ("email", None, "awa@example.sn"),
    }
    assert {h["changed_by"] for h in history} == {"customer_clerk"}
    # Unchanged values leave no history.
    client.patch("/customers/C0000001", json={"phone": "+221779998877"}, headers=headers)
    assert len(client.get("/customers/C0000001/history", headers=world.headers("supervisor")).json()) == 2
    assert world.scalar("select workstation from customer_change limit 1") == "ACCUEIL-3"


def test_contract_corrections_must_stay_consistent(world: World, client: TestClient) -> None:
    headers = world.headers("customer_clerk")
    ok = client.patch("/contracts/P0000001", json={"subscribed_power": "9", "category": "PRO"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["subscribed_power"] == "9.00"
    for bad, code in (
        ({"category": "EAU_DOM"}, "invalid_change"),
        ({"power_unit": "mm"}, "invalid_change"),
        ({"end_date": "2019-01-01"}, "invalid_change"),
        ({"status": "terminated"}, "invalid_change"),
        ({"subscribed_power": "-3"}, "validation_error"),
        ({"category": "NOPE"}, "validation_error"),
    ):
        response = client.patch("/contracts/P0000001", json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.json()["code"] == code, bad
    ended = client.patch(
        "/contracts/P0000001", json={"status": "terminated", "end_date": "2026-06-30"}, headers=headers
    )
    assert ended.status_code == 200
    fields = {h["field"] for h in client.get("/customers/C0000001/history", headers=headers).json()}
    assert fields == {"subscribed_power", "category", "status", "end_date"}


def test_premises_corrections_go_to_the_history_of_their_customers(world: World, client: TestClient) -> None:
    response = client.patch(
        "/delivery-points/PL0000001",
        json={"address": "Cité Lobatt Fall, villa 12"},
        headers=world.headers("customer_clerk"),
    )
    assert response.status_code == 200 and response.json()["address"] == "Cité Lobatt Fall, villa 12"
    [change] = client.get("/customers/C0000001/history", headers=world.headers("customer_clerk")).json()
    assert (change["entity"], change["field"], change["old_value"]) == ("delivery_point", "address", "Rue 1, PKN")
    assert (
        client.patch(
            "/delivery-points/PL0000001", json={"latitude": 120}, headers=world.headers("customer_clerk")
        ).status_code
        == 422
    )
