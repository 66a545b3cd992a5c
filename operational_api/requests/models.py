"""Customer requests and complaints (*réclamations*); an open complaint keeps a contract off disconnection lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType


class Complaint(IdMixin, TimestampMixin, Base):
    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint("status in ('open', 'closed')", name="status"),
        Index("ix_complaint_contract", "contract_id"),
    )

    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"))
    contract_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("contract.id"))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(30))  # billing, meter, outage, quality, other
    status: Mapped[str] = mapped_column(String(8), default="open")
    description: Mapped[str] = mapped_column(String(2000))
    created_by: Mapped[str] = mapped_column(String(60))
