"""``yeelen rounds``: reading rounds (*tournées*) and their sheets for the handheld terminals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings

app = typer.Typer(help="Reading rounds: sheets for the handheld terminals.", no_args_is_help=True)


@app.command()
def export(
    round_code: str = typer.Option(..., "--round", help="The round's code"),
    month: str = typer.Option(..., help="The month to read, YYYY-MM"),
    output: Path | None = typer.Option(None, help="Where to write the sheet (default: $YEELEN_HOME/sheets/)"),
    file_format: str = typer.Option("csv", "--format", help="csv or json"),
) -> None:
    """Write a round's reading sheet; the terminal's answer goes back to the inbox's readings/ folder."""
    from yeelen.intake.sheets import round_sheet, write_sheet

    try:
        day = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise InputRejectedError(f"a month is written YYYY-MM, not {month!r}") from None
    if file_format not in ("csv", "json"):
        raise InputRejectedError("--format is csv or json")
    settings = get_settings()
    rows = round_sheet(settings, round_code, day)
    path = output or settings.home / "sheets" / f"{round_code}_{month}.{file_format}"
    write_sheet(path, rows, file_format)
    typer.echo(f"{len(rows)} meter(s) to read on round {round_code} in {month}: {path}")
