"""Where alerts go: the data team's addresses over the SMTP server of the settings."""

import dagster as dg

from yeelen.settings import Settings


class AlertsResource(dg.ConfigurableResource):
    """E-mails to the data team (YEELEN_ALERT_RECIPIENTS through YEELEN_SMTP_*); ``subject_prefix`` tags them."""

    subject_prefix: str = ""

    def send(self, settings: Settings, subject: str, body: str) -> bool:
        """Send one alert; False when no server or recipient is configured (the alert is logged)."""
        from yeelen.notifications.alerts import send_alert

        return send_alert(settings, f"{self.subject_prefix}{subject}", body)


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"alerts": AlertsResource()})
