"""One ingestion run: every operational table into ``raw``, in one warehouse transaction.

The contract of the raw schema
------------------------------
``raw.<table>`` has the operational table's columns (warehouse types) plus ``_batch_id`` and ``_loaded_at``
(UTC). Raw tables are append-only histories: a row changed in the operational database arrives again, as a
new version, at the next run; a version is identified by ``(id, updated_at)`` and is never stored twice.
Consumers (dbt staging) keep the latest version per ``id`` (highest ``updated_at``, then ``_loaded_at``).
A row deleted in the operational database keeps its last version in raw.

How a run works
---------------
- The source is read in one snapshot (one read transaction), table by table, as Arrow record batches.
- Each table is read from its watermark (the newest ``updated_at`` already in raw) minus
  ``settings.ingest_lookback_seconds``: a transaction that commits late with an older ``updated_at`` is still
  seen. Versions already in raw are dropped on ``(id, updated_at)``, so re-reading the window loads nothing
  twice and a run repeated at once loads nothing.
- Rows, watermarks and the batch record are written in one warehouse transaction: a run that dies half-way
  leaves no trace, and the next run loads what it would have loaded.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ingestion.destinations import BatchRecord, TableLoad, open_destination
from ingestion.schema import lower_bound, raw_tables, to_naive_utc
from ingestion.sources import open_source
from ingestion.streams import CountedStream
from yeelen.settings import Settings

Progress = Callable[[str], None]


@dataclass(frozen=True)
class IngestReport:
    """What a committed run loaded: per table, the new versions written to raw."""

    batch_id: str
    started_at: dt.datetime
    duration_seconds: float
    loads: list[TableLoad] = field(default_factory=list)

    @property
    def rows(self) -> dict[str, int]:
        """Rows loaded per table."""
        return {load.table: load.rows_loaded for load in self.loads}

    def rows_per_second(self, table: str) -> float | None:
        """Rows read per second for one table (reading and writing it), None when it took no measurable time."""
        load = next((load for load in self.loads if load.table == table), None)
        return load.rows_read / load.seconds if load is not None and load.seconds > 0 else None

    @property
    def rows_loaded(self) -> int:
        return sum(load.rows_loaded for load in self.loads)

    @property
    def rows_read(self) -> int:
        return sum(load.rows_read for load in self.loads)


def new_batch_id(moment: dt.datetime) -> str:
    """A batch id that sorts by time and never repeats: ``20250131T101500Z-1a2b3c4d``."""
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def run_ingestion(settings: Settings, progress: Progress | None = None, full: bool = False) -> IngestReport:
    """Load every operational table's new versions into ``raw`` in one transaction; return what was loaded.

    ``full`` reads every row instead of the window after the watermarks, which also catches rows written with an
    ``updated_at`` older than the lookback window (a bulk load of history); versions already held are still
    dropped, so nothing is doubled.
    """
    say = progress or (lambda message: None)
    clock = time.perf_counter()
    started_at = dt.datetime.now(dt.UTC)
    batch_id = new_batch_id(started_at)
    stamp = to_naive_utc(started_at)
    tables = raw_tables()

    source = open_source(settings, tables)
    try:
        destination = open_destination(settings)
        try:
            say(f"batch {batch_id}: {source.description} -> {destination.description}")
            destination.begin()
            watermarks = destination.prepare(tables)
            loads: list[TableLoad] = []
            with source.snapshot():
                for table in tables:
                    previous = watermarks.get(table.name)
                    since = None if full else lower_bound(previous, settings.ingest_lookback_seconds)
                    say(f"loading {table.name}")
                    table_clock = time.perf_counter()
                    with CountedStream(source.read(table, since)) as stream:
                        try:
                            rows, watermark = destination.load(
                                table, stream.reader(), batch_id=batch_id, loaded_at=stamp, since=since
                            )
                        except Exception:
                            if stream.error is not None:
                                raise stream.error from None
                            raise
                    seconds = time.perf_counter() - table_clock
                    loads.append(TableLoad(table.name, stream.rows, rows, since, watermark, previous, seconds))
                    say(f"loaded {table.name}: {rows} new of {stream.rows} read in {seconds:.2f} s")
            finished_at = dt.datetime.now(dt.UTC)
            say("committing")
            destination.record(BatchRecord(batch_id, source.description, stamp, to_naive_utc(finished_at), loads))
            destination.commit()
        finally:
            destination.close()
    finally:
        source.close()
    report = IngestReport(batch_id, started_at, time.perf_counter() - clock, loads)
    say(f"batch {batch_id} committed: {report.rows_loaded} rows in {report.duration_seconds:.1f} s")
    return report
