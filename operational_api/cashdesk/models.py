"""Cash sessions (*sessions de caisse*), cash counts (*billetage*), receipt prints, cheque deposit slips
(*remises de chèques*), bank deposits of cash (*reversements*) and cheque bars (*interdits de chéquier*).

Money columns hold integer minor units of the currency. Nothing here is ever deleted: a session is closed, a bar
is lifted, a print is one more row.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime


class CashSession(IdMixin, TimestampMixin, Base):
    """One cashier's desk for one business day in one agency: opened, then closed with the cash count."""

    __tablename__ = "cash_session"
    __table_args__ = (
        UniqueConstraint("user_id", "business_date", "agency_id"),
        CheckConstraint("status in ('open', 'closed')", name="status"),
    )

    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("app_user.id"), index=True)
    cashier: Mapped[str] = mapped_column(String(60))
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    workstation: Mapped[str | None] = mapped_column(String(60))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(60))
    expected_cash: Mapped[int | None] = mapped_column(BigInteger)
    counted_cash: Mapped[int | None] = mapped_column(BigInteger)
    cash_difference: Mapped[int | None] = mapped_column(BigInteger)
    closing_note: Mapped[str | None] = mapped_column(String(400))


class CashCountLine(IdMixin, TimestampMixin, Base):
    """One line of the cash count at closing: so many notes or coins of a face value."""

    __tablename__ = "cash_count_line"
    __table_args__ = (
        UniqueConstraint("session_id", "kind", "denomination"),
        CheckConstraint("kind in ('note', 'coin')", name="kind"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )

    session_id: Mapped[int] = mapped_column(IdType, ForeignKey("cash_session.id"), index=True)
    kind: Mapped[str] = mapped_column(String(5))
    denomination: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)


class ReceiptPrint(IdMixin, TimestampMixin, Base):
    """A print of a receipt: the first is the original, every later one a duplicate (*duplicata*)."""

    __tablename__ = "receipt_print"

    payment_id: Mapped[int] = mapped_column(IdType, ForeignKey("payment.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    printed_by: Mapped[str] = mapped_column(String(60))
    duplicate: Mapped[bool] = mapped_column(Boolean)
    workstation: Mapped[str | None] = mapped_column(String(60))


class ChequeDeposit(IdMixin, TimestampMixin, Base):
    """A cheque deposit slip (*bordereau de remise de chèques*) handed to a bank."""

    __tablename__ = "cheque_deposit"

    reference: Mapped[str] = mapped_column(String(30), unique=True)
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    bank: Mapped[str] = mapped_column(String(60))
    deposit_date: Mapped[dt.date] = mapped_column(Date)
    cheque_count: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(60))


class ChequeDepositItem(IdMixin, TimestampMixin, Base):
    """A cheque on a slip; a cheque goes on one slip only."""

    __tablename__ = "cheque_deposit_item"

    deposit_id: Mapped[int] = mapped_column(IdType, ForeignKey("cheque_deposit.id"), index=True)
    payment_id: Mapped[int] = mapped_column(IdType, ForeignKey("payment.id"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class BankDeposit(IdMixin, TimestampMixin, Base):
    """Cash of closed sessions paid into a bank account (*reversement*)."""

    __tablename__ = "bank_deposit"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    reference: Mapped[str] = mapped_column(String(30), unique=True)
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    bank: Mapped[str] = mapped_column(String(60))
    bank_reference: Mapped[str | None] = mapped_column(String(60))
    deposit_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(60))


class BankDepositItem(IdMixin, TimestampMixin, Base):
    """The part of a bank deposit taken from one session's cash."""

    __tablename__ = "bank_deposit_item"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    deposit_id: Mapped[int] = mapped_column(IdType, ForeignKey("bank_deposit.id"), index=True)
    session_id: Mapped[int] = mapped_column(IdType, ForeignKey("cash_session.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class ChequeBar(IdMixin, TimestampMixin, Base):
    """A customer barred from paying by cheque after a bounced cheque, until a supervisor lifts the bar."""

    __tablename__ = "cheque_bar"

    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payment.id"))
    reason: Mapped[str] = mapped_column(String(400))
    barred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    barred_by: Mapped[str] = mapped_column(String(60))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    lifted_by: Mapped[str | None] = mapped_column(String(60))
    lift_reason: Mapped[str | None] = mapped_column(String(400))
