"""Messages to customers waiting to be sent, sent or failed: one row per invoice and channel (the outbox).

Queuing is idempotent (one e-mail and one SMS per invoice at most); the sender marks each row sent or failed
with the error, and a failed row is tried again until it reaches the maximum number of attempts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime

CHANNELS = ("email", "sms")
STATUSES = ("queued", "sent", "failed")


class Notification(IdMixin, TimestampMixin, Base):
    """An e-bill by e-mail or a balance by SMS for one invoice."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("invoice_id", "channel"),
        CheckConstraint("channel in ('email', 'sms')", name="channel"),
        CheckConstraint("status in ('queued', 'sent', 'failed')", name="status"),
        Index("ix_notification_status", "status"),
        Index("ix_notification_batch", "batch_id"),
    )

    channel: Mapped[str] = mapped_column(String(5))
    purpose: Mapped[str] = mapped_column(String(20), default="invoice")
    invoice_id: Mapped[int] = mapped_column(IdType, ForeignKey("invoice.id"))
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    batch_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("billing_batch.id"))
    recipient: Mapped[str] = mapped_column(String(160))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_error: Mapped[str | None] = mapped_column(String(400))
    queued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    provider_reference: Mapped[str | None] = mapped_column(String(120))
