"""The billing cycle in Dagster, in-process on a tiny utility, with a person deciding in the operational database."""

from __future__ import annotations

import json

from operational_api.billing import service
from operational_api.db import session_factory, unit_of_work
from orchestration.defs.billing.sensors import billing_batches_sensor
from tests.orchestration.conftest import MONTH, Cycle
from tests.smtp import MailSink


def _decide(cycle: Cycle, decision, **arguments) -> None:
    """What the billing-control screen does through the API: one decision in one transaction."""
    with unit_of_work(session_factory(cycle.engine)) as session:
        decision(session=session, **arguments)


def _checks(result) -> dict:
    return {check.check_name: check for check in result.get_asset_check_evaluations()}


def test_the_cycle_simulates_rejects_resimulates_and_issues_once_approved(cycle: Cycle, smtp_server: MailSink) -> None:
    round_code = cycle.scalar(
        "select r.code from reading_round r join contract c on c.reading_round_id = r.id"
        " where c.commodity = 'electricity' group by r.code order by count(*) desc limit 1"
    )
    open_config = {"ops": {"billing_cycle__batches": {"config": {"rounds": [round_code]}}}}

    # The calendar opens the round's batch for the period; opening it again opens nothing more.
    assert cycle.run("billing_open_batches", MONTH, open_config).success
    assert cycle.run("billing_open_batches", MONTH, open_config).success
    [(batch_id, status)] = cycle.rows("select id, status from billing_batch")
    assert status == "open"

    # The sensor sees the new batch and asks for the period's simulation.
    requests = cycle.sensor_requests(billing_batches_sensor)
    assert [(request.job_name, request.partition_key) for request in requests] == [("billing_simulation", MONTH)]
    simulated = cycle.run("billing_simulation", MONTH)
    assert simulated.success
    assert cycle.scalar("select status from billing_batch") == "simulated"
    drafts = cycle.scalar("select count(*) from draft_bill where batch_id = :b", b=batch_id)
    assert drafts > 50
    checks = _checks(simulated)
    assert checks["every_contract_decided"].passed
    assert checks["drafts_match_simulation"].passed
    assert "simulation_alerts" in checks
    [materialization] = simulated.asset_materializations_for_node("billing_cycle__simulations")
    assert materialization.metadata["bills"].value == drafts
    assert "LOT-2026-09-001 | open | " in materialization.metadata["figures"].value
    assert cycle.sensor_requests(billing_batches_sensor) == [], "a simulated batch waits for a person"

    # The clerk rejects the simulation with a reason: it goes back, nothing is issued.
    _decide(cycle, service.reject_batch, batch_id=batch_id, actor="chef.facturation", reason="Index suspects tournée")
    assert cycle.rows("select status, status_reason from billing_batch") == [("rejected", "Index suspects tournée")]
    assert cycle.sensor_requests(billing_batches_sensor) == []

    # Issuing without approval is refused, whoever asks.
    issue_config = {"ops": {"billing_cycle__invoices": {"config": {"batch_ids": [batch_id]}}}}
    refused = cycle.run("billing_issue", MONTH, issue_config)
    assert not refused.success
    failure = next(event for event in refused.all_events if event.event_type_value == "STEP_FAILURE")
    assert "is rejected, and is issued only once a user with the right approves" in failure.message + str(
        failure.event_specific_data.error
    )
    assert cycle.scalar("select count(*) from invoice") == 0

    # After the fix, a billing clerk sends it back: the sensor asks for the period's simulation again, and the batch
    # is back to simulated, its reason cleared.
    _decide(cycle, service.reopen_batch, batch_id=batch_id, actor="agent.facturation")
    assert cycle.rows("select status, status_reason from billing_batch") == [("open", None)]
    requests = cycle.sensor_requests(billing_batches_sensor)
    assert [(request.job_name, request.partition_key) for request in requests] == [("billing_simulation", MONTH)]
    assert cycle.run("billing_simulation", MONTH).success
    assert cycle.rows("select status, status_reason from billing_batch") == [("simulated", None)]

    # A user with the right approves (as the API or the billing-control screen does).
    _decide(cycle, service.approve_batch, batch_id=batch_id, actor="chef.facturation")
    [request] = cycle.sensor_requests(billing_batches_sensor)
    assert (request.job_name, request.partition_key) == ("billing_issue", MONTH)
    assert request.run_config == issue_config
    issued = cycle.run("billing_issue", MONTH, request.run_config)
    assert issued.success
    approved, invoices, amount = cycle.rows(
        "select approved_bill_count, invoice_count, invoiced_amount from billing_batch"
    )[0]
    assert invoices == approved == drafts and amount > 0
    assert cycle.rows("select count(*), count(distinct contract_id), sum(total) from invoice") == [
        (invoices, invoices, amount)
    ]
    assert _checks(issued)["issued_as_approved"].passed
    assert cycle.scalar("select count(*) from draft_bill") == 0, "the drafts of an issued batch are gone"

    # E-bills and SMS were queued once per invoice and sent: e-mails to the SMTP server, SMS to the gateway's log.
    with_email = cycle.scalar(
        "select count(*) from invoice i join customer c on c.id = i.customer_id where c.email is not null"
    )
    with_phone = cycle.scalar(
        "select count(*) from invoice i join customer c on c.id = i.customer_id where c.phone is not null"
    )
    assert with_email > 0 and with_phone > 0
    assert cycle.rows("select channel, status, count(*) from notification group by 1, 2 order by 1") == [
        ("email", "sent", with_email),
        ("sms", "sent", with_phone),
    ]
    assert len(smtp_server.messages) == with_email
    message = smtp_server.messages[0]
    assert message["Subject"].startswith("Votre facture F2026-") or message["Subject"].startswith("Your bill F2026-")
    attachments = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert len(attachments) == 1 and attachments[0].endswith(".pdf")
    sms_log = (cycle.settings.home / "sms" / "outbox.log").read_text(encoding="utf-8").splitlines()
    assert len(sms_log) == with_phone and "Solde du compte" in json.loads(sms_log[0])["text"]

    # Running the issue again is safe: the invoices are there once, no message leaves twice.
    assert cycle.run("billing_issue", MONTH, request.run_config).success
    assert cycle.scalar("select count(*) from invoice") == invoices
    assert cycle.scalar("select count(*) from notification") == with_email + with_phone
    assert len(smtp_server.messages) == with_email
    assert cycle.sensor_requests(billing_batches_sensor) == [], "an issued batch asks for nothing more"

    # A backfill of the period recomputes the analytics and leaves the issued invoices alone.
    backfill = cycle.run("billing_simulation", MONTH)
    assert backfill.success
    assert cycle.rows("select status, invoice_count from billing_batch") == [("issued", invoices)]
    assert cycle.scalar("select count(*) from invoice") == invoices
    assert cycle.scalar("select count(*) from draft_bill") == 0
