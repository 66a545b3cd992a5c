"""Customers (*clients*), delivery points (*points de livraison*) and contracts (*abonnements*, *polices*)."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import CheckConstraint, Date, Double, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType

COMMODITIES = ("electricity", "water")
CATEGORIES = (
    "DOM_SOCIAL",  # domestique, tranche sociale
    "DOM",  # domestique
    "PRO",  # professionnel
    "ADM",  # administration et organismes publics
    "EP",  # éclairage public
    "MT",  # moyenne tension
    "EAU_DOM",  # eau, domestique
    "EAU_PRO",  # eau, professionnel
    "EAU_ADM",  # eau, administration
)


class Customer(IdMixin, TimestampMixin, Base):
    __tablename__ = "customer"
    __table_args__ = (CheckConstraint("kind in ('person', 'company', 'public_body')", name="kind"),)

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(160))
    first_name: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(160))
    grouping_code: Mapped[str | None] = mapped_column(String(20))
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    language: Mapped[str] = mapped_column(String(2), default="fr")


class DeliveryPoint(IdMixin, TimestampMixin, Base):
    """Premises served, with GPS and its electrical address (transformer) or water district."""

    __tablename__ = "delivery_point"
    __table_args__ = (CheckConstraint("commodity in ('electricity', 'water')", name="commodity"),)

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    commodity: Mapped[str] = mapped_column(String(12))
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Double)
    longitude: Mapped[float] = mapped_column(Double)
    # Electrical address: the feeder always (medium-voltage customers hang on it directly), the transformer
    # for low-voltage customers; water premises hang on a district.
    feeder_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("feeder.id"), index=True)
    transformer_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("transformer.id"), index=True)
    water_district_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("water_district.id"), index=True)


class Contract(IdMixin, TimestampMixin, Base):
    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("commodity in ('electricity', 'water')", name="commodity"),
        CheckConstraint("billing_cycle in ('monthly', 'bimonthly')", name="billing_cycle"),
        CheckConstraint("payment_mode in ('postpaid', 'prepaid')", name="payment_mode"),
        CheckConstraint("status in ('active', 'suspended', 'terminated')", name="status"),
        CheckConstraint("power_unit in ('kVA', 'A', 'mm')", name="power_unit"),
        CheckConstraint("end_date is null or end_date > start_date", name="dates"),
    )

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customer.id"), index=True)
    delivery_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("delivery_point.id"), index=True)
    commodity: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(12), index=True)
    # kVA for electricity (A on ampere-rated grids); the connection diameter in mm for water.
    subscribed_power: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(10, 2))
    power_unit: Mapped[str] = mapped_column(String(4))
    billing_cycle: Mapped[str] = mapped_column(String(10))
    payment_mode: Mapped[str] = mapped_column(String(10), default="postpaid")
    reading_round_id: Mapped[int] = mapped_column(IdType, ForeignKey("reading_round.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="active")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
