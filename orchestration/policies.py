"""Policies shared by the domains of the code location: retries on transient failures, default automation status."""

import dagster as dg

from yeelen.settings import get_settings

# A database or SMTP server that went away for a moment: try again after 15 s, 30 s, 60 s (give or take).
TRANSIENT = dg.RetryPolicy(max_retries=3, delay=15, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)


# Runs that open the warehouse carry this tag, and the instance lets one such run go at a time
# (tag_concurrency_limits in docs/operations.md): DuckDB takes a single writer, and two dbt runs must not rebuild the
# same tables at once. The ingestion every five minutes and the nightly refresh both fall on 02:00.
WAREHOUSE_TAGS = {"yeelen/warehouse": "exclusive"}
# A run that holds the warehouse longer than this is stopped by the daemon's run monitoring (docs/operations.md):
# a run whose worker died, or that hangs, gives the others their turn instead of holding it for good. A nightly
# refresh of a million customers takes minutes; three hours leaves room for a slow night.
WAREHOUSE_RUN_MAX_SECONDS = 3 * 60 * 60
WAREHOUSE_JOB_TAGS = {**WAREHOUSE_TAGS, "dagster/max_runtime": str(WAREHOUSE_RUN_MAX_SECONDS)}


def schedule_status() -> dg.DefaultScheduleStatus:
    """Schedules start with the deployment only when YEELEN_AUTOMATION_RUNNING is set."""
    running = get_settings().automation_running
    return dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED


def sensor_status() -> dg.DefaultSensorStatus:
    """Sensors start with the deployment only when YEELEN_AUTOMATION_RUNNING is set."""
    running = get_settings().automation_running
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED
