"""Files taken in, their quarantined rows, and the bulk inserts that load their good rows.

A file's record, its loaded rows and its quarantined rows belong to one unit of work: the caller commits them
together or not at all. Functions never commit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from operational_api.db import utcnow
from operational_api.intake.exceptions import QuarantineRowNotFoundError, QuarantineRowResolvedError
from operational_api.intake.models import IntakeFile, IntakeQuarantine

# Rows per statement when inserting through a driver without a bulk path.
CHUNK = 5_000


def find_file(*, session: Session, kind: str, content_hash: str) -> IntakeFile | None:
    """The file of this kind already received with exactly this content, if any."""
    return session.scalar(select(IntakeFile).where(IntakeFile.kind == kind, IntakeFile.content_hash == content_hash))


def get_file(*, session: Session, file_id: int) -> IntakeFile | None:
    """A received file by id."""
    return session.get(IntakeFile, file_id)


def start_file(
    *,
    session: Session,
    kind: str,
    file_name: str,
    content_hash: str,
    size_bytes: int,
    taken_by: str,
    details: Mapping[str, Any] | None = None,
) -> IntakeFile:
    """Record a file being taken; a file refused earlier with the same content is taken again in its record."""
    now = utcnow()
    record = find_file(session=session, kind=kind, content_hash=content_hash)
    if record is None:
        record = IntakeFile(kind=kind, content_hash=content_hash, received_at=now)
        session.add(record)
    record.file_name = file_name[-255:]
    record.size_bytes = size_bytes
    record.taken_by = taken_by[:60]
    record.details = json.dumps(dict(details), default=str)[:2000] if details else None
    record.status = "partial"
    record.reason = None
    record.rows_total = record.rows_loaded = record.rows_quarantined = record.rows_skipped = 0
    session.flush()
    return record


def finish_file(
    *,
    session: Session,
    record: IntakeFile,
    rows_total: int,
    rows_loaded: int,
    rows_quarantined: int,
    rows_skipped: int,
    stored_path: str | None = None,
) -> IntakeFile:
    """Close a file's record with its counts: ``loaded`` when every row was loaded or skipped, else ``partial``."""
    record.rows_total = rows_total
    record.rows_loaded = rows_loaded
    record.rows_quarantined = rows_quarantined
    record.rows_skipped = rows_skipped
    record.status = "partial" if rows_quarantined else "loaded"
    record.processed_at = utcnow()
    if stored_path is not None:
        record.stored_path = stored_path[-1000:]
    return record


def reject_file(
    *,
    session: Session,
    kind: str,
    file_name: str,
    content_hash: str,
    size_bytes: int,
    taken_by: str,
    reason: str,
    stored_path: str | None,
) -> IntakeFile:
    """Record a file that could not be read at all, with the reason (it is moved aside, never half-loaded)."""
    record = start_file(
        session=session,
        kind=kind,
        file_name=file_name,
        content_hash=content_hash,
        size_bytes=size_bytes,
        taken_by=taken_by,
    )
    record.status = "rejected"
    record.reason = reason[:1000]
    record.processed_at = utcnow()
    record.stored_path = stored_path[-1000:] if stored_path else None
    return record


def set_stored_path(*, session: Session, file_id: int, stored_path: str) -> None:
    """Where the file was archived after it was taken."""
    session.execute(
        update(IntakeFile).where(IntakeFile.id == file_id).values(stored_path=stored_path[-1000:], updated_at=utcnow())
    )


@dataclass(frozen=True)
class HeldRow:
    """A row held back: its line in the file, its fields, and why."""

    line: int
    content: Mapping[str, Any]
    reason: str


