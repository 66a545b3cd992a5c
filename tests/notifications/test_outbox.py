"""The outbox of e-bills and SMS: queued once per invoice, sent to a real SMTP server, failures kept and retried."""

from __future__ import annotations

import datetime as dt
import json

from operational_api.billing import service as billing
from operational_api.db import session_factory, unit_of_work
from operational_api.notifications import service
from tests.intake.conftest import Utility
from tests.smtp import MailSink
from yeelen.notifications import deliver
from yeelen.notifications.senders import LoggingSmsGateway, SmtpMailer


def _issued_invoices(utility: Utility, count: int = 4) -> int:
    """A batch with a few invoices billed individually (as issue would have written them)."""
    settings = utility.settings
    contracts = [
        row[0]
        for row in utility.rows(
            "select c.id from contract c join customer u on u.id = c.customer_id where c.category = 'DOM'"
            " and u.phone is not null order by c.id limit :count",
            count=count,
        )
    ]
    with unit_of_work(session_factory(utility.engine)) as session:
        batch = billing.create_batch(session=session, billing_month=dt.date(2026, 9, 1), actor="test")
        for contract_id in contracts:
            bill = billing.bill_contract(
                session=session,
                contract_id=contract_id,
                consumption=180,
                period_start=dt.date(2026, 8, 12),
                period_end=dt.date(2026, 9, 12),
                actor="test",
                issue_date=dt.date(2026, 9, 15),
                due_days=settings.due_days,
                currency=settings.currency,
                precision=settings.currency_precision,
            )
            bill.invoice.batch_id = batch.id
        batch_id = batch.id
    # Two customers read their bills by e-mail.
    utility.execute(
        "update customer set email = 'client' || id || '@example.sn' where id in"
        " (select customer_id from contract where id in (:a, :b))",
        a=contracts[0],
        b=contracts[1],
    )
    return batch_id


def _queue(utility: Utility, batch_id: int) -> service.QueueReport:
    with unit_of_work(session_factory(utility.engine)) as session:
        return service.queue_batch(session=session, batch_id=batch_id, currency="XOF", utility="Yeelen SA")


def test_messages_are_queued_once_sent_and_failures_retried(utility: Utility, smtp_server: MailSink) -> None:
    batch_id = _issued_invoices(utility)
    emails = utility.rows("select email from customer where email like 'client%' order by id")
    assert len(emails) == 2
    assert _queue(utility, batch_id) == service.QueueReport(emails=2, sms=4)
    assert _queue(utility, batch_id) == service.QueueReport(emails=0, sms=0), "queuing twice adds nothing"

    smtp_server.refused.add(emails[1][0])
    settings = utility.settings.model_copy(update={"notification_max_attempts": 2})
    mailer = SmtpMailer(smtp_server.host, smtp_server.port, sender="facturation@yeelen.test")
    sms = LoggingSmsGateway(settings.home / "sms" / "outbox.log")
    report = deliver(settings, mailer, sms, utility="Yeelen SA")
    assert report.sent == {"email": 1, "sms": 4} and report.failed == {"email": 1, "sms": 0}
    [message] = smtp_server.messages
    assert message["To"] == emails[0][0] and message["From"] == "facturation@yeelen.test"
    assert "Montant" in message.get_body(("plain",)).get_content()
    [attachment] = [part for part in message.iter_attachments()]
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content().startswith(b"%PDF")
    logged = [json.loads(line) for line in (settings.home / "sms" / "outbox.log").read_text().splitlines()]
    assert len(logged) == 4 and all(item["text"].startswith("Facture F2026-") for item in logged)
    failed = utility.rows("select status, attempts, last_error from notification where status = 'failed'")
    assert len(failed) == 1 and failed[0][1] == 1 and "Mailbox unavailable" in failed[0][2]

    # The next pass tries the failed message again, until it has no attempts left; sent ones never leave twice.
    assert deliver(settings, mailer, sms).failed == {"email": 1, "sms": 0}
    assert deliver(settings, mailer, sms).failed == {"email": 0, "sms": 0}
    assert utility.rows("select status, attempts from notification where status = 'failed'") == [("failed", 2)]
    assert len(smtp_server.messages) == 1
    assert utility.rows("select channel, status, count(*) from notification group by 1, 2 order by 1, 2") == [
        ("email", "failed", 1),
        ("email", "sent", 1),
        ("sms", "sent", 4),
    ]


def test_without_an_smtp_server_e_mails_wait_and_sms_leave(utility: Utility) -> None:
    batch_id = _issued_invoices(utility, count=2)
    _queue(utility, batch_id)
    sms = LoggingSmsGateway(utility.settings.home / "sms" / "outbox.log")
    report = deliver(utility.settings, None, sms)
    assert report.waiting_for_smtp == 2 and report.sent == {"email": 0, "sms": 2}
    assert utility.rows("select status, count(*) from notification where channel = 'email' group by 1") == [
        ("queued", 2)
    ]
