"""The nightly full refresh: every table ingested, every dbt model and test built, the marts published."""

import dagster as dg

from orchestration.defs.jobs import pipeline_job
from orchestration.policies import schedule_status
from yeelen.settings import get_settings

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_full_refresh",
    job=pipeline_job,
    cron_schedule="0 2 * * *",
    execution_timezone=get_settings().timezone,
    default_status=schedule_status(),
)


@dg.definitions
def warehouse_schedules() -> dg.Definitions:
    return dg.Definitions(schedules=[nightly_refresh])