def quarantine(*, session: Session, file_id: int, rows: Iterable[HeldRow]) -> int:
    """Keep bad rows of a file with their line and reason; returns how many were kept."""
    now = utcnow()
    statement = insert(IntakeQuarantine.__table__)
    count = 0
    chunk: list[dict] = []
    for row in rows:
        chunk.append(
            {
                "file_id": file_id,
                "line_number": int(row.line),
                "content": json.dumps(dict(row.content), ensure_ascii=False, default=str),
                "original_content": None,
                "reason": row.reason[:1000],
                "status": "open",
                "attempts": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        if len(chunk) >= CHUNK:
            session.execute(statement, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        session.execute(statement, chunk)
        count += len(chunk)
    return count


def open_rows(*, session: Session, file_id: int) -> list[IntakeQuarantine]:
    """The rows of a file still waiting in quarantine, in file order."""
    return list(
        session.scalars(
            select(IntakeQuarantine)
            .where(IntakeQuarantine.file_id == file_id, IntakeQuarantine.status == "open")
            .order_by(IntakeQuarantine.line_number, IntakeQuarantine.id)
        )
    )


def settle_replay(
    *,
    session: Session,
    record: IntakeFile,
    loaded: Sequence[IntakeQuarantine],
    still_held: Mapping[int, str],
    actor: str,
    present: Sequence[IntakeQuarantine] = (),
) -> None:
    """After a replay: rows loaded leave the quarantine, rows whose record is already in the database are closed
    as such, rows still bad keep it with their new reason."""
    now = utcnow()
    for rows, status, note in (
        (loaded, "loaded", "loaded by a replay"),
        (present, "discarded", "already in the database when replayed"),
    ):
        for row in rows:
            row.status = status
            row.resolved_by = actor[:60]
            row.resolved_at = now
            row.resolution_note = note
            row.attempts += 1
    for row in session.scalars(select(IntakeQuarantine).where(IntakeQuarantine.id.in_(list(still_held)))):
        row.reason = still_held[row.id][:1000]
        row.attempts += 1
    session.flush()
    record.rows_loaded += len(loaded)
    record.rows_skipped += len(present)
    record.rows_quarantined = (
        session.scalar(
            select(func.count()).where(IntakeQuarantine.file_id == record.id, IntakeQuarantine.status == "open")
        )
        or 0
    )
    record.status = "partial" if record.rows_quarantined else "loaded"
    record.processed_at = now


def _row(session: Session, row_id: int) -> IntakeQuarantine:
    row = session.get(IntakeQuarantine, row_id)
    if row is None:
        raise QuarantineRowNotFoundError(row_id)
    if row.status != "open":
        raise QuarantineRowResolvedError(row_id, row.status)
    return row


def fix_row(*, session: Session, row_id: int, changes: Mapping[str, str], actor: str) -> IntakeQuarantine:
    """Correct fields of a quarantined row (kept open: a replay validates and loads it)."""
    row = _row(session, row_id)
    content = json.loads(row.content)
    if row.original_content is None:
        row.original_content = row.content
    content.update({key: value for key, value in changes.items()})
    row.content = json.dumps(content, ensure_ascii=False)
    row.fixed_by = actor[:60]
    row.fixed_at = utcnow()
    return row


def discard_row(*, session: Session, row_id: int, actor: str, reason: str) -> IntakeQuarantine:
    """Close a quarantined row without loading it, saying why (a duplicate, a test line, a reading redone)."""
    if not reason or not reason.strip():
        raise QuarantineRowResolvedError(row_id, "open", "a row is discarded with a reason")
    row = _row(session, row_id)
    row.status = "discarded"
    row.resolved_by = actor[:60]
    row.resolved_at = utcnow()
    row.resolution_note = reason.strip()[:400]
    record = session.get(IntakeFile, row.file_id)
    record.rows_quarantined = max(0, record.rows_quarantined - 1)
    record.rows_skipped += 1
    record.status = "partial" if record.rows_quarantined else "loaded"
    return row


@dataclass(frozen=True)
class QuarantineSummary:
    """Unresolved quarantined rows of one kind of file: how many, and since when."""

    kind: str
    rows: int
    files: int
    oldest: dt.datetime | None


def quarantine_summary(*, session: Session) -> dict[str, QuarantineSummary]:
    """Open quarantined rows per kind of file."""
    rows = session.execute(
        select(
            IntakeFile.kind,
            func.count(IntakeQuarantine.id),
            func.count(func.distinct(IntakeQuarantine.file_id)),
            func.min(IntakeQuarantine.created_at),
        )
        .join(IntakeFile, IntakeFile.id == IntakeQuarantine.file_id)
        .where(IntakeQuarantine.status == "open")
        .group_by(IntakeFile.kind)
    )
    return {kind: QuarantineSummary(kind, int(count), int(files), oldest) for kind, count, files, oldest in rows.all()}


def latest_files(*, session: Session) -> dict[str, dt.datetime]:
    """When a file of each kind was last taken (not counting refused files)."""
    rows = session.execute(
        select(IntakeFile.kind, func.max(IntakeFile.received_at))
        .where(IntakeFile.status != "rejected")
        .group_by(IntakeFile.kind)
    )
    return {kind: moment for kind, moment in rows.all()}


# --- bulk inserts ---------------------------------------------------------------------------------------------


def bulk_insert(*, session: Session, table: Table, rows: pa.Table) -> int:
    """Insert Arrow rows into ``table`` inside the session's transaction, as fast as the driver allows.

    Dates arrive as ``date32``, timestamps as UTC ``timestamp('us')``, exact decimals as their text; they are
    written the way SQLAlchemy writes them on each engine (text on SQLite), so the ORM reads them back alike.
    PostgreSQL receives them through COPY; SQLite through one ``executemany`` on the same connection.
    """
    if rows.num_rows == 0:
        return 0
    connection = session.connection()
    dialect = connection.dialect.name
    names = rows.column_names
    unknown = [name for name in names if name not in table.columns]
    if unknown:
        raise KeyError(f"{table.name} has no column(s) {unknown}")
    if dialect == "postgresql":
        return _copy_postgres(connection, table, rows)
    if dialect == "sqlite":
        prepared = _for_sqlite(rows)
        placeholders = ", ".join("?" for _ in names)
        sql = f"insert into {table.name} ({', '.join(names)}) values ({placeholders})"
        cursor = connection.connection.driver_connection.cursor()
        try:
            for batch in prepared.to_batches(max_chunksize=100_000):
                columns = [column.to_pylist() for column in batch.columns]
                cursor.executemany(sql, zip(*columns, strict=True))
        finally:
            cursor.close()
        return rows.num_rows
    # Other engines: plain executemany through SQLAlchemy, which converts each value by its column type.
    statement = insert(table)
    for batch in rows.to_batches(max_chunksize=CHUNK):
        session.execute(statement, batch.to_pylist())
    return rows.num_rows


def _for_sqlite(rows: pa.Table) -> pa.Table:
    arrays = []
    for column in rows.columns:
        # Arrow writes dates and timestamps as SQLAlchemy does on SQLite ('YYYY-MM-DD HH:MM:SS.ffffff').
        if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
            arrays.append(pc.cast(column, pa.string()))
        elif pa.types.is_boolean(column.type):
            arrays.append(pc.cast(column, pa.int64()))
        else:
            arrays.append(column)
    return pa.Table.from_arrays(arrays, names=rows.column_names)


def _copy_postgres(connection, table: Table, rows: pa.Table) -> int:
    import io

    import pyarrow.csv as pacsv

    buffer = io.BytesIO()
    pacsv.write_csv(rows, buffer, write_options=pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    columns = ", ".join(rows.column_names)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"copy {table.name} ({columns}) from stdin with (format csv)") as copy:
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])
    return rows.num_rows


def stamp(rows: pa.Table, moment: dt.datetime | None = None) -> pa.Table:
    """Add ``created_at`` and ``updated_at`` (now, UTC) to rows about to be inserted."""
    now = (moment or utcnow()).astimezone(dt.UTC).replace(tzinfo=None)
    column = pa.array([now] * rows.num_rows, pa.timestamp("us"))
    return rows.append_column("created_at", column).append_column("updated_at", column)
