"""Billing periods: one partition per month, the current month included (its batches are being billed)."""

import datetime as dt

import dagster as dg

from yeelen.settings import get_settings

billing_months = dg.MonthlyPartitionsDefinition(
    start_date="2020-01-01", end_offset=1, timezone=get_settings().timezone, fmt="%Y-%m-%d"
)


def partition_month(context: dg.AssetExecutionContext) -> dt.date:
    """The billing month of the run's partition."""
    return dt.date.fromisoformat(context.partition_key)


def month_key(month: dt.date) -> str:
    """The partition key of a billing month."""
    return month.replace(day=1).isoformat()
