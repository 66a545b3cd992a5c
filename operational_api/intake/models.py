"""Files taken in (*fichiers reçus*) and their quarantined rows.

A file is taken once, by the hash of its content; its good rows are loaded in one transaction with its record
here, its bad rows are kept in quarantine with the line and the reason until they are fixed and replayed, or
discarded with a reason. Nothing a partner sent is ever dropped without a trace.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime

FILE_STATUSES = ("loaded", "partial", "rejected")
ROW_STATUSES = ("open", "loaded", "discarded")


class IntakeFile(IdMixin, TimestampMixin, Base):
    """A file received (dropped in the inbox or imported), with what became of its rows."""

    __tablename__ = "intake_file"
    __table_args__ = (
        UniqueConstraint("kind", "content_hash"),
        CheckConstraint("status in ('loaded', 'partial', 'rejected')", name="status"),
        Index("ix_intake_file_kind_received", "kind", "received_at"),
    )

    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    stored_path: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(1000))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    # Rows that carry nothing to load: a round's sheet line the reader left blank, a record already present.
    rows_skipped: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(String(60))
    details: Mapped[str | None] = mapped_column(String(2000))


class IntakeQuarantine(IdMixin, TimestampMixin, Base):
    """A row of a file held back: its line, its content (fields as JSON) and why it was not loaded."""

    __tablename__ = "intake_quarantine"
    __table_args__ = (
        CheckConstraint("status in ('open', 'loaded', 'discarded')", name="status"),
        Index("ix_intake_quarantine_file_status", "file_id", "status"),
        Index("ix_intake_quarantine_status", "status"),
    )

    file_id: Mapped[int] = mapped_column(IdType, ForeignKey("intake_file.id"))
    line_number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    # The content as the partner sent it, kept when a user fixes the row.
    original_content: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10), default="open")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=1)
    fixed_by: Mapped[str | None] = mapped_column(String(60))
    fixed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(60))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str | None] = mapped_column(String(400))
