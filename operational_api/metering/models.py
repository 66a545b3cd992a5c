"""Meters (*compteurs*), where they were installed, their readings (*relevés*) and field interventions."""

from __future__ import annotations

import datetime as dt

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
)
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType

READING_SOURCES = ("terminal", "manual", "estimate")
METER_TYPES = ("single_phase", "three_phase", "mv", "water")


class Meter(IdMixin, TimestampMixin, Base):
    __tablename__ = "meter"
    __table_args__ = (
        CheckConstraint("meter_type in ('single_phase', 'three_phase', 'mv', 'water')", name="meter_type"),
    )

    serial: Mapped[str] = mapped_column(String(30), unique=True)
    commodity: Mapped[str] = mapped_column(String(12))
    meter_type: Mapped[str] = mapped_column(String(12))
    # The index rolls over to zero after 10**digits - 1.
    digits: Mapped[int] = mapped_column(SmallInteger)
    multiplier: Mapped[int] = mapped_column(Integer, default=1)
    brand: Mapped[str | None] = mapped_column(String(40))


class MeterInstallation(IdMixin, TimestampMixin, Base):
    """A meter on a contract between two dates, with the index it was installed at and removed at."""

    __tablename__ = "meter_installation"
    __table_args__ = (
        CheckConstraint("removed_on is null or removed_on >= installed_on", name="dates"),
        Index("ix_meter_installation_contract_dates", "contract_id", "installed_on"),
    )

    meter_id: Mapped[int] = mapped_column(IdType, ForeignKey("meter.id"), index=True)
    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    installed_on: Mapped[dt.date] = mapped_column(Date)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    initial_index: Mapped[int] = mapped_column(BigInteger, default=0)
    final_index: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(20))


class Reading(IdMixin, TimestampMixin, Base):
    """An index read (or estimated) on a contract's meter; a visit without access has no index."""

    __tablename__ = "reading"
    __table_args__ = (
        CheckConstraint("source in ('terminal', 'manual', 'estimate')", name="source"),
        CheckConstraint("index_value is not null or anomaly_code is not null", name="index_or_anomaly"),
        Index("ix_reading_contract_date", "contract_id", "reading_date"),
    )

    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    meter_id: Mapped[int] = mapped_column(IdType, ForeignKey("meter.id"))
    reading_date: Mapped[dt.date] = mapped_column(Date)
    index_value: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(10))
    anomaly_code: Mapped[str | None] = mapped_column(String(20))


class MeterIntervention(IdMixin, TimestampMixin, Base):
    """A field visit on a meter: inspection, seal placed or found broken, repair, replacement."""

    __tablename__ = "meter_intervention"
    __table_args__ = (
        CheckConstraint(
            "kind in ('inspection', 'seal_placed', 'seal_broken', 'repair', 'replacement', 'disconnection',"
            " 'reconnection')",
            name="kind",
        ),
        Index("ix_meter_intervention_contract_date", "contract_id", "intervention_date"),
    )

    contract_id: Mapped[int] = mapped_column(IdType, ForeignKey("contract.id"))
    meter_id: Mapped[int] = mapped_column(IdType, ForeignKey("meter.id"))
    intervention_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    seal_number: Mapped[str | None] = mapped_column(String(30))
    index_value: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(String(400))
    seal_ok: Mapped[bool | None] = mapped_column(Boolean)
