"""Agencies (*agences*) and reading rounds (*tournées*)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType


class Agency(IdMixin, TimestampMixin, Base):
    __tablename__ = "agency"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))


class ReadingRound(IdMixin, TimestampMixin, Base):
    """A round read on the same day of the month by the same reader (*tournée de relève*)."""

    __tablename__ = "reading_round"
    __table_args__ = (CheckConstraint("reading_day between 1 and 28", name="reading_day_range"),)

    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    reading_day: Mapped[int] = mapped_column(SmallInteger)
