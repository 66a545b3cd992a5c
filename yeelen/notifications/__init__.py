"""Sending the outbox: e-bills by e-mail (SMTP) and balances by SMS (a gateway), and alerts to the data team."""

from yeelen.notifications.deliver import DeliveryReport, deliver
from yeelen.notifications.senders import LoggingSmsGateway, SmtpMailer, sms_gateway

__all__ = ["DeliveryReport", "LoggingSmsGateway", "SmtpMailer", "deliver", "sms_gateway"]
