"""A real SMTP server for the tests (aiosmtpd), on a free port, keeping every message it receives."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest


@dataclass
class MailSink:
    """What the test SMTP server received."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler protocol
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(yeelen_home, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    """An SMTP server started for one test; the settings point at it (YEELEN_SMTP_HOST and YEELEN_SMTP_PORT)."""
    from aiosmtpd.controller import Controller

    sink = MailSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    monkeypatch.setenv("YEELEN_SMTP_HOST", sink.host)
    monkeypatch.setenv("YEELEN_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("YEELEN_SMTP_SENDER", "facturation@yeelen.test")
    monkeypatch.setenv("YEELEN_ALERT_RECIPIENTS", '["data@yeelen.test"]')
    try:
        yield sink
    finally:
        controller.stop()
