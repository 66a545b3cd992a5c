"""The people's decisions on the billing cycle, inspections and disconnection campaigns, through the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from operational_api.billing import service as billing
from operational_api.billing.exceptions import BatchCriteriaError
from operational_api.models import (
    Agency,
    BillingBatch,
    BillingBatchEvent,
    Contract,
    DeliveryPoint,
    Invoice,
    LedgerEntry,
    ReadingRound,
)
from tests.operational_api.conftest import World, client_for

MONTH = dt.date(2026, 6, 1)


@pytest.fixture
def api(world: World):
    with client_for(world) as client:
        yield client


def simulate(world: World, batch_id: int, contracts: tuple[str, ...] = ("P0000001", "P0000002")) -> None:
    """What the pipeline's simulation step stores: one draft bill per contract with its lines."""
    with world.session() as session:
        rows = session.execute(
            select(
                Contract.id, Contract.customer_id, Contract.category, DeliveryPoint.agency_id, Contract.reading_round_id
            )
            .join(DeliveryPoint, Contract.delivery_point_id == DeliveryPoint.id)
            .where(Contract.reference.in_(contracts))
        ).all()
        bills, lines = [], []
        for contract_id, customer_id, category, agency_id, round_id in rows:
            bills.append(
                {
                    "contract_id": contract_id,
                    "customer_id": customer_id,
                    "agency_id": agency_id,
                    "reading_round_id": round_id,
                    "category": category,
                    "billing_month": MONTH,
                    "period_start": dt.date(2026, 5, 10),
                    "period_end": dt.date(2026, 6, 10),
                    "consumption": Decimal("100.000"),
                    "unit": "kWh",
                    "is_estimated": False,
                    "grid_code": "SENELEC_DPP",
                    "total": 8_629,
                }
            )
            lines.append(
                {
                    "contract_id": contract_id,
                    "line_number": 1,
                    "kind": "energy",
                    "code": "T1",
                    "label": "Tranche 1",
                    "quantity": Decimal("100.000"),
                    "unit_price": Decimal("82"),
                    "base": None,
                    "amount": 8_200,
                    "part_start": dt.date(2026, 5, 10),
                    "part_end": dt.date(2026, 6, 10),
                }
            )
            lines.append(
                {
                    "contract_id": contract_id,
                    "line_number": 2,
                    "kind": "fixed",
                    "code": "REDEVANCE",
                    "label": "Redevance",
                    "quantity": Decimal("1.000"),
                    "unit_price": Decimal("429"),
                    "base": None,
                    "amount": 429,
                    "part_start": dt.date(2026, 5, 10),
                    "part_end": dt.date(2026, 6, 10),
                }
            )
        billing.store_simulation(session=session, batch_id=batch_id, bills=bills, lines=lines, actor="pipeline")


def open_batch(api: TestClient, world: World, agency: str = "PKN") -> dict:
    response = api.post(
        "/billing/batches",
        json={"billing_month": "2026-06-15", "agency_code": agency},
        headers=world.headers("billing_clerk"),
    )
    assert response.status_code == 201, response.text
    return response.json()


# --- Billing batches -------------------------------------------------------------------------------------------


def test_a_clerk_opens_a_batch_and_a_supervisor_approves_its_simulation(world: World, api: TestClient) -> None:
    batch = open_batch(api, world)
    assert batch["status"] == "open" and batch["billing_month"] == "2026-06-01" and batch["draft_bills"] == 0
    simulate(world, batch["id"])

    shown = api.get(f"/billing/batches/{batch['id']}", headers=world.headers("billing_clerk")).json()
    assert (shown["status"], shown["draft_bills"], shown["draft_amount"]) == ("simulated", 2, 17_258)

    refused = api.post(f"/billing/batches/{batch['id']}/approve", headers=world.headers("billing_clerk"))
    assert refused.status_code == 403, "the clerk who prepares a batch does not approve it"

    approved = api.post(f"/billing/batches/{batch['id']}/approve", headers=world.headers("supervisor"))
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["decided_by"] == "supervisor"
    assert (body["approved_bill_count"], body["approved_amount"]) == (2, 17_258)

    again = api.post(f"/billing/batches/{batch['id']}/approve", headers=world.headers("supervisor"))
    assert again.status_code == 409 and again.json()["code"] == "batch_state"


