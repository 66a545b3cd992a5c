"""Sending due messages of the outbox: each marked sent or failed in its own transaction.

A message is sent at least once: a crash between the send and the mark leaves it queued, and it leaves again at
the next pass (an SMTP server or a gateway that received it twice is the lesser harm than a bill never sent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.notifications import service
from yeelen.notifications.ebill import ebill_pdf
from yeelen.notifications.senders import Attachment, Email, SmsGateway, SmtpMailer
from yeelen.settings import Settings


@dataclass
class DeliveryReport:
    """Messages sent and failed in one pass, per channel; errors by message id."""

    sent: dict[str, int] = field(default_factory=lambda: {"email": 0, "sms": 0})
    failed: dict[str, int] = field(default_factory=lambda: {"email": 0, "sms": 0})
    errors: dict[int, str] = field(default_factory=dict)
    waiting_for_smtp: int = 0


def deliver(
    settings: Settings,
    mailer: SmtpMailer | None,
    sms: SmsGateway,
    limit: int = 1000,
    utility: str = "Yeelen",
    attach_pdf: bool = True,
    say: Callable[[str], None] | None = None,
) -> DeliveryReport:
    """Send the due messages (queued, or failed with attempts left); e-mails wait while no SMTP server is set."""
    say = say or (lambda message: None)
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    report = DeliveryReport()
    try:
        with factory() as session:
            pending = service.due(session=session, max_attempts=settings.notification_max_attempts, limit=limit)
            messages = [
                (item.id, item.channel, item.recipient, item.subject, item.body, item.invoice_id) for item in pending
            ]
        emails = [item for item in messages if item[1] == "email"]
        if emails and mailer is None:
            report.waiting_for_smtp = len(emails)
            say(f"{len(emails)} e-mail(s) wait: no SMTP server is configured (YEELEN_SMTP_HOST)")
            emails = []
        for notification_id, _, recipient, _, body, _ in (item for item in messages if item[1] == "sms"):
            _send(factory, report, "sms", notification_id, partial(sms.send, recipient, body))
        if emails:
            try:
                with mailer.connection() as client:
                    for notification_id, _, recipient, subject, body, invoice_id in emails:
                        email = partial(
                            _email, factory, mailer, client, recipient, subject, body, invoice_id, utility, attach_pdf
                        )
                        _send(factory, report, "email", notification_id, email)
            except Exception as error:  # noqa: BLE001 - the server went away: the rest stays queued for the next pass
                say(f"SMTP session ended: {error}")
                raise
    finally:
        engine.dispose()
    say(
        f"sent {report.sent['email']} e-mail(s) and {report.sent['sms']} SMS; "
        f"failed {report.failed['email']} e-mail(s) and {report.failed['sms']} SMS"
    )
    return report


def _send(factory, report: DeliveryReport, channel: str, notification_id: int, send: Callable[[], str]) -> None:
    import smtplib

    try:
        reference = send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, ValueError) as error:
        # The server refused this message (a bad address): it fails alone, the others go on.
        with unit_of_work(factory) as session:
            service.mark_failed(session=session, notification_id=notification_id, error=str(error))
        report.failed[channel] += 1
        report.errors[notification_id] = str(error)
        return
    with unit_of_work(factory) as session:
        service.mark_sent(session=session, notification_id=notification_id, reference=reference)
    report.sent[channel] += 1


def _email(factory, mailer: SmtpMailer, client, recipient: str, subject: str | None, body: str, invoice_id: int,
           utility: str, attach_pdf: bool) -> str:  # fmt: skip
    attachments: tuple[Attachment, ...] = ()
    if attach_pdf:
        with factory() as session:
            name, content = ebill_pdf(session, invoice_id, utility)
        attachments = (Attachment(name, content),)
    return mailer.send(Email((recipient,), subject or "", body, attachments), client)
