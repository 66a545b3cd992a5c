"""The distribution network: *postes sources*, *départs HTA*, *postes HTA/BT*, water districts, their meters."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, Double, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, ExactDecimal, IdType


class Substation(IdMixin, TimestampMixin, Base):
    """A source substation (*poste source*) feeding medium-voltage feeders."""

    __tablename__ = "substation"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    voltage_kv: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(6, 2))
    latitude: Mapped[float] = mapped_column(Double)
    longitude: Mapped[float] = mapped_column(Double)


class Feeder(IdMixin, TimestampMixin, Base):
    """A medium-voltage feeder (*départ HTA*)."""

    __tablename__ = "feeder"

    substation_id: Mapped[int] = mapped_column(IdType, ForeignKey("substation.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    voltage_kv: Mapped[decimal.Decimal] = mapped_column(ExactDecimal(6, 2))


class Transformer(IdMixin, TimestampMixin, Base):
    """A distribution transformer (*poste HTA/BT*) with its low-voltage customers downstream."""

    __tablename__ = "transformer"

    feeder_id: Mapped[int] = mapped_column(IdType, ForeignKey("feeder.id"), index=True)
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    rating_kva: Mapped[int] = mapped_column(Integer)
    latitude: Mapped[float] = mapped_column(Double)
    longitude: Mapped[float] = mapped_column(Double)


class WaterDistrict(IdMixin, TimestampMixin, Base):
    """A water distribution district with its production or district meter upstream of customers."""

    __tablename__ = "water_district"

    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Double)
    longitude: Mapped[float] = mapped_column(Double)


class NetworkMeter(IdMixin, TimestampMixin, Base):
    """A meter of energy or water delivered: at a feeder head, a transformer, or a water district inlet."""

    __tablename__ = "network_meter"
    __table_args__ = (
        CheckConstraint("kind in ('feeder', 'transformer', 'water_district')", name="kind"),
        CheckConstraint(
            "(case when feeder_id is null then 0 else 1 end) + (case when transformer_id is null then 0 else 1 end)"
            " + (case when water_district_id is null then 0 else 1 end) = 1",
            name="one_equipment",
        ),
    )

    serial: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    feeder_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("feeder.id"), index=True)
    transformer_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("transformer.id"), index=True)
    water_district_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("water_district.id"), index=True)
    unit: Mapped[str] = mapped_column(String(8))
    digits: Mapped[int] = mapped_column(SmallInteger)
    multiplier: Mapped[int] = mapped_column(Integer, default=1)
    installed_on: Mapped[dt.date] = mapped_column(Date)


class NetworkReading(IdMixin, TimestampMixin, Base):
    """An index read on a network meter; energy delivered is the difference between two reads."""

    __tablename__ = "network_reading"

    network_meter_id: Mapped[int] = mapped_column(IdType, ForeignKey("network_meter.id"), index=True)
    reading_date: Mapped[dt.date] = mapped_column(Date)
    index_value: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(12))
