"""What the warehouse's raw schema holds: per table, its watermark, its rows and the last batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ingestion.destinations import BATCHES_TABLE, LOADS_TABLE, WATERMARKS_TABLE, SqlDestination, raw_name
from ingestion.schema import RAW_SCHEMA, raw_tables
from yeelen.settings import Settings


@dataclass(frozen=True)
class TableStatus:
    """One raw table: newest ``updated_at`` held, rows held, and what the last committed run loaded into it."""

    table: str
    watermark: dt.datetime | None
    rows: int
    last_batch_id: str | None
    last_loaded_at: dt.datetime | None
    last_rows_loaded: int | None


def _status(destination: SqlDestination) -> list[TableStatus]:
    present = {name for (name,) in destination.fetchall(destination.tables_sql(), (RAW_SCHEMA,))}
    tables = [table.name for table in raw_tables()]
    if BATCHES_TABLE not in present:
        return [TableStatus(name, None, 0, None, None, None) for name in tables]
    watermarks = {
        name: watermark
        for name, watermark in destination.fetchall(f"SELECT table_name, watermark FROM {raw_name(WATERMARKS_TABLE)}")
    }
    last = destination.fetchall(
        destination.select_first(
            "batch_id, finished_at", f"FROM {raw_name(BATCHES_TABLE)} ORDER BY finished_at DESC, batch_id DESC"
        )
    )
    loaded: dict[str, int] = {}
    if last:
        loaded = {
            name: rows
            for name, rows in destination.fetchall(
                f"SELECT table_name, rows_loaded FROM {raw_name(LOADS_TABLE)} "
                f"WHERE batch_id = {destination.placeholder(1)}",
                (last[0][0],),
            )
        }
    statuses = []
    for name in tables:
        rows = destination.fetchall(f"SELECT count(*) FROM {raw_name(name)}")[0][0] if name in present else 0
        batch_id, finished_at = last[0] if last else (None, None)
        statuses.append(TableStatus(name, watermarks.get(name), int(rows), batch_id, finished_at, loaded.get(name)))
    return statuses


def ingestion_status(settings: Settings) -> list[TableStatus]:
    """Per operational table: watermark, rows in raw, and the last batch with the rows it loaded there."""
    if settings.warehouse_engine == "duckdb":
        from ingestion.destinations.duckdb import DuckDBDestination

        if not settings.warehouse_path.exists():
            return [TableStatus(table.name, None, 0, None, None, None) for table in raw_tables()]
        destination: SqlDestination = DuckDBDestination(settings.warehouse_path, read_only=True)
    else:
        from ingestion.destinations import open_destination

        destination = open_destination(settings)
    try:
        return _status(destination)
    finally:
        destination.close()