def test_a_rejected_simulation_goes_back_with_its_reason_and_may_be_simulated_again(
    world: World, api: TestClient
) -> None:
    batch = open_batch(api, world)
    simulate(world, batch["id"])
    short = api.post(
        f"/billing/batches/{batch['id']}/reject", json={"reason": "x"}, headers=world.headers("supervisor")
    )
    assert short.status_code == 422

    rejected = api.post(
        f"/billing/batches/{batch['id']}/reject",
        json={"reason": "Index de la tournée PKN-01 à relire"},
        headers=world.headers("supervisor"),
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["status_reason"] == "Index de la tournée PKN-01 à relire"

    simulate(world, batch["id"], contracts=("P0000001",))
    shown = api.get(f"/billing/batches/{batch['id']}", headers=world.headers("supervisor")).json()
    assert (shown["status"], shown["draft_bills"], shown["status_reason"]) == ("simulated", 1, None)


def test_batches_stay_within_the_agencies_of_the_user(world: World, api: TestClient) -> None:
    pikine = open_batch(api, world)

    listed = api.get("/billing/batches", headers=world.headers("gue-supervisor"))
    assert listed.status_code == 200 and pikine["id"] not in [batch["id"] for batch in listed.json()]
    other = api.get(f"/billing/batches/{pikine['id']}", headers=world.headers("gue-supervisor"))
    assert other.status_code == 403 and other.json()["code"] == "other_agency"
    assert (
        api.post(f"/billing/batches/{pikine['id']}/approve", headers=world.headers("gue-supervisor")).status_code == 403
    )

    not_mine = api.post(
        "/billing/batches",
        json={"billing_month": "2026-06-01", "agency_code": "GUE"},
        headers=world.headers("billing_clerk"),
    )
    assert not_mine.status_code == 403
    everywhere = api.post(
        "/billing/batches", json={"billing_month": "2026-06-01"}, headers=world.headers("billing_clerk")
    )
    assert everywhere.status_code == 422 and everywhere.json()["code"] == "agency_required"
    unknown = api.post(
        "/billing/batches",
        json={"billing_month": "2026-06-01", "agency_code": "XXX"},
        headers=world.headers("billing_clerk"),
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_agency"
    with world.session() as session:
        assert session.scalar(select(func.count()).select_from(BillingBatch)) == 1, "refused batches leave nothing"


def test_a_rejected_batch_goes_back_to_be_simulated_once_its_data_is_fixed(world: World, api: TestClient) -> None:
    batch = open_batch(api, world)
    path = f"/billing/batches/{batch['id']}"
    early = api.post(f"{path}/reopen", headers=world.headers("billing_clerk"))
    assert early.status_code == 409 and early.json()["code"] == "batch_state"
    assert "must be rejected" in early.json()["message"]

    simulate(world, batch["id"])
    rejected = api.post(f"{path}/reject", json={"reason": "Index de mai à relire"}, headers=world.headers("supervisor"))
    assert rejected.status_code == 200, rejected.text
    # Not a cashier's to do, nor another agency's.
    assert api.post(f"{path}/reopen", headers=world.headers("cashier")).status_code == 403
    assert api.post(f"{path}/reopen", headers=world.headers("gue-supervisor")).status_code == 403

    reopened = api.post(f"{path}/reopen", headers=world.headers("billing_clerk"))
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["status_reason"]) == ("open", None)
    with world.session() as session:
        history = session.execute(
            select(BillingBatchEvent.status_from, BillingBatchEvent.status_to, BillingBatchEvent.actor)
            .where(BillingBatchEvent.batch_id == batch["id"])
            .order_by(BillingBatchEvent.id)
        ).all()
    assert [tuple(row) for row in history][-2:] == [
        ("simulated", "rejected", "supervisor"),
        ("rejected", "open", "billing_clerk"),
    ]
    # The next simulation takes it like any open batch.
    simulate(world, batch["id"], contracts=("P0000001",))
    shown = api.get(path, headers=world.headers("supervisor")).json()
    assert (shown["status"], shown["draft_bills"]) == ("simulated", 1)


def test_a_round_s_batch_belongs_to_the_round_s_agency(world: World, api: TestClient) -> None:
    clerk = world.headers("billing_clerk")  # attached to PKN
    opened = api.post("/billing/batches", json={"billing_month": "2026-06-01", "round_code": "PKN-01"}, headers=clerk)
    assert opened.status_code == 201, opened.text
    batch = opened.json()
    with world.session() as session:
        pikine = session.scalar(select(Agency.id).where(Agency.code == "PKN"))
        assert session.get(BillingBatch, batch["id"]).agency_id == pikine
    # Another agency's supervisor neither lists it nor decides it.
    listed = api.get("/billing/batches", headers=world.headers("gue-supervisor")).json()
    assert batch["id"] not in [item["id"] for item in listed]
    refused = api.post(f"/billing/batches/{batch['id']}/approve", headers=world.headers("gue-supervisor"))
    assert refused.status_code == 403 and refused.json()["code"] == "other_agency"
    # Another agency's round is not the clerk's to bill.
    crossed = api.post(
        "/billing/batches",
        json={"billing_month": "2026-07-01", "round_code": "GUE-01", "agency_code": "PKN"},
        headers=clerk,
    )
    assert crossed.status_code == 403 and crossed.json()["code"] == "other_agency"
    # A round beside another agency would select nobody: refused with the reason, whoever asks.
    with (
        pytest.raises(BatchCriteriaError, match="Round GUE-01 is read in agency GUE, not PKN"),
        world.session() as session,
    ):
        round_id = session.scalar(select(ReadingRound.id).where(ReadingRound.code == "GUE-01"))
        billing.create_batch(
            session=session, billing_month=dt.date(2026, 7, 1), actor="t", agency_id=pikine, reading_round_id=round_id
        )
    with world.session() as session:
        assert session.scalar(select(func.count()).select_from(BillingBatch)) == 1


def test_a_credit_note_cancels_an_invoice_once_and_balances_the_account(world: World, api: TestClient) -> None:
    number = world.invoice(total=12_345)

    response = api.post(
        f"/billing/invoices/{number}/credit-note",
        json={"reason": "Index mal relevé"},
        headers=world.headers("billing_clerk"),
    )
    assert response.status_code == 201, response.text
    credit = response.json()
    assert credit["kind"] == "credit_note" and credit["total"] == 12_345 and credit["corrects"] == number

    again = api.post(
        f"/billing/invoices/{number}/credit-note",
        json={"reason": "Deuxième fois"},
        headers=world.headers("billing_clerk"),
    )
    assert again.status_code == 422 and again.json()["code"] == "correction_refused"
    missing = api.post(
        "/billing/invoices/F2026-9999999/credit-note",
        json={"reason": "Inconnue"},
        headers=world.headers("billing_clerk"),
    )
    assert missing.status_code == 404
    with world.session() as session:
        customer = world.customer_id("C0000001")
        balance = session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.customer_id == customer))
        original = session.scalar(select(Invoice).where(Invoice.number == number))
        assert balance == 0 and original.total == 12_345, "the invoice never changes; the credit note offsets it"


