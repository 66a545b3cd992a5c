"""``yeelen db``: the operational database's schema."""

from __future__ import annotations

import typer

from yeelen.settings import get_settings

app = typer.Typer(help="Operational database: migrations and status.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Apply the schema migrations to the operational database."""
    from operational_api.migrate import upgrade as run_upgrade

    settings = get_settings()
    settings.ensure_home()
    run_upgrade(str(settings.operational_url), revision)
    typer.echo(f"Operational database at revision {revision}: {settings.operational_url}")


@app.command()
def status() -> None:
    """Show the operational database's URL and schema revision."""
    from operational_api.db import check_reachable, make_engine
    from operational_api.migrate import current_revision

    settings = get_settings()
    engine = make_engine(str(settings.operational_url))
    check_reachable(engine)
    typer.echo(f"URL:      {engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"Revision: {current_revision(engine) or 'none (run: yeelen db upgrade)'}")
