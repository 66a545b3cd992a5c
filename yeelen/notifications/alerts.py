"""Alerts to the data team by e-mail: what failed, and a link to the run in Dagster's UI."""

from __future__ import annotations

import logging

from yeelen.notifications.senders import Email, SmtpMailer
from yeelen.settings import Settings

logger = logging.getLogger("yeelen.alerts")


def run_link(settings: Settings, run_id: str) -> str:
    """The address of a run in Dagster's UI."""
    return f"{settings.dagster_url.rstrip('/')}/runs/{run_id}"


def send_alert(settings: Settings, subject: str, body: str, mailer: SmtpMailer | None = None) -> bool:
    """E-mail the data team (``YEELEN_ALERT_RECIPIENTS``); only logged when no server or recipient is set."""
    mailer = mailer or SmtpMailer.from_settings(settings)
    if mailer is None or not settings.alert_recipients:
        logger.warning("alert not e-mailed (no SMTP server or no recipient configured): %s\n%s", subject, body)
        return False
    mailer.send(Email(tuple(settings.alert_recipients), f"[Yeelen] {subject}", body))
    return True
