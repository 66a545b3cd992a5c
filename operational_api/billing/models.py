"""Billing batches (*lots*), their approval trail, and issued invoices with their lines.

An issued invoice never changes: a correction is a credit note plus a new invoice. Money columns hold integer
minor units of the currency (francs for XOF).
"""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType, UTCDateTime

BATCH_STATUSES = ("open", "simulated", "rejected", "approved", "issued", "cancelled")


class BillingBatch(IdMixin, TimestampMixin, Base):
    """A batch of contracts billed together for one billing month, chosen by criteria (empty: any)."""

    __tablename__ = "billing_batch"
    __table_args__ = (
        CheckConstraint(
            "status in ('open', 'simulated', 'rejected', 'approved', 'issued', 'cancelled')", name="status"
        ),
    )

    reference: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    billing_month: Mapped[dt.date] = mapped_column(Date, index=True)
    agency_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("agency.id"))
    reading_round_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("reading_round.id"))
    category: Mapped[str | None] = mapped_column(String(12))
    billing_cycle: Mapped[str | None] = mapped_column(String(10))
    commodity: Mapped[str | None] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="open")
    status_reason: Mapped[str | None] = mapped_column(String(400))
    created_by: Mapped[str] = mapped_column(String(60))
    decided_by: Mapped[str | None] = mapped_column(String(60))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The simulation as approved: issuing refuses a simulation that changed since.
    approved_bill_count: Mapped[int | None] = mapped_column(Integer)
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    issued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    invoice_count: Mapped[int | None] = mapped_column(Integer)
    invoiced_amount: Mapped[int | None] = mapped_column(BigInteger)


class BillingBatchEvent(IdMixin, TimestampMixin, Base):
    """Every change of a batch's state: who, when, from what to what, and why."""

    __tablename__ = "billing_batch_event"

    batch_id: Mapped[int] = mapped_column(IdType, ForeignKey("billing_batch.id"), index=True)
    status_from: Mapped[str | None] = mapped_column(String(12))
    status_to: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str | None] = mapped_column(String(400))
    details: Mapped[str | None] = mapped_column(String(2000))


class DocumentSequence(IdMixin, TimestampMixin, Base):
    """The last number used in a numbering series; taken under a row lock so numbers have no gaps."""

    __tablename__ = "document_sequence"

    series: Mapped[str] = mapped_column(String(20), unique=True)
    last_number: Mapped[int] = mapped_column(BigInteger, default=0)


class Invoice(IdMixin, TimestampMixin, Base):
    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint("kind in ('invoice', 'credit_note', 'final')", name="kind"),
        UniqueConstraint("series", "sequence_number"),
        UniqueConstraint("batch_id", "contract_id", "kind"),
        Index("ix_invoice_contract_month", "contract_id", "billing_month"),
        Index("ix_invoice_customer", "customer_id"),
    )

    number: Mapped[str] = mapped_column(String(30), unique=True)
    series: Mapped[str] = mapped_column(String(20))
    sequence_number: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(12))
    batch_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("billing_batch.id"))
    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"))
    billing_month: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    consumption: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(15, 3))
    unit: Mapped[str] = mapped_column(String(8))
    is_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    grid_code: Mapped[str | None] = mapped_column(String(30))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[int] = mapped_column(BigInteger)
    corrects_invoice_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("invoice.id"))
    reason: Mapped[str | None] = mapped_column(String(400))
    issued_by: Mapped[str] = mapped_column(String(60))


class InvoiceLine(IdMixin, TimestampMixin, Base):
    __tablename__ = "invoice_line"
    __table_args__ = (
        UniqueConstraint("invoice_id", "line_number"),
        CheckConstraint("kind in ('energy', 'fixed', 'demand', 'tax', 'adjustment')", name="kind"),
    )

    invoice_id: Mapped[int] = mapped_column(IdType, ForeignKey("invoice.id"))
    line_number: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    unit_price: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(14, 6))
    base: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(24, 7))
    amount: Mapped[int] = mapped_column(BigInteger)
    part_start: Mapped[dt.date | None] = mapped_column(Date)
    part_end: Mapped[dt.date | None] = mapped_column(Date)


class DraftBill(IdMixin, TimestampMixin, Base):
    """A bill of a simulated batch, as the warehouse computed it: what approval looks at and issue turns into an
    invoice. Replaced at each new simulation until the batch is approved; removed once the batch is issued."""

    __tablename__ = "draft_bill"
    __table_args__ = (UniqueConstraint("batch_id", "contract_id"), {"info": {"ingest": False}})

    batch_id: Mapped[int] = mapped_column(IdType, ForeignKey("billing_batch.id"))
    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    customer_id: Mapped[int] = mapped_column(IdType)
    agency_id: Mapped[int] = mapped_column(IdType)
    reading_round_id: Mapped[int | None] = mapped_column(IdType)
    category: Mapped[str] = mapped_column(String(12))
    billing_month: Mapped[dt.date] = mapped_column(Date)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    consumption: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(15, 3))
    unit: Mapped[str] = mapped_column(String(8))
    is_estimated: Mapped[bool] = mapped_column(Boolean)
    grid_code: Mapped[str] = mapped_column(String(30))
    total: Mapped[int] = mapped_column(BigInteger)


class DraftBillLine(IdMixin, TimestampMixin, Base):
    __tablename__ = "draft_bill_line"
    __table_args__ = (
        UniqueConstraint("batch_id", "contract_id", "line_number"),
        {"info": {"ingest": False}},
    )

    batch_id: Mapped[int] = mapped_column(IdType, ForeignKey("billing_batch.id"))
    contract_id: Mapped[int] = mapped_column(IdType)
    line_number: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    unit_price: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(14, 6))
    base: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(24, 7))
    amount: Mapped[int] = mapped_column(BigInteger)
    part_start: Mapped[dt.date | None] = mapped_column(Date)
    part_end: Mapped[dt.date | None] = mapped_column(Date)
