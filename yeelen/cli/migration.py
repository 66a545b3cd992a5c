"""``yeelen import <folder>`` and ``yeelen export <folder>``: a utility's data in and out as CSV files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings


def import_folder(
    folder: Path = typer.Argument(..., help="Folder of the migration files (docs/formats.md, Data migration)"),
    actor: str = typer.Option("migration", "--by", help="Who imports"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar"),
) -> None:
    """Import agencies, network, customers, contracts, meters, readings, balances and payments from CSV files."""
    from yeelen.migration.importer import import_folder as run_import

    report = run_import(get_settings(), folder, actor=actor, say=typer.echo, progress=not quiet)
    if report.missing:
        typer.echo(f"Not in the folder (nothing to import): {', '.join(report.missing)}")
    if report.already_taken:
        typer.echo(f"{len(report.already_taken)} file(s) already imported before: nothing added from them.")
    typer.echo(f"{report.loaded} row(s) loaded, {report.quarantined} quarantined (yeelen intake list).")
    if report.rejected:
        raise InputRejectedError(
            "Some files could not be read: " + "; ".join(f"{item.file_name}: {item.reason}" for item in report.rejected)
        )


def export_folder(
    folder: Path = typer.Argument(..., help="Folder to write the files into (created when missing)"),
    balance_date: str | None = typer.Option(
        None, help="Balances as of this date, YYYY-MM-DD (payments from it on are listed); today by default"
    ),
) -> None:
    """Write the operational database as the migration files `yeelen import` reads."""
    from yeelen.migration.exporter import export_folder as run_export

    day = None
    if balance_date:
        try:
            day = dt.date.fromisoformat(balance_date)
        except ValueError:
            raise InputRejectedError(f"--balance-date is written YYYY-MM-DD, not {balance_date!r}") from None
    written = run_export(get_settings(), folder, balance_date=day, say=typer.echo)
    typer.echo(f"{sum(written.values())} row(s) in {len(written)} file(s) under {folder}")
