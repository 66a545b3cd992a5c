"""Pluggable senders: an SMTP mailer for e-mail, and SMS gateways behind one small interface.

No SMS operator can be reached from the product yet: the ``log`` gateway writes each message, one JSON object per
line, to ``$YEELEN_HOME/sms/outbox.log`` (an operator's HTTP gateway implements the same ``send``).
"""

from __future__ import annotations

import json
import smtplib
import ssl
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from yeelen.errors import ConfigurationError
from yeelen.settings import Settings


@dataclass(frozen=True)
class Attachment:
    """A file attached to an e-mail."""

    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass(frozen=True)
class Email:
    """An e-mail to send: recipients, subject, plain text body, optional attachments."""

    to: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default=())


@dataclass(frozen=True)
class SmtpMailer:
    """Sends e-mail through an SMTP server (plain, STARTTLS or SSL; with a login when one is set)."""

    host: str
    port: int = 25
    sender: str = "yeelen@localhost"
    tls: str = "none"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer | None:
        """The mailer the settings describe, or None when no SMTP server is configured."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_sender,
            tls=settings.smtp_tls,
            user=settings.smtp_user,
            password=settings.smtp_password,
        )

    @contextmanager
    def connection(self) -> Iterator[smtplib.SMTP]:
        """One SMTP session for many messages."""
        try:
            if self.tls == "ssl":
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                if self.tls == "starttls":
                    client.starttls(context=ssl.create_default_context())
            if self.user:
                client.login(self.user, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ConfigurationError(
                f"The SMTP server {self.host}:{self.port} cannot be used: {error}. Check YEELEN_SMTP_* settings."
            ) from None
        try:
            yield client
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def message(self, email: Email) -> EmailMessage:
        """The MIME message of an e-mail."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(email.to)
        message["Subject"] = email.subject
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1] or "localhost")
        message.set_content(email.body)
        for item in email.attachments:
            message.add_attachment(item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename)
        return message

    def send(self, email: Email, client: smtplib.SMTP | None = None) -> str:
        """Send one e-mail (on an open session when given); returns its Message-ID."""
        message = self.message(email)
        if client is not None:
            client.send_message(message)
        else:
            with self.connection() as session:
                session.send_message(message)
        return str(message["Message-ID"])


class SmsGateway(Protocol):
    """Anything that sends a text message to a phone number and returns the provider's reference."""

    def send(self, phone: str, text: str) -> str: ...


class LoggingSmsGateway:
    """Writes each SMS to a log file instead of an operator (none is connected yet)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> str:
        reference = f"log-{uuid.uuid4().hex[:16]}"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"reference": reference, "to": phone, "text": text}, ensure_ascii=False)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        return reference


def sms_gateway(settings: Settings) -> SmsGateway:
    """The SMS gateway the settings name."""
    if settings.sms_gateway == "log":
        return LoggingSmsGateway(settings.home / "sms" / "outbox.log")
    raise ConfigurationError(f"unknown SMS gateway {settings.sms_gateway!r} (YEELEN_SMS_GATEWAY)")
