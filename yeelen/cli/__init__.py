"""The ``yeelen`` command line.

Errors the user can act on (bad settings, unreachable stores, rejected input) are printed as one clear message
and exit with status 2; anything else is a bug and keeps its stack trace.
"""

from __future__ import annotations

import sys

import typer

from yeelen.cli import db as db_commands
from yeelen.errors import YeelenError

app = typer.Typer(
    name="yeelen",
    help="Yeelen: customers, billing and loss analytics for water and electricity distributors.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_commands.app, name="db")


def _register_optional() -> None:
    """Command groups live in their own modules; each registers itself here."""
    import importlib

    for module_name, group in (
        ("yeelen.cli.demo", "demo"),
        ("yeelen.cli.ingest", "ingest"),
        ("yeelen.cli.warehouse", "warehouse"),
        ("yeelen.cli.pipeline", "pipeline"),
        ("yeelen.cli.tariff", "tariff"),
        ("yeelen.cli.billing", "billing"),
        ("yeelen.cli.users", "users"),
        ("yeelen.cli.intake", "intake"),
        ("yeelen.cli.rounds", "rounds"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue
            raise
        app.add_typer(module.app, name=group)


_register_optional()


def _register_migration() -> None:
    """``yeelen import`` and ``yeelen export`` are commands of their own, not a group."""
    from yeelen.cli import migration

    app.command("import")(migration.import_folder)
    app.command("export")(migration.export_folder)


_register_migration()


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv, standalone_mode=False)
    except YeelenError as error:
        typer.secho(f"Error: {error}", fg=typer.colors.RED, err=True)
        return 2
    except typer.Abort:
        typer.secho("Aborted.", err=True)
        return 130
    except typer.Exit as done:
        return done.exit_code
    except Exception as error:  # noqa: BLE001 - click usage errors carry their own message
        import click

        if isinstance(error, click.ClickException):
            error.show()
            return error.exit_code
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
