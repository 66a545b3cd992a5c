"""Prepaid purchases (*Woyofal*, *ISAGO*): money turned into energy on a prepaid meter."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType, UTCDateTime


class PrepaidPurchase(IdMixin, TimestampMixin, Base):
    """One purchase: the amount paid (integer minor units), the energy vended, and what the month held before."""

    __tablename__ = "prepaid_purchase"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("partner", "partner_reference"),
        Index("ix_prepaid_purchase_contract_date", "contract_id", "purchase_date"),
    )

    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    purchased_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    purchase_date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    energy: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(15, 3))
    month_energy_before: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(15, 3))
    fee_taken: Mapped[bool] = mapped_column(Boolean)
    grid_code: Mapped[str] = mapped_column(String(30))
    token: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    partner: Mapped[str | None] = mapped_column(String(30))
    partner_reference: Mapped[str | None] = mapped_column(String(80))
