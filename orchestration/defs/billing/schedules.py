"""The billing calendar: every morning, the batches of the rounds read a few days ago are opened."""

import dagster as dg

from orchestration.defs.billing.assets import billing_batches
from orchestration.defs.billing.jobs import open_batches_job
from orchestration.defs.billing.partitions import month_key
from orchestration.policies import schedule_status
from orchestration.resources import YeelenSettingsResource
from yeelen.settings import get_settings


@dg.schedule(
    cron_schedule="0 6 * * *",
    job=open_batches_job,
    execution_timezone=get_settings().timezone,
    default_status=schedule_status(),
    description="Open each round's batch YEELEN_BILLING_OPEN_DELAY_DAYS after its reading day (then simulated).",
)
def billing_calendar(context: dg.ScheduleEvaluationContext, yeelen: YeelenSettingsResource):
    from zoneinfo import ZoneInfo

    from yeelen.billing.calendar import due_rounds

    settings = yeelen.settings()
    today = context.scheduled_execution_time.astimezone(ZoneInfo(settings.timezone)).date()
    due = due_rounds(settings, today)
    if not due:
        return dg.SkipReason(f"no round's batch is due on {today}")
    requests = []
    for month in sorted({item.month for item in due}):
        codes = [item.code for item in due if item.month == month]
        requests.append(
            dg.RunRequest(
                partition_key=month_key(month),
                run_key=f"open-{month_key(month)}-{today}-{'-'.join(codes)}",
                run_config={"ops": {billing_batches.op.name: {"config": {"rounds": codes}}}},
            )
        )
    return requests
