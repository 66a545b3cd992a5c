"""``yeelen pipeline``: run the whole chain (ingest, dbt build and tests, publish) as a Dagster job."""

from __future__ import annotations

import typer

from yeelen.settings import get_settings

app = typer.Typer(help="Run the data pipeline.", no_args_is_help=True)


@app.command()
def run(
    full: bool = typer.Option(False, "--full", help="Ingest every row, not only recent changes"),
    wait: bool = typer.Option(False, "--wait", help="If another run holds the warehouse, wait for it to finish"),
) -> None:
    """Ingest the operational database, build every dbt model and test, publish the marts for the apps."""
    from yeelen.pipeline import run_pipeline

    outcome = run_pipeline(get_settings(), progress=typer.echo, full_ingestion=full, wait=wait)
    typer.echo(f"Pipeline run {outcome.run_id} succeeded.")
