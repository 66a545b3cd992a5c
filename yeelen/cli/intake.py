"""``yeelen intake``: files taken from partners, their quarantined rows, fixes and replays."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from sqlalchemy import func, select

from yeelen.errors import InputRejectedError
from yeelen.settings import get_settings

app = typer.Typer(help="Files taken in (inbox, migration) and their quarantine.", no_args_is_help=True)


def _factory():
    from operational_api.db import make_engine, session_factory

    engine = make_engine(str(get_settings().operational_url))
    return engine, session_factory(engine)


@app.command()
def take(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The file to take"),
    kind: str = typer.Option(
        ..., help="readings, bank, mobile_money or prepaid (the inbox folder names), or the kind's own name"
    ),
    keep: bool = typer.Option(False, help="Leave the file where it is (do not move it to done/ or rejected/)"),
    actor: str = typer.Option("intake", "--by", help="Who takes the file"),
) -> None:
    """Take one file now, as the inbox sensor would."""
    from yeelen.intake import take_file
    from yeelen.intake.kinds import inbox_kind

    report = take_file(get_settings(), inbox_kind(kind), path, actor=actor, move=not keep)
    typer.echo(report.summary())


@app.command()
def inbox(actor: str = typer.Option("intake", "--by", help="Who takes the files")) -> None:
    """Take every settled file waiting in the inbox."""
    from yeelen.intake.inbox import take_pending

    reports = take_pending(get_settings(), actor=actor, say=typer.echo)
    typer.echo(f"{len(reports)} file(s) taken")


@app.command("list")
def list_files(
    kind: str | None = typer.Option(
        None, help="Only files of this kind: an inbox folder name (bank) or a kind's name (bank_statement)"
    ),
) -> None:
    """The files taken, newest first, with their rows loaded and quarantined."""
    from operational_api.intake.models import IntakeFile
    from yeelen.intake.kinds import file_kind

    kind = file_kind(kind).name if kind else None
    engine, factory = _factory()
    with factory() as session:
        statement = select(IntakeFile).order_by(IntakeFile.id.desc()).limit(200)
        if kind:
            statement = statement.where(IntakeFile.kind == kind)
        for record in session.scalars(statement):
            typer.echo(
                f"{record.id:>6}  {record.kind:<24} {record.status:<9} {record.rows_total:>9} rows "
                f"{record.rows_loaded:>9} loaded {record.rows_quarantined:>7} held  {record.file_name}"
                + (f"  ({record.reason})" if record.reason else "")
            )
    engine.dispose()


@app.command()
def show(
    file_id: int = typer.Argument(..., help="The file's id (yeelen intake list)"),
    all_rows: bool = typer.Option(False, "--all", help="Also the rows already loaded or discarded"),
) -> None:
    """A file's quarantined rows: id, line, status, reason and fields."""
    from operational_api.intake.models import IntakeFile, IntakeQuarantine

    engine, factory = _factory()
    with factory() as session:
        record = session.get(IntakeFile, file_id)
        if record is None:
            raise InputRejectedError(f"No file {file_id}.")
        typer.echo(f"File {record.id} {record.file_name} ({record.kind}): {record.status}")
        statement = select(IntakeQuarantine).where(IntakeQuarantine.file_id == file_id)
        if not all_rows:
            statement = statement.where(IntakeQuarantine.status == "open")
        for row in session.scalars(statement.order_by(IntakeQuarantine.line_number)):
            typer.echo(f"  row {row.id} line {row.line_number} [{row.status}] {row.reason}")
            typer.echo(f"      {row.content}")
    engine.dispose()


@app.command()
def fix(
    row_id: int = typer.Argument(..., help="The quarantined row's id (yeelen intake show)"),
    changes: list[str] = typer.Option(..., "--set", help="field=value, as many as needed"),
    actor: str = typer.Option(..., "--by", help="Who fixes the row"),
) -> None:
    """Correct fields of a quarantined row; `yeelen intake replay` then loads it."""
    from operational_api.db import unit_of_work
    from operational_api.intake import service

    values = {}
    for change in changes:
        if "=" not in change:
            raise InputRejectedError(f"--set takes field=value, not {change!r}")
        name, value = change.split("=", 1)
        values[name.strip()] = value.strip()
    engine, factory = _factory()
    with unit_of_work(factory) as session:
        row = service.fix_row(session=session, row_id=row_id, changes=values, actor=actor)
        typer.echo(f"Row {row.id} of file {row.file_id} is now {row.content}")
    engine.dispose()


@app.command()
def discard(
    row_id: int = typer.Argument(..., help="The quarantined row's id"),
    reason: str = typer.Option(..., help="Why the row is not loaded"),
    actor: str = typer.Option(..., "--by", help="Who decides"),
) -> None:
    """Close a quarantined row without loading it, with the reason."""
    from operational_api.db import unit_of_work
    from operational_api.intake import service

    engine, factory = _factory()
    with unit_of_work(factory) as session:
        service.discard_row(session=session, row_id=row_id, actor=actor, reason=reason)
    engine.dispose()
    typer.echo(f"Row {row_id} discarded: {reason}")


@app.command()
def replay(
    file_id: int = typer.Argument(..., help="The file's id"),
    actor: str = typer.Option("intake", "--by", help="Who replays"),
) -> None:
    """Validate a file's quarantined rows again (after a fix) and load those that pass."""
    from yeelen.intake import replay_file

    report = replay_file(get_settings(), file_id, actor=actor)
    typer.echo(report.summary())
    for line, reason in sorted(report.reasons.items()):
        typer.echo(f"  line {line}: {reason}")


@app.command()
def quarantine() -> None:
    """Open quarantined rows per kind of file: how many, in how many files, since when."""
    from operational_api.intake import service

    engine, factory = _factory()
    with factory() as session:
        summary = service.quarantine_summary(session=session)
        total = session.scalar(select(func.count()).select_from(service.IntakeQuarantine)) or 0
    engine.dispose()
    if not summary:
        typer.echo(f"Nothing in quarantine ({total} row(s) resolved so far).")
    for item in summary.values():
        typer.echo(json.dumps({"kind": item.kind, "rows": item.rows, "files": item.files, "since": str(item.oldest)}))
