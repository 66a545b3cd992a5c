"""Customer accounts: the ledger, payments and how they are matched to invoices (*lettrage*).

Nothing is ever deleted or changed in place: a cancelled payment is a reversing entry, a reversed allocation
a negative one. Money columns hold integer minor units of the currency.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime

LEDGER_KINDS = (
    "invoice",
    "credit_note",
    "payment",
    "payment_reversal",
    "adjustment",
    "fee",
    "refund",
)


class Payment(IdMixin, TimestampMixin, Base):
    """Money received from a customer, with its receipt number in a gapless series."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("method in ('cash', 'cheque', 'mobile_money', 'transfer', 'card')", name="method"),
        CheckConstraint("purpose in ('invoices', 'advance', 'deposit')", name="purpose"),
        CheckConstraint("status in ('posted', 'cancelled', 'bounced')", name="status"),
        UniqueConstraint("series", "sequence_number"),
        UniqueConstraint("partner", "partner_reference"),
        Index("ix_payment_customer", "customer_id"),
        Index("ix_payment_business_date", "business_date"),
        # Cheques waiting for a deposit slip, and an agency's payments by means of payment.
        Index("ix_payment_agency_method_status", "agency_id", "method", "status"),
    )

    receipt_number: Mapped[str] = mapped_column(String(30), unique=True)
    series: Mapped[str] = mapped_column(String(20))
    sequence_number: Mapped[int] = mapped_column(BigInteger)
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    contract_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("contract.id"))
    agency_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("agency.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(14))
    purpose: Mapped[str] = mapped_column(String(10), default="invoices")
    channel: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    business_date: Mapped[dt.date] = mapped_column(Date)
    cash_session_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("cash_session.id"), index=True)
    partner: Mapped[str | None] = mapped_column(String(30))
    partner_reference: Mapped[str | None] = mapped_column(String(80))
    cheque_number: Mapped[str | None] = mapped_column(String(30))
    cheque_bank: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="posted")
    status_reason: Mapped[str | None] = mapped_column(String(400))
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_by: Mapped[str] = mapped_column(String(60))


class Allocation(IdMixin, TimestampMixin, Base):
    """Part of a payment or credit note matched to an invoice; a reversal is a negative allocation."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("payment_id is not null or credit_invoice_id is not null", name="has_source"),
        Index("ix_allocation_invoice", "invoice_id"),
        Index("ix_allocation_payment", "payment_id"),
    )

    invoice_id: Mapped[int] = mapped_column(IdType, ForeignKey("invoice.id"))
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payment.id"))
    credit_invoice_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("invoice.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    allocated_on: Mapped[dt.date] = mapped_column(Date)
    reverses_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("allocation.id"))


class LedgerEntry(IdMixin, TimestampMixin, Base):
    """One movement on a customer's account: positive what the customer owes more, negative what they paid or
    were credited. The balance is the sum of the entries."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        CheckConstraint(
            "kind in ('invoice', 'credit_note', 'payment', 'payment_reversal', 'adjustment', 'fee', 'refund')",
            name="kind",
        ),
        Index("ix_ledger_entry_customer_date", "customer_id", "entry_date"),
        Index("ix_ledger_entry_contract", "contract_id"),
    )

    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    contract_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("contract.id"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(BigInteger)
    invoice_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("invoice.id"))
    payment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("payment.id"))
    description: Mapped[str] = mapped_column(String(400))
    created_by: Mapped[str] = mapped_column(String(60))
