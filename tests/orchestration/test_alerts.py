"""Alerts to the data team: a check failing on purpose and a failed run, e-mailed to a real SMTP server."""

from __future__ import annotations

import datetime as dt

import dagster as dg
from sqlalchemy import text

from operational_api.migrate import upgrade
from orchestration.defs.alerts.sensors import alert_on_check_failure, alert_on_run_failure
from tests.orchestration.conftest import MONTH, Cycle
from tests.smtp import MailSink


def _ledger_entry(cycle: Cycle, amount: int, written_at: dt.datetime) -> None:
    customer = cycle.scalar("select id from customer order by id limit 1")
    with cycle.engine.begin() as connection:
        connection.execute(
            text(
                "insert into ledger_entry (customer_id, contract_id, entry_date, kind, amount, invoice_id, payment_id,"
                " description, created_by, created_at, updated_at) values (:customer, null, :day, 'adjustment',"
                " :amount, null, null, 'Ajustement', 'inconnu', :moment, :moment)"
            ),
            {
                "customer": customer,
                "day": written_at.date(),
                "amount": amount,
                "moment": written_at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f"),
            },
        )


def _ledger_check(result) -> dg.AssetCheckEvaluation:
    return next(
        check for check in result.get_asset_check_evaluations() if check.check_name == "ledger_matches_operational"
    )


def test_an_account_changed_behind_the_warehouse_fails_its_check_and_the_data_team_hears_of_it(
    cycle: Cycle, smtp_server: MailSink, monkeypatch
) -> None:
    monkeypatch.setenv("YEELEN_DAGSTER_URL", "https://dagster.utility.test/")
    # Right after the build, the warehouse's accounts are the operational ledger's.
    assert _ledger_check(cycle.run("quality_checks")).passed
    # Money received since the build is not a difference: the warehouse has not seen it yet, and will.
    _ledger_entry(cycle, -5000, dt.datetime.now(dt.UTC))
    assert _ledger_check(cycle.run("quality_checks")).passed
    # An entry written with an old date, behind ingestion's back: the warehouse will never see it. The check fails.
    _ledger_entry(cycle, 7300, dt.datetime(2021, 3, 1, tzinfo=dt.UTC))
    checked = cycle.run("quality_checks")
    assert checked.success, "a failed check does not fail the run; it is reported"
    failed = _ledger_check(checked)
    assert not failed.passed
    differences = failed.metadata["differences"].value
    [(agency, figures)] = differences.items()
    assert figures["difference"] == 7300
    assert figures["operational"] - figures["warehouse"] == 7300

    cycle.sensor_requests(alert_on_check_failure)
    [message] = smtp_server.messages
    assert message["Subject"] == "[Yeelen] 1 check(s) failed"
    assert message["To"] == "data@yeelen.test" and message["From"] == "facturation@yeelen.test"
    body = message.get_content()
    assert "marts/rpt_account_balances / ledger_matches_operational" in body
    assert "Accounts changed behind the warehouse's back" in body
    assert f"https://dagster.utility.test/runs/{checked.run_id}" in body
    assert '"difference": 7300' in body
    # Warnings (a source that sent no file yet) stay in the UI; a second look sends nothing new.
    cycle.sensor_requests(alert_on_check_failure)
    assert len(smtp_server.messages) == 1


def test_a_failed_run_reaches_the_data_team_with_its_step_and_a_link(settings, smtp_server: MailSink) -> None:
    from orchestration.definitions import defs
    from orchestration.defs.alerts.resources import AlertsResource
    from orchestration.resources import YeelenSettingsResource

    upgrade(str(settings.operational_url))
    definitions = defs()
    with dg.instance_for_test() as instance:
        failed = definitions.resolve_job_def("billing_issue").execute_in_process(
            instance=instance,
            partition_key=MONTH,
            run_config={"ops": {"billing_cycle__invoices": {"config": {"batch_ids": [404]}}}},
            raise_on_error=False,
        )
        assert not failed.success
        failure = next(event for event in failed.all_events if event.event_type == dg.DagsterEventType.RUN_FAILURE)
        context = dg.build_run_status_sensor_context(
            sensor_name="alert_on_run_failure",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=failed.dagster_run,
            resources={"yeelen": YeelenSettingsResource(), "alerts": AlertsResource()},
        ).for_run_failure()
        alert_on_run_failure(context)
    [message] = smtp_server.messages
    assert message["Subject"] == f"[Yeelen] Run failed: billing_issue ({failed.run_id[:8]})"
    body = message.get_content()
    assert f"Partition: {MONTH}" in body
    assert "step billing_cycle__invoices" in body and "are not batches of 09/2026" in body
    assert f"http://127.0.0.1:3000/runs/{failed.run_id}" in body
