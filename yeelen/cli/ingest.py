"""``yeelen ingest``: load the operational database into the warehouse's raw schema, and show what it holds."""

from __future__ import annotations

import datetime as dt

import typer

from yeelen.settings import get_settings

app = typer.Typer(help="Ingestion of the operational database into the warehouse (raw schema).", no_args_is_help=True)


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else "-"


@app.command()
def run(
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary"),
    full: bool = typer.Option(
        False, "--full", help="Read every row, not only those after the watermarks (after a bulk load of history)"
    ),
    wait: bool = typer.Option(False, "--wait", help="If a pipeline run holds the warehouse, wait for it to finish"),
) -> None:
    """Load every table's new and changed rows into raw, in one transaction."""
    from ingestion import run_ingestion
    from yeelen.pipeline import wait_for_the_warehouse

    settings = get_settings()
    wait_for_the_warehouse(settings, wait, typer.echo)

    def show(message: str) -> None:
        if not quiet:
            typer.echo(message)

    report = run_ingestion(settings, progress=show, full=full)
    typer.echo(
        f"Batch {report.batch_id}: {report.rows_loaded} new rows in {len(report.loads)} tables "
        f"({report.rows_read} read) in {report.duration_seconds:.1f} s."
    )


@app.command()
def status() -> None:
    """Show, per table, the watermark, the rows held in raw and the last batch."""
    from ingestion import ingestion_status

    statuses = ingestion_status(get_settings())
    if all(item.last_batch_id is None for item in statuses):
        typer.echo("No ingestion has run yet: run `yeelen ingest run`.")
        return
    last = next(item for item in statuses if item.last_batch_id)
    typer.echo(f"Last batch: {last.last_batch_id} (committed {_when(last.last_loaded_at)} UTC)")
    width = max(len(item.table) for item in statuses)
    typer.echo(f"{'table':<{width}}  {'watermark (UTC)':<19}  {'rows in raw':>12}  {'last batch':>10}")
    for item in statuses:
        loaded = "-" if item.last_rows_loaded is None else str(item.last_rows_loaded)
        typer.echo(f"{item.table:<{width}}  {_when(item.watermark):<19}  {item.rows:>12}  {loaded:>10}")
