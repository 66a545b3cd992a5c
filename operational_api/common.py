"""Columns shared by every table of the operational database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Mapped, mapped_column

from operational_api.db import IdType, UTCDateTime, utcnow


class IdMixin:
    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True, sort_order=-10)


class TimestampMixin:
    """Creation and last-change times in UTC; ingestion reads changes by ``updated_at``."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, sort_order=10)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False, index=True, sort_order=11
    )


# The largest id an API input may carry: every engine's 64-bit integers hold it.
MAX_ID = 2**62