# --- Inspections -----------------------------------------------------------------------------------------------


def test_an_inspection_is_requested_once_and_its_outcome_recorded_once(world: World, api: TestClient) -> None:
    planner = world.headers("field_planner")
    requested = api.post(
        "/field/inspections",
        json={"contract_reference": "P0000001", "suspect_rules": ["habit_drop", "zero_active"], "suspect_score": 87.5},
        headers=planner,
    )
    assert requested.status_code == 201, requested.text
    inspection = requested.json()
    assert inspection["suspect_rules"] == ["habit_drop", "zero_active"] and inspection["outcome"] is None

    twice = api.post("/field/inspections", json={"contract_reference": "P0000001"}, headers=planner)
    assert twice.status_code == 409 and twice.json()["code"] == "inspection_pending"

    outcome = {"outcome": "fraud_confirmed", "inspected_on": "2026-06-20", "energy_recovered": "840.5"}
    done = api.post(f"/field/inspections/{inspection['id']}/outcome", json=outcome, headers=planner)
    assert done.status_code == 200, done.text
    assert done.json()["outcome"] == "fraud_confirmed" and Decimal(done.json()["energy_recovered"]) == Decimal("840.5")
    again = api.post(f"/field/inspections/{inspection['id']}/outcome", json=outcome, headers=planner)
    assert again.status_code == 409 and again.json()["code"] == "inspection_done"

    waiting = api.get("/field/inspections", headers=planner).json()
    done_list = api.get("/field/inspections", params={"status": "done"}, headers=planner).json()
    assert inspection["id"] not in [row["id"] for row in waiting]
    assert [row["outcome"] for row in done_list if row["id"] == inspection["id"]] == ["fraud_confirmed"]


