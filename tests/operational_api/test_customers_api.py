from __future__ import annotations

import datetime as dt
import decimal

import pytest
from fastapi.testclient import TestClient

from operational_api.db import make_engine, session_factory
from operational_api.main import create_app
from operational_api.models import (
    Agency,
    Contract,
    Customer,
    DeliveryPoint,
    Meter,
    MeterInstallation,
    Reading,
    ReadingRound,
)
from operational_api.migrate import upgrade


@pytest.fixture
def client(settings):
    upgrade(str(settings.operational_url))
    engine = make_engine(str(settings.operational_url))
    with session_factory(engine).begin() as session:
        agency = Agency(code="PKN", name="Pikine", city="Dakar")
        session.add(agency)
        session.flush()
        round_ = ReadingRound(agency_id=agency.id, code="PKN-01", name="Pikine 01", reading_day=10)
        customer = Customer(
            reference="C0000042",
            kind="person",
            name="Ndiaye",
            first_name="Awa",
            phone="+221771234567",
            agency_id=agency.id,
        )
        point = DeliveryPoint(
            reference="PL0000042",
            agency_id=agency.id,
            commodity="electricity",
            address="Rue 10, Pikine",
            latitude=14.75,
            longitude=-17.39,
        )
        session.add_all([round_, customer, point])
        session.flush()
        contract = Contract(
            reference="P0000042",
            customer_id=customer.id,
            delivery_point_id=point.id,
            commodity="electricity",
            category="DOM",
            subscribed_power=decimal.Decimal("6"),
            power_unit="kVA",
            billing_cycle="bimonthly",
            reading_round_id=round_.id,
            start_date=dt.date(2020, 3, 1),
        )
        meter = Meter(serial="SN-42", commodity="electricity", meter_type="single_phase", digits=6)
        session.add_all([contract, meter])
        session.flush()
        session.add(
            MeterInstallation(
                meter_id=meter.id,
                contract_id=contract.id,
                installed_on=dt.date(2020, 3, 1),
                initial_index=0,
                reason="new_connection",
            )
        )
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
    engine.dispose()
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_health_answers_when_the_database_is_up(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_customers_are_found_by_name_phone_or_contract(client: TestClient) -> None:
    for query in ("ndiaye", "77123", "P0000042"):
        found = client.get("/customers", params={"q": query}).json()
        assert [customer["reference"] for customer in found] == ["C0000042"], query
    assert client.get("/customers", params={"q": "Sow"}).json() == []


def test_a_customer_comes_with_contracts(client: TestClient) -> None:
    body = client.get("/customers/C0000042").json()
    assert body["agency_code"] == "PKN"
    assert body["contracts"][0]["reference"] == "P0000042"
    assert body["contracts"][0]["subscribed_power"] == "6.00"


def test_readings_newest_first_with_the_visit_without_access(client: TestClient) -> None:
    readings = client.get("/contracts/P0000042/readings").json()
    assert [(r["reading_date"], r["index_value"], r["anomaly_code"]) for r in readings] == [
        ("2026-03-10", None, "NO_ACCESS"),
        ("2026-01-10", 1200, None),
    ]


def test_unknown_references_get_a_404_with_a_message(client: TestClient) -> None:
    response = client.get("/customers/C9999999")
    assert response.status_code == 404
    assert "C9999999" in response.json()["detail"]
    response = client.get("/contracts/P9/readings")
    assert response.status_code == 404
    assert "police" in response.json()["detail"]
