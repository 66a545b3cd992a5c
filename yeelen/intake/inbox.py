"""The inbox: one folder per kind of file, where partners (or their transfer scripts) drop files.

A file is pending while it sits at the top of its kind's folder; once taken it moves to ``done/``,
``duplicates/`` or ``rejected/`` beside it. A file still being copied is left alone until it has not changed for
``YEELEN_INBOX_SETTLE_SECONDS``; names starting with a dot or ending in ``.part``/``.tmp`` are never taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from yeelen.intake.kinds import inbox_kinds
from yeelen.intake.take import TakeReport, take_file
from yeelen.settings import Settings

IGNORED_SUFFIXES = (".part", ".tmp", ".partial", ".reason.txt")


@dataclass(frozen=True)
class PendingFile:
    """A file waiting in the inbox, with what identifies this version of it."""

    folder: str
    path: Path
    size: int
    modified_ns: int

    @property
    def key(self) -> str:
        """Changes when the file is replaced or touched, so that a new version is taken again."""
        return f"{self.folder}/{self.path.name}:{self.size}:{self.modified_ns}"


def ensure_folders(settings: Settings) -> dict[str, Path]:
    """The inbox folder of each kind of file, created when missing."""
    folders = {}
    for folder in inbox_kinds():
        path = Path(settings.inbox) / folder
        path.mkdir(parents=True, exist_ok=True)
        folders[folder] = path
    return folders


def pending_files(settings: Settings, now: float | None = None) -> list[PendingFile]:
    """Files waiting in the inbox, oldest first, that have settled (no copy running)."""
    now = time.time() if now is None else now
    found = []
    for folder, path in ensure_folders(settings).items():
        for item in path.iterdir():
            if not item.is_file() or item.name.startswith(".") or item.name.lower().endswith(IGNORED_SUFFIXES):
                continue
            stat = item.stat()
            if now - stat.st_mtime < settings.inbox_settle_seconds:
                continue
            found.append(PendingFile(folder, item, stat.st_size, stat.st_mtime_ns))
    return sorted(found, key=lambda pending: (pending.modified_ns, pending.path.name))


def take_pending(
    settings: Settings, actor: str = "intake", say: Callable[[str], None] | None = None
) -> list[TakeReport]:
    """Take every settled file of the inbox, oldest first."""
    kinds = inbox_kinds()
    pending = pending_files(settings)
    return [take_file(settings, kinds[item.folder], item.path, actor=actor, say=say) for item in pending]
