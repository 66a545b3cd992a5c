"""Field inspections of suspect contracts and their outcomes, which measure how well each suspect rule hits."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType

INSPECTION_OUTCOMES = ("fraud_confirmed", "no_fraud", "meter_fault", "no_access")


class Inspection(IdMixin, TimestampMixin, Base):
    """An inspection requested for a contract (usually a suspect), and what the field team found."""

    __tablename__ = "inspection"
    __table_args__ = (
        CheckConstraint(
            "outcome is null or outcome in ('fraud_confirmed', 'no_fraud', 'meter_fault', 'no_access')",
            name="outcome",
        ),
        Index("ix_inspection_contract", "contract_id"),
    )

    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(60))
    suspect_rules: Mapped[str | None] = mapped_column(String(400))  # comma-separated rule codes at request time
    suspect_score: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(8, 4))
    route_order: Mapped[int | None] = mapped_column(Integer)
    inspected_on: Mapped[dt.date | None] = mapped_column(Date)
    inspector: Mapped[str | None] = mapped_column(String(60))
    outcome: Mapped[str | None] = mapped_column(String(20))
    energy_recovered: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))  # kWh or m3 to back-bill
    notes: Mapped[str | None] = mapped_column(String(1000))
