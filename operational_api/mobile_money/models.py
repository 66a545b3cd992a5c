"""Payment notifications of mobile money operators and aggregators, and their daily statements.

A notification is unique per (partner, ``referenceId``): the partner's transaction id is the idempotency key, and
the first answer is stored so that a replay gets it back word for word.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime

STATUSES = ("PENDING", "SUCCESSFUL", "FAILED")


class MobileMoneyNotification(IdMixin, TimestampMixin, Base):
    """A partner's notice of a payment, modelled on MTN MoMo collections (requestToPay)."""

    __tablename__ = "mobile_money_notification"
    __table_args__ = (
        UniqueConstraint("partner_id", "reference_id"),
        CheckConstraint("status in ('PENDING', 'SUCCESSFUL', 'FAILED')", name="status"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("payment_partner.id"))
    reference_id: Mapped[str] = mapped_column(String(80))
    external_id: Mapped[str] = mapped_column(String(40))
    financial_transaction_id: Mapped[str | None] = mapped_column(String(80))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    payer_id_type: Mapped[str] = mapped_column(String(12))
    payer_id: Mapped[str] = mapped_column(String(40))
    payer_message: Mapped[str | None] = mapped_column(String(160))
    payee_note: Mapped[str | None] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(200))
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payment.id"), index=True)
    response_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PartnerStatement(IdMixin, TimestampMixin, Base):
    """A partner's daily statement (*relevé journalier*) as imported.

    A partner may send a corrected statement of a day: it is imported as the day's next revision and the earlier
    one is kept, marked superseded. The day's statement is its revision that is not superseded.
    """

    __tablename__ = "partner_statement"
    __table_args__ = (
        UniqueConstraint("partner_id", "statement_date", "revision"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    partner_id: Mapped[int] = mapped_column(IdType, ForeignKey("payment_partner.id"))
    statement_date: Mapped[dt.date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    checksum: Mapped[str] = mapped_column(String(64))
    line_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
    imported_by: Mapped[str] = mapped_column(String(60))
    # A correction says why the partner sent the day again; the revision it replaced is superseded at that moment.
    correction_reason: Mapped[str | None] = mapped_column(String(200))
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PartnerStatementLine(IdMixin, TimestampMixin, Base):
    """One transaction of a partner's statement."""

    __tablename__ = "partner_statement_line"
    __table_args__ = (
        UniqueConstraint("statement_id", "line_number"),
        Index("ix_partner_statement_line_reference", "reference_id"),
    )

    statement_id: Mapped[int] = mapped_column(IdType, ForeignKey("partner_statement.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    transaction_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reference_id: Mapped[str] = mapped_column(String(80))
    financial_transaction_id: Mapped[str | None] = mapped_column(String(80))
    external_id: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(12))
    payer: Mapped[str | None] = mapped_column(String(40))