def test_inspections_refuse_unknown_contracts_outcomes_and_other_agencies(world: World, api: TestClient) -> None:
    planner = world.headers("field_planner")
    unknown = api.post("/field/inspections", json={"contract_reference": "P9999999"}, headers=planner)
    assert unknown.status_code == 404 and "P9999999" in unknown.json()["message"]
    other = api.post("/field/inspections", json={"contract_reference": "P0000003"}, headers=planner)
    assert other.status_code == 403 and other.json()["code"] == "other_agency"
    made = api.post("/field/inspections", json={"contract_reference": "P0000002"}, headers=planner).json()
    wrong = api.post(
        f"/field/inspections/{made['id']}/outcome",
        json={"outcome": "maybe", "inspected_on": "2026-06-20"},
        headers=planner,
    )
    assert wrong.status_code == 422
    cashier = api.post("/field/inspections", json={"contract_reference": "P0000002"}, headers=world.headers())
    assert cashier.status_code == 403


# --- Disconnection campaigns -----------------------------------------------------------------------------------


def campaign(api: TestClient, world: World, targets: list[dict] | None = None):
    targets = targets or [
        {"contract_reference": "P0000001", "agent": "Moussa", "route_order": 1, "amount_due": 45_000},
        {"contract_reference": "P0000002", "agent": "Moussa", "route_order": 2, "amount_due": 12_500},
    ]
    body = {"name": "Coupures Pikine juin", "agency_code": "PKN", "criteria": {"min_due": 10_000}, "targets": targets}
    return api.post("/collection/campaigns", json=body, headers=world.headers("field_planner"))


def test_a_campaign_follows_its_targets_from_notice_to_reconnection(world: World, api: TestClient) -> None:
    planner = world.headers("field_planner")
    created = campaign(api, world)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["targets"], body["amount_due"], body["progress"]) == (2, 57_500, {"pending": 2})

    targets = api.get(f"/collection/campaigns/{body['id']}/targets", headers=planner).json()
    first = next(target for target in targets if target["contract_reference"] == "P0000001")

    no_index = api.post(
        f"/collection/targets/{first['id']}/outcome",
        json={"status": "disconnected", "status_on": "2026-06-21"},
        headers=planner,
    )
    assert no_index.status_code == 422 and no_index.json()["code"] == "index_required"
    cut = api.post(
        f"/collection/targets/{first['id']}/outcome",
        json={"status": "disconnected", "status_on": "2026-06-21", "index_at_disconnection": 10_452},
        headers=planner,
    )
    assert cut.status_code == 200 and cut.json()["index_at_disconnection"] == 10_452
    back = api.post(
        f"/collection/targets/{first['id']}/outcome",
        json={"status": "notice_delivered", "status_on": "2026-06-22"},
        headers=planner,
    )
    assert back.status_code == 409 and back.json()["code"] == "target_status"
    paid = api.post(
        f"/collection/targets/{first['id']}/outcome",
        json={"status": "paid", "status_on": "2026-06-23"},
        headers=planner,
    )
    assert paid.status_code == 200

    listed = api.get("/collection/campaigns", headers=planner).json()
    progress = next(row for row in listed if row["id"] == body["id"])["progress"]
    assert progress == {"paid": 1, "pending": 1}


def test_a_campaign_with_bad_targets_is_refused_whole(world: World, api: TestClient) -> None:
    twice = campaign(
        api,
        world,
        [{"contract_reference": "P0000001", "amount_due": 1}, {"contract_reference": "P0000001", "amount_due": 2}],
    )
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate_target"
    unknown = campaign(api, world, [{"contract_reference": "P0000404", "amount_due": 1}])
    assert unknown.status_code == 404 and "P0000404" in unknown.json()["message"]
    other = campaign(api, world, [{"contract_reference": "P0000003", "amount_due": 1}])
    assert other.status_code == 403 and other.json()["code"] == "other_agency"
    listed = api.get("/collection/campaigns", headers=world.headers("field_planner")).json()
    assert listed == []


