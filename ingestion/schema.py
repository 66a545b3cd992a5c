"""The shape of the raw schema, derived from the operational models' metadata.

Nothing here lists tables or columns by hand: a table added to ``operational_api.models.metadata`` lands in
``raw`` at the next run, and a column added to a model is added to its raw table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, MetaData, Numeric, String, Table, Text
from sqlalchemy.types import TypeDecorator, TypeEngine

from operational_api.db import ExactDecimal, UTCDateTime
from yeelen.errors import ConfigurationError

RAW_SCHEMA = "raw"
BATCH_ID_COLUMN = "_batch_id"
LOADED_AT_COLUMN = "_loaded_at"
ID_COLUMN = "id"
CURSOR_COLUMN = "updated_at"
# Tables of the operational database that are bookkeeping, not business data.
EXCLUDED_TABLES = frozenset({"alembic_version"})


class Kind(StrEnum):
    """A warehouse type family; each destination renders it in its own SQL."""

    BIGINT = "bigint"
    DOUBLE = "double"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"
    VARCHAR = "varchar"


@dataclass(frozen=True)
class RawColumn:
    """One column of a raw table: its name and warehouse type (precision and scale for decimals)."""

    name: str
    kind: Kind
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class RawTable:
    """An operational table as it lands in ``raw``: the source columns, then ``_batch_id`` and ``_loaded_at``."""

    name: str
    columns: tuple[RawColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


def column_kind(column_type: TypeEngine, where: str) -> RawColumn:
    """Map a SQLAlchemy column type to its warehouse type; ``where`` names the column in error messages."""
    name = where.rsplit(".", 1)[-1]
    # Order matters: ExactDecimal and UTCDateTime are decorators over Numeric and DateTime, Float derives from
    # Numeric, and Boolean is not an Integer.
    if isinstance(column_type, ExactDecimal):
        return RawColumn(name, Kind.DECIMAL, column_type.precision, column_type.scale)
    if isinstance(column_type, UTCDateTime):
        return RawColumn(name, Kind.TIMESTAMP)
    if isinstance(column_type, TypeDecorator):
        return column_kind(column_type.impl_instance, where)
    if isinstance(column_type, Boolean):
        return RawColumn(name, Kind.BOOLEAN)
    if isinstance(column_type, Integer):
        return RawColumn(name, Kind.BIGINT)
    if isinstance(column_type, Float):
        return RawColumn(name, Kind.DOUBLE)
    if isinstance(column_type, Numeric):
        return RawColumn(name, Kind.DECIMAL, column_type.precision or 38, column_type.scale or 0)
    if isinstance(column_type, DateTime):
        if column_type.timezone:
            raise ConfigurationError(
                f"{where} is a timezone-aware DateTime; operational timestamps are UTCDateTime (UTC, no zone)."
            )
        return RawColumn(name, Kind.TIMESTAMP)
    if isinstance(column_type, Date):
        return RawColumn(name, Kind.DATE)
    if isinstance(column_type, String | Text):
        return RawColumn(name, Kind.VARCHAR)
    raise ConfigurationError(
        f"{where} has type {column_type!r}, which ingestion cannot map to a warehouse type yet; "
        "add it to ingestion/schema.py (column_kind) and to docs/ingestion.md."
    )


def raw_table(table: Table) -> RawTable:
    """The raw shape of one operational table; it must have an ``id`` and an ``updated_at`` column."""
    missing = [name for name in (ID_COLUMN, CURSOR_COLUMN) if name not in table.columns]
    if missing:
        raise ConfigurationError(
            f"Table {table.name} has no {' and no '.join(missing)} column; every operational table needs both "
            "(operational_api.common.IdMixin and TimestampMixin) to be ingested incrementally."
        )
    # A column whose info says ``ingest: False`` (a password hash, a token digest) never leaves the operational side.
    columns = tuple(
        column_kind(column.type, f"{table.name}.{column.name}")
        for column in table.columns
        if column.info.get("ingest", True)
    )
    reserved = {BATCH_ID_COLUMN, LOADED_AT_COLUMN} & {column.name for column in columns}
    if reserved:
        raise ConfigurationError(f"Table {table.name} uses the reserved column name(s) {sorted(reserved)}.")
    return RawTable(table.name, columns)


def raw_tables(metadata: MetaData | None = None) -> list[RawTable]:
    """Every operational table in dependency order, as it lands in ``raw``."""
    if metadata is None:
        from operational_api.models import metadata as operational_metadata

        metadata = operational_metadata
    # Working tables of the operational side (a table's info says ``ingest: False``) never reach the warehouse.
    return [
        raw_table(table)
        for table in metadata.sorted_tables
        if table.name not in EXCLUDED_TABLES and table.info.get("ingest", True)
    ]


def to_naive_utc(moment: dt.datetime) -> dt.datetime:
    """The warehouse keeps UTC in TIMESTAMP columns without a zone, so every bound and stamp is naive UTC."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def lower_bound(watermark: dt.datetime | None, lookback_seconds: int) -> dt.datetime | None:
    """Where the next read starts: the watermark minus the lookback window, floored to the whole second.

    Flooring keeps the bound safe to compare with timestamps stored as text with or without a fraction; the
    rows read twice because of it are dropped by the (id, updated_at) de-duplication.
    """
    if watermark is None:
        return None
    bound = to_naive_utc(watermark) - dt.timedelta(seconds=lookback_seconds)
    return bound.replace(microsecond=0)
