"""The outbox of a period: one e-bill and one SMS per invoice issued, then a first delivery pass."""

import dagster as dg

from orchestration.defs.billing.partitions import billing_months, partition_month
from orchestration.defs.eservices.resources import NotificationSendersResource
from orchestration.policies import TRANSIENT
from orchestration.resources import YeelenSettingsResource


@dg.asset(
    key=["eservices", "notifications"],
    group_name="eservices",
    partitions_def=billing_months,
    deps=[dg.AssetKey(["billing_cycle", "invoices"])],
    retry_policy=TRANSIENT,
    kinds={"sqlite"},
    description="E-bills and SMS of the period's issued invoices, queued once each, then sent.",
)
def invoice_notifications(
    context: dg.AssetExecutionContext, yeelen: YeelenSettingsResource, senders: NotificationSendersResource
) -> dg.MaterializeResult:
    from operational_api.config import load_policy
    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.notifications import service
    from yeelen.billing.calendar import month_batches
    from yeelen.notifications import deliver

    settings = yeelen.settings()
    issued = [batch["id"] for batch in month_batches(settings, partition_month(context)) if batch["status"] == "issued"]
    utility = load_policy().utility_name
    emails = sms = 0
    engine = make_engine(str(settings.operational_url))
    try:
        with unit_of_work(session_factory(engine)) as session:
            for batch_id in issued:
                queued = service.queue_batch(
                    session=session, batch_id=batch_id, currency=settings.currency, utility=utility
                )
                emails, sms = emails + queued.emails, sms + queued.sms
        report = deliver(
            settings,
            senders.mailer(settings),
            senders.sms(settings),
            limit=senders.limit,
            utility=utility,
            attach_pdf=senders.attach_pdf,
            say=context.log.info,
        )
        with session_factory(engine)() as session:
            states = service.counts(session=session, batch_ids=issued)
    finally:
        engine.dispose()
    return dg.MaterializeResult(
        metadata={
            "queued_emails": dg.MetadataValue.int(emails),
            "queued_sms": dg.MetadataValue.int(sms),
            "sent": dg.MetadataValue.json(report.sent),
            "failed": dg.MetadataValue.json(report.failed),
            "waiting_for_smtp": dg.MetadataValue.int(report.waiting_for_smtp),
            "by_state": dg.MetadataValue.json(
                {f"{channel}/{status}": count for (channel, status), count in states.items()}
            ),
        }
    )
