"""Payments and cash reach the warehouse every few minutes: an ingestion-only job on a short schedule."""

import dagster as dg

from orchestration.policies import WAREHOUSE_JOB_TAGS, schedule_status

ingest_job = dg.define_asset_job(
    name="ingest_operational",
    selection=dg.AssetSelection.groups("ingestion"),
    description="Land what changed in the operational database (payments, cash, readings...) in the warehouse.",
    tags=WAREHOUSE_JOB_TAGS,
)

ingest_schedule = dg.ScheduleDefinition(
    name="payments_and_cash_every_5_minutes",
    job=ingest_job,
    cron_schedule="*/5 * * * *",
    default_status=schedule_status(),
)


@dg.definitions
def ingestion_schedules() -> dg.Definitions:
    return dg.Definitions(jobs=[ingest_job], schedules=[ingest_schedule])
