"""The code location's operations: jobs, schedules and sensors present and loadable; the billing calendar."""

from __future__ import annotations

import datetime as dt

import dagster as dg
from sqlalchemy import text

from operational_api.billing import service
from operational_api.db import make_engine, session_factory, unit_of_work
from orchestration.definitions import defs
from yeelen.billing.calendar import due_rounds, open_round_batches, opening_day


def test_the_code_location_loads_with_its_schedules_sensors_and_jobs() -> None:
    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    repository = definitions.get_repository_def()
    jobs = {job.name for job in repository.get_all_jobs()}
    assert {
        "yeelen_pipeline",
        "ingest_operational",
        "billing_open_batches",
        "billing_simulation",
        "billing_issue",
        "intake",
        "deliver_notifications",
        "quality_checks",
    } <= jobs
    schedules = {schedule.name: schedule for schedule in repository.schedule_defs}
    assert schedules["payments_and_cash_every_5_minutes"].cron_schedule == "*/5 * * * *"
    assert schedules["payments_and_cash_every_5_minutes"].job_name == "ingest_operational"
    assert schedules["nightly_full_refresh"].job_name == "yeelen_pipeline"
    assert schedules["billing_calendar"].job_name == "billing_open_batches"
    assert {"notifications_every_10_minutes", "quality_checks_hourly"} <= set(schedules)
    sensors = {sensor.name for sensor in repository.sensor_defs}
    assert {"inbox", "billing_batches", "alert_on_run_failure", "alert_on_check_failure"} <= sensors
    # Automation stays stopped until YEELEN_AUTOMATION_RUNNING says otherwise.
    assert all(schedule.default_status == dg.DefaultScheduleStatus.STOPPED for schedule in schedules.values())

    graph = definitions.resolve_asset_graph()
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert {
        ("raw/payment", "ingested_recently"),
        ("marts/rpt_account_balances", "ledger_matches_operational"),
        ("published/marts", "loss_balances_complete"),
        ("billing_cycle/simulations", "every_contract_decided"),
        ("billing_cycle/simulations", "simulation_alerts"),
        ("billing_cycle/invoices", "issued_as_approved"),
        ("intake/readings", "quarantine_seen"),
        ("intake/bank_statements", "source_fresh"),
    } <= checks
    # The period's billing is partitioned by month; the pipeline stays whole and unpartitioned.
    simulation = definitions.resolve_job_def("billing_simulation")
    assert simulation.partitions_def is not None and "2026-09-01" in simulation.partitions_def.get_partition_keys()
    pipeline = definitions.resolve_job_def("yeelen_pipeline")
    assert pipeline.partitions_def is None
    assert not any(
        key.path[0] in ("billing_cycle", "intake", "eservices") for key in pipeline.asset_layer.executable_asset_keys
    )


def test_assets_that_touch_servers_retry_with_backoff() -> None:
    definitions = defs()
    graph = definitions.resolve_asset_graph()
    for key in (
        ["raw", "payment"],
        ["billing_cycle", "invoices"],
        ["intake", "readings"],
        ["eservices", "notifications"],
    ):
        policy = graph.get(dg.AssetKey(key)).assets_def.op.retry_policy
        assert policy is not None and policy.max_retries >= 2 and policy.backoff == dg.Backoff.EXPONENTIAL, key


def test_the_calendar_opens_each_rounds_batch_days_after_its_reading_day(settings, monkeypatch) -> None:
    from operational_api.migrate import upgrade
    from orchestration.defs.billing.schedules import billing_calendar
    from orchestration.resources import YeelenSettingsResource

    url = str(settings.operational_url)
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "insert into agency (code, name, city, created_at, updated_at)"
                " values ('PKN', 'Pikine', 'Pikine', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        for code, day in (("R12", 12), ("R20", 20)):
            connection.execute(
                text(
                    "insert into reading_round (agency_id, code, name, reading_day, created_at, updated_at)"
                    " values (1, :code, :code, :day, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"code": code, "day": day},
            )
    assert settings.billing_open_delay_days == 3
    assert opening_day(dt.date(2026, 10, 1), 12, 3) == dt.date(2026, 10, 15)
    assert due_rounds(settings, dt.date(2026, 10, 14)) == []
    [due] = due_rounds(settings, dt.date(2026, 10, 15))
    assert (due.code, due.month) == ("R12", dt.date(2026, 10, 1))
    # A day missed is caught up; a round's batch, once opened (or cancelled), is never opened again.
    assert [item.code for item in due_rounds(settings, dt.date(2026, 10, 24))] == ["R12", "R20"]
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 10, 24, 6, tzinfo=dt.UTC),
        resources={"yeelen": YeelenSettingsResource()},
    )
    [request] = billing_calendar(context)
    assert request.partition_key == "2026-10-01"
    assert request.run_config == {"ops": {"billing_cycle__batches": {"config": {"rounds": ["R12", "R20"]}}}}
    assert len(open_round_batches(settings, dt.date(2026, 10, 1), ["R12", "R20"], "calendar")) == 2
    assert open_round_batches(settings, dt.date(2026, 10, 1), ["R12", "R20"], "calendar") == []
    with unit_of_work(session_factory(engine)) as session:
        batch = service.get_batch(session=session, batch_id=1)
        # The round's batch belongs to the round's agency: only that agency's users see and decide it.
        assert (batch.billing_month, batch.status, batch.agency_id) == (dt.date(2026, 10, 1), "open", 1)
    assert due_rounds(settings, dt.date(2026, 10, 24)) == []
    engine.dispose()
