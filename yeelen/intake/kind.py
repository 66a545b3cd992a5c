"""What every kind of file provides: its columns, what its name says, and how its rows are validated and loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
from sqlalchemy.orm import Session

from yeelen.settings import Settings


@dataclass
class LoadContext:
    """One file being loaded: the open unit of work, the settings, who takes it, what its name said."""

    session: Session
    settings: Settings
    actor: str
    file_id: int
    file_name: str
    details: dict[str, Any] = field(default_factory=dict)
    # True when the rows are a file's quarantined rows validated again after a fix.
    replay: bool = False
    # Lines of the file that are not rows (wrong number of fields): quarantined by the intake, not given to the kind.
    unread_lines: int = 0


@dataclass
class LoadResult:
    """What a kind did with the rows it was given: rows loaded, rows skipped, rows held with their reason."""

    loaded: int = 0
    skipped: int = 0
    held: dict[int, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    # Lines not loaded because what they carry is already in the database (a replay closes them as such).
    present: set[int] = field(default_factory=set)


class FileKind(Protocol):
    """A kind of file: readings, a bank statement, a vending export, one file of a data migration...

    A file is known by its content: the same bytes again are a duplicate. A kind whose file name says what the file
    is (a partner's statement of a day) sets ``identity_includes_name = True``: the same bytes under another
    partner or day are then another file.
    """

    name: str
    label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        """What the file's name carries (a partner, a date); raise UnreadableFileError when it must and does not."""
        ...

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        """Validate the rows (text columns plus ``line``), load the good ones in the context's unit of work, and
        return the lines held back with their reasons. Raise UnreadableFileError to refuse the whole file."""
        ...


def held_from(table: pa.Table, reason_column: str = "reason") -> dict[int, str]:
    """Lines and reasons of the rows of a validated table whose reason is set."""
    import pyarrow.compute as pc

    bad = table.filter(pc.invert(pc.is_null(table[reason_column])))
    return dict(zip(bad["line"].to_pylist(), bad[reason_column].to_pylist(), strict=True))
