"""Tariff grids as loaded from tariff files: every version kept with its validity dates and legal source.

The normalised rows are what the warehouse bills with; ``definition`` keeps the version exactly as loaded so
that the real-time engine evaluates the same grid.
"""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType


class TariffGrid(IdMixin, TimestampMixin, Base):
    __tablename__ = "tariff_grid"

    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    commodity: Mapped[str] = mapped_column(String(12))
    unit: Mapped[str] = mapped_column(String(8))
    scaling: Mapped[str] = mapped_column(String(8))
    days_per_month: Mapped[int] = mapped_column(SmallInteger)


class TariffVersion(IdMixin, TimestampMixin, Base):
    __tablename__ = "tariff_version"
    __table_args__ = (
        UniqueConstraint("grid_id", "valid_from"),
        CheckConstraint("valid_to is null or valid_to > valid_from", name="dates"),
        CheckConstraint("pricing in ('progressive', 'by_level')", name="pricing"),
    )

    grid_id: Mapped[int] = mapped_column(IdType, ForeignKey("tariff_grid.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(400))
    pricing: Mapped[str] = mapped_column(String(12))
    energy_rounding: Mapped[str] = mapped_column(String(10))
    eligibility_periods: Mapped[int | None] = mapped_column(SmallInteger)
    eligibility_max_monthly_average: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    eligibility_fallback_grid: Mapped[str | None] = mapped_column(String(30))
    definition: Mapped[str] = mapped_column(Text)
    definition_hash: Mapped[str] = mapped_column(String(64))


class TariffBlock(IdMixin, TimestampMixin, Base):
    """A block of a version; ``up_to`` is per month (null: no upper limit)."""

    __tablename__ = "tariff_block"
    __table_args__ = (UniqueConstraint("version_id", "block_number"),)

    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("tariff_version.id"), index=True)
    block_number: Mapped[int] = mapped_column(SmallInteger)
    up_to: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    price: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(14, 4))


class TariffCharge(IdMixin, TimestampMixin, Base):
    """A fixed charge per month (by meter type, power step or flat) or a demand charge per unit of power."""

    __tablename__ = "tariff_charge"
    __table_args__ = (
        CheckConstraint("kind in ('fixed', 'demand')", name="kind"),
        CheckConstraint("charged_by in ('meter_type', 'power', 'flat', 'per_power_unit')", name="charged_by"),
        Index("ix_tariff_charge_version_code", "version_id", "code"),
    )

    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("tariff_version.id"))
    kind: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(20))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    charged_by: Mapped[str] = mapped_column(String(16))
    meter_type: Mapped[str | None] = mapped_column(String(12))
    step_number: Mapped[int | None] = mapped_column(SmallInteger)
    power_up_to: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    amount: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(14, 4))
    rounding: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(SmallInteger)


class TariffTax(IdMixin, TimestampMixin, Base):
    __tablename__ = "tariff_tax"
    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        CheckConstraint("base in ('energy_amount', 'all_lines', 'consumption_above', 'per_unit')", name="base"),
    )

    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("tariff_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    base: Mapped[str] = mapped_column(String(20))
    rate: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(14, 6))
    threshold: Mapped[decimal.Decimal | None] = mapped_column(ExactDecimal(15, 3))
    rounding: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str | None] = mapped_column(String(400))


class TariffCategory(IdMixin, TimestampMixin, Base):
    """The grid that bills a contract category from a date."""

    __tablename__ = "tariff_category"
    __table_args__ = (UniqueConstraint("category", "valid_from"),)

    category: Mapped[str] = mapped_column(String(12))
    grid_code: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[dt.date] = mapped_column(Date)