def test_inspections_campaigns_and_credit_notes_are_dated_on_the_utility_day(world: World) -> None:
    """A zone whose day differs from the server's (UTC) right now: the dates follow the utility's zone."""
    from operational_api.db import local_date
    from operational_api.main import create_app
    from yeelen.settings import load_settings

    zone = "Pacific/Kiritimati" if dt.datetime.now(dt.UTC).hour >= 10 else "Pacific/Pago_Pago"  # UTC+14 / UTC-11
    settings = load_settings(operational_url=world.url, timezone=zone)
    day = local_date(zone)
    assert day != dt.datetime.now(dt.UTC).date()
    with TestClient(create_app(settings, policy=world.policy, migrate=False)) as api:
        inspection = api.post(
            "/field/inspections", json={"contract_reference": "P0000002"}, headers=world.headers("field_planner")
        )
        assert inspection.status_code == 201, inspection.text
        assert inspection.json()["requested_on"] == day.isoformat()
        created = campaign(api, world)
        assert created.status_code == 201, created.text
        assert created.json()["created_on"] == day.isoformat()
        assert created.json()["reference"].startswith(f"CP-{day:%Y%m}-")
        number = world.invoice(total=5_000)
        credit = api.post(
            f"/billing/invoices/{number}/credit-note",
            json={"reason": "Index mal relevé"},
            headers=world.headers("billing_clerk"),
        )
        assert credit.status_code == 201, credit.text
        issued = world.scalar("select issue_date from invoice where number = :n", n=credit.json()["number"])
        assert str(issued) == day.isoformat()


def test_the_command_line_decides_a_batch_as_a_user_allowed_to_and_audits_it(
    world: World, api: TestClient, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from yeelen.cli import main
    from yeelen.settings import reset_settings_cache

    monkeypatch.setenv("YEELEN_OPERATIONAL_URL", world.url)
    reset_settings_cache()
    try:
        batch = open_batch(api, world)
        simulate(world, batch["id"])
        refusals = {
            "billing_clerk": "billing_clerk (billing_clerk) may not do this (approve or reject a batch's simulation)",
            "gue-supervisor": "belongs to another agency than yours",
            "nobody": "nobody",
        }
        for login, message in refusals.items():
            assert main(["billing", "approve", str(batch["id"]), "--by", login]) == 2
            error = capsys.readouterr().err
            assert message in error and f"(--by {login})" in error
        assert world.scalar("select status from billing_batch where id = :b", b=batch["id"]) == "simulated"

        reject = ["billing", "reject", str(batch["id"]), "--reason", "Index suspects T03", "--by", "supervisor"]
        assert main(reject) == 0
        # Sending it back to be simulated is a billing clerk's, not the supervisor's.
        assert main(["billing", "reopen", str(batch["id"]), "--by", "supervisor"]) == 2
        assert "may not do this (open billing batches" in capsys.readouterr().err
        assert main(["billing", "reopen", str(batch["id"]), "--by", "billing_clerk"]) == 0
        assert "is open again" in capsys.readouterr().out
        assert world.scalar("select status from billing_batch where id = :b", b=batch["id"]) == "open"
        simulate(world, batch["id"])
        assert main(["billing", "approve", str(batch["id"]), "--by", "supervisor"]) == 0
        assert "approved: 2 bills, 17258" in capsys.readouterr().out
        assert world.rows(
            "select action, actor, actor_role, entity_key from audit_event where entity = 'billing_batch'"
            " and action in ('billing.batch.approve', 'billing.batch.reject', 'billing.batch.reopen') order by id"
        ) == [
            ("billing.batch.reject", "supervisor", "supervisor", str(batch["id"])),
            ("billing.batch.reopen", "billing_clerk", "billing_clerk", str(batch["id"])),
            ("billing.batch.approve", "supervisor", "supervisor", str(batch["id"])),
        ]
        assert world.scalar("select decided_by from billing_batch where id = :b", b=batch["id"]) == "supervisor"
    finally:
        reset_settings_cache()
