"""``yeelen warehouse``: the analytical warehouse and the copy of its marts that the apps read."""

from __future__ import annotations

import typer

from yeelen.settings import get_settings

app = typer.Typer(help="Warehouse: publish the marts for the apps.", no_args_is_help=True)


@app.command()
def publish(
    schema: str = typer.Option("marts", help="Schema of the warehouse whose tables are published"),
    wait: bool = typer.Option(False, "--wait", help="If a pipeline run holds the warehouse, wait for it to finish"),
) -> None:
    """Copy the marts into the read-only file the apps read, swapped in atomically."""
    from yeelen.pipeline import wait_for_the_warehouse
    from yeelen.warehouse.publish import publish_marts

    settings = get_settings()
    wait_for_the_warehouse(settings, wait, typer.echo)
    report = publish_marts(settings, schema=schema)
    if not report.published:
        typer.echo(f"Nothing to publish: {report.reason}.")
        return
    typer.echo(f"Published {len(report.tables)} tables ({report.rows} rows) in {report.seconds:.2f} s: {report.path}")
    width = max(len(name) for name in report.tables)
    for name, rows in report.tables.items():
        typer.echo(f"  {schema}.{name:<{width}}  {rows:>10} rows")
