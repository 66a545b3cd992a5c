"""The senders of messages to customers: SMTP for e-mail, a gateway for SMS (settings YEELEN_SMTP_*, _SMS_*)."""

import dagster as dg

from yeelen.settings import Settings


class NotificationSendersResource(dg.ConfigurableResource):
    """How e-bills and SMS leave; ``attach_pdf`` adds the bill as a PDF to its e-mail."""

    attach_pdf: bool = True
    limit: int = 5000

    def mailer(self, settings: Settings):
        from yeelen.notifications.senders import SmtpMailer

        return SmtpMailer.from_settings(settings)

    def sms(self, settings: Settings):
        from yeelen.notifications.senders import sms_gateway

        return sms_gateway(settings)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"senders": NotificationSendersResource()})
