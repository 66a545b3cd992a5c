"""``yeelen import <folder>``: a utility's data from another system, file by file in dependency order.

Each file is taken like a partner's file: once by content, row by row, good rows loaded in one transaction per
file, bad rows quarantined with their line and reason (``yeelen intake show``, ``fix``, ``replay``). Rows whose
natural key is already in the database are skipped, so an import run twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from yeelen.errors import InputRejectedError
from yeelen.intake.take import TakeReport, take_file
from yeelen.migration.entities import MIGRATION_ACTOR, file_name, import_kinds
from yeelen.settings import Settings


@dataclass
class ImportReport:
    """Per file of the folder, what was taken; files the folder holds that are not migration files."""

    files: list[TakeReport] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        """Rows this import added (a file taken before adds none, whatever it loaded then)."""
        return sum(report.loaded for report in self.files if report.status != "duplicate")

    @property
    def already_taken(self) -> list[TakeReport]:
        return [report for report in self.files if report.status == "duplicate"]

    @property
    def quarantined(self) -> int:
        return sum(report.quarantined for report in self.files if report.status != "duplicate")

    @property
    def rejected(self) -> list[TakeReport]:
        return [report for report in self.files if report.status == "rejected"]


def _data_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)


def import_folder(
    settings: Settings,
    folder: Path,
    actor: str = MIGRATION_ACTOR,
    say: Callable[[str], None] | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import every migration file present in ``folder`` into the operational database (schema upgraded first)."""
    from operational_api.migrate import upgrade

    folder = Path(folder)
    if not folder.is_dir():
        raise InputRejectedError(f"{folder} is not a folder")
    say = say or (lambda message: None)
    settings.ensure_home()
    upgrade(str(settings.operational_url))
    kinds = import_kinds()
    names = {file_name(kind): kind for kind in kinds}
    report = ImportReport(
        missing=[name for name in names if not (folder / name).exists()],
        unknown=sorted(path.name for path in folder.iterdir() if path.is_file() and path.name not in names),
    )
    present = [(name, kind) for name, kind in names.items() if (folder / name).exists()]
    sizes = {name: _data_lines(folder / name) for name, _ in present}
    bar = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        bar.start()
        task = bar.add_task("Import", total=sum(sizes.values()) or 1)
    try:
        for name, kind in present:
            if bar is not None:
                bar.update(task, description=name)
            taken = take_file(settings, kind, folder / name, actor=actor, move=False)
            report.files.append(taken)
            if bar is not None:
                bar.advance(task, sizes[name])
            say(taken.summary())
    finally:
        if bar is not None:
            bar.stop()
    for name in report.unknown:
        say(f"{name}: not a migration file, left untouched")
    return report
