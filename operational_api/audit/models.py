"""The audit trail (*journal d'audit*) and the history of customer data (*historique des modifications*).

Both tables are append-only: the application refuses to change or delete their rows, and the migration adds
database triggers that refuse it too (SQLite and PostgreSQL). They carry no foreign keys on purpose: the trail
must outlive any reload or correction of the data it describes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime


class AuditEvent(IdMixin, TimestampMixin, Base):
    """One write: who, what, when, from which workstation and address, the state before and after (JSON)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_key"),
        Index("ix_audit_event_occurred_at", "occurred_at"),
    )

    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(60))
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(String(80))
    agency_id: Mapped[int | None] = mapped_column(IdType)
    workstation: Mapped[str | None] = mapped_column(String(60))
    client_address: Mapped[str | None] = mapped_column(String(64))
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)


class CustomerChange(IdMixin, TimestampMixin, Base):
    """One field of a customer's data changed: who, when, which field, the old and the new value."""

    __tablename__ = "customer_change"

    customer_id: Mapped[int] = mapped_column(IdType, index=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_key: Mapped[str] = mapped_column(String(30))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(400))
    new_value: Mapped[str | None] = mapped_column(String(400))
    changed_by: Mapped[str] = mapped_column(String(60))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    workstation: Mapped[str | None] = mapped_column(String(60))
    audit_event_id: Mapped[int | None] = mapped_column(IdType)
