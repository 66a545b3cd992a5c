"""Taking one file: once by content, rows validated, good rows loaded with the file's record in one transaction,
bad rows quarantined, an unreadable file moved aside with its reason. Replaying a file's quarantine after a fix.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.intake import service
from yeelen.errors import InputRejectedError
from yeelen.intake.files import (
    LINE,
    UnreadableFileError,
    content_hash,
    named_identity,
    read_rows,
    row_contents,
    rows_from_contents,
)
from yeelen.intake.kind import FileKind, LoadContext
from yeelen.settings import Settings

Say = Callable[[str], None]
DONE, REJECTED, DUPLICATES = "done", "rejected", "duplicates"


@dataclass
class TakeReport:
    """What became of a file: its record, its rows, and where the file went."""

    kind: str
    file_name: str
    file_id: int | None = None
    status: str = "loaded"  # loaded, partial, rejected, duplicate
    rows_total: int = 0
    loaded: int = 0
    quarantined: int = 0
    skipped: int = 0
    reason: str | None = None
    moved_to: Path | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a log."""
        if self.status == "duplicate":
            return f"{self.file_name}: already taken as file {self.file_id}; nothing loaded"
        if self.status == "rejected":
            where = f"; moved to {self.moved_to}" if self.moved_to else ""
            return f"{self.file_name}: refused ({self.reason}){where}"
        return (
            f"{self.file_name}: file {self.file_id}, {self.rows_total} rows: {self.loaded} loaded, "
            f"{self.quarantined} quarantined, {self.skipped} skipped"
        )


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path, folder: Path, reason: str | None = None) -> Path:
    """Move a file into ``folder`` under a name that never overwrites, with its reason beside it when refused."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{_stamp()}_{path.name}"
    counter = 1
    while target.exists():
        target = folder / f"{_stamp()}_{counter}_{path.name}"
        counter += 1
    shutil.move(str(path), str(target))
    if reason is not None:
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def take_file(
    settings: Settings,
    kind: FileKind,
    path: Path,
    actor: str = "intake",
    archive: Path | None = None,
    move: bool = True,
    say: Say | None = None,
) -> TakeReport:
    """Take one file of ``kind``: recorded once by its content (and, for a kind whose name says what the file is,
    what the name says), validated, loaded or quarantined row by row.

    The file is moved afterwards (when ``move``) into ``done/``, ``duplicates/`` or ``rejected/`` under
    ``archive`` (by default the folder the file is in), so that a folder watched for new files only ever holds
    files not yet taken.
    """
    say = say or (lambda message: None)
    path = Path(path)
    archive = archive or path.parent
    digest = content_hash(path)
    size = path.stat().st_size
    report = TakeReport(kind=kind.name, file_name=path.name)
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    try:
        details = None
        if getattr(kind, "identity_includes_name", False):
            try:
                details = kind.details(path, settings)
            except UnreadableFileError as error:
                return _reject(factory, report, kind, path, digest, size, actor, str(error), archive, move, say)
            digest = named_identity(digest, details)
        with factory() as session:
            existing = service.find_file(session=session, kind=kind.name, content_hash=digest)
            if existing is not None and existing.status != "rejected":
                report.file_id, report.status = existing.id, "duplicate"
                report.rows_total, report.loaded = existing.rows_total, existing.rows_loaded
                report.quarantined, report.skipped = existing.rows_quarantined, existing.rows_skipped
        if report.status == "duplicate":
            if move:
                report.moved_to = move_aside(path, archive / DUPLICATES)
            say(report.summary())
            return report
        try:
            if details is None:
                details = kind.details(path, settings)
            rows = read_rows(path, kind.required, kind.optional)
        except UnreadableFileError as error:
            return _reject(factory, report, kind, path, digest, size, actor, str(error), archive, move, say)
        try:
            with unit_of_work(factory) as session:
                record = service.start_file(
                    session=session,
                    kind=kind.name,
                    file_name=path.name,
                    content_hash=digest,
                    size_bytes=size,
                    taken_by=actor,
                    details=details,
                )
                context = LoadContext(
                    session, settings, actor, record.id, path.name, details, unread_lines=len(rows.bad_lines)
                )
                result = kind.load(context, rows.table)
                contents = row_contents(rows.table, set(result.held))
                held = [
                    service.HeldRow(line, contents.get(line, {}), reason)
                    for line, reason in sorted(result.held.items())
                ]
                held += [service.HeldRow(bad.line, bad.content, bad.reason) for bad in rows.bad_lines]
                quarantined = service.quarantine(session=session, file_id=record.id, rows=held)
                service.finish_file(
                    session=session,
                    record=record,
                    rows_total=rows.total,
                    rows_loaded=result.loaded,
                    rows_quarantined=quarantined,
                    rows_skipped=result.skipped,
                )
                report.file_id, report.status = record.id, record.status
                report.rows_total, report.loaded = rows.total, result.loaded
                report.quarantined, report.skipped = quarantined, result.skipped
                report.metadata = result.metadata
        except UnreadableFileError as error:
            return _reject(factory, report, kind, path, digest, size, actor, str(error), archive, move, say)
        if move:
            report.moved_to = move_aside(path, archive / DONE)
            with unit_of_work(factory) as session:
                service.set_stored_path(session=session, file_id=report.file_id, stored_path=str(report.moved_to))
        say(report.summary())
        return report
    finally:
        engine.dispose()


def _reject(
    factory, report: TakeReport, kind: FileKind, path: Path, digest: str, size: int, actor: str, reason: str,
    archive: Path, move: bool, say: Say,
) -> TakeReport:  # fmt: skip
    moved = move_aside(path, archive / REJECTED, reason) if move else None
    with unit_of_work(factory) as session:
        record = service.reject_file(
            session=session,
            kind=kind.name,
            file_name=path.name,
            content_hash=digest,
            size_bytes=size,
            taken_by=actor,
            reason=reason,
            stored_path=str(moved) if moved else None,
        )
        report.file_id = record.id
    report.status, report.reason, report.moved_to = "rejected", reason, moved
    say(report.summary())
    return report


@dataclass
class ReplayReport:
    """What a replay did with a file's quarantined rows."""

    file_id: int
    kind: str
    rows: int = 0
    loaded: int = 0
    still_held: int = 0
    present: int = 0
    reasons: dict[int, str] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a person."""
        return (
            f"file {self.file_id} ({self.kind}): {self.rows} quarantined row(s) validated again, "
            f"{self.loaded} loaded, {self.present} already in the database, {self.still_held} still held"
        )


def replay_file(settings: Settings, file_id: int, actor: str = "intake", kinds: dict | None = None) -> ReplayReport:
    """Validate a file's open quarantined rows again (with any fix) and load those that pass, in one transaction."""
    from yeelen.intake.kinds import kind_named

    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    try:
        with unit_of_work(factory) as session:
            record = service.get_file(session=session, file_id=file_id)
            if record is None:
                raise InputRejectedError(f"No file {file_id}; `yeelen intake list` shows the files taken.")
            kind = (kinds or {}).get(record.kind) or kind_named(record.kind)
            report = ReplayReport(file_id, record.kind)
            waiting = service.open_rows(session=session, file_id=file_id)
            report.rows = len(waiting)
            if not waiting:
                return report
            # A line that was not a row keeps its raw text under "text"; only the fields a user set are read.
            contents = [(row.line_number, json.loads(row.content)) for row in waiting]
            table = rows_from_contents(contents, (*kind.required, *kind.optional))
            details = json.loads(record.details) if record.details else {}
            context = LoadContext(session, settings, actor, record.id, record.file_name, details, replay=True)
            result = kind.load(context, table)
            by_line = {row.line_number: row for row in waiting}
            still = {by_line[line].id: reason for line, reason in result.held.items() if line in by_line}
            present = [row for row in waiting if row.line_number in result.present]
            loaded = [
                row for row in waiting if row.line_number not in result.held and row.line_number not in result.present
            ]
            service.settle_replay(
                session=session, record=record, loaded=loaded, still_held=still, actor=actor, present=present
            )
            report.loaded, report.still_held, report.reasons = len(loaded), len(still), dict(result.held)
            report.present = len(present)
            return report
    finally:
        engine.dispose()


__all__ = ["LINE", "ReplayReport", "TakeReport", "move_aside", "replay_file", "take_file"]
