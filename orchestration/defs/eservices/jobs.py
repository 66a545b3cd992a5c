"""Sending the outbox on a schedule: messages queued or failed earlier leave when their server is back."""

import dagster as dg

from orchestration.defs.eservices.resources import NotificationSendersResource
from orchestration.policies import TRANSIENT, schedule_status
from orchestration.resources import YeelenSettingsResource


@dg.op(retry_policy=TRANSIENT)
def send_outbox(
    context: dg.OpExecutionContext, yeelen: YeelenSettingsResource, senders: NotificationSendersResource
) -> None:
    """One delivery pass over the outbox."""
    from operational_api.config import load_policy
    from yeelen.notifications import deliver

    settings = yeelen.settings()
    report = deliver(
        settings,
        senders.mailer(settings),
        senders.sms(settings),
        limit=senders.limit,
        utility=load_policy().utility_name,
        attach_pdf=senders.attach_pdf,
        say=context.log.info,
    )
    context.log.info(f"sent {report.sent}, failed {report.failed}, waiting for SMTP {report.waiting_for_smtp}")


@dg.job(description="Send the e-bills and SMS waiting in the outbox (queued, or failed with attempts left).")
def deliver_notifications():
    send_outbox()


notifications_schedule = dg.ScheduleDefinition(
    name="notifications_every_10_minutes",
    job=deliver_notifications,
    cron_schedule="*/10 * * * *",
    default_status=schedule_status(),
)


@dg.definitions
def eservices_jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[deliver_notifications], schedules=[notifications_schedule])
