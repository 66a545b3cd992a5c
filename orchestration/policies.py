"""Policies shared by the domains of the code location: retries on transient failures, default automation status."""

import dagster as dg

from yeelen.settings import get_settings

# A database or SMTP server that went away for a moment: try again after 15 s, 30 s, 60 s (give or take).
TRANSIENT = dg.RetryPolicy(max_retries=3, delay=15, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)


def schedule_status() -> dg.DefaultScheduleStatus:
    """Schedules start with the deployment only when YEELEN_AUTOMATION_RUNNING is set."""
    running = get_settings().automation_running
    return dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED


def sensor_status() -> dg.DefaultSensorStatus:
    """Sensors start with the deployment only when YEELEN_AUTOMATION_RUNNING is set."""
    running = get_settings().automation_running
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED
