"""``yeelen demo``: generate a demo utility in the operational database."""

from __future__ import annotations

import typer

from yeelen.settings import get_settings

app = typer.Typer(help="Demo utility: a generated distributor of Dakar to try the product on.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Demo utility: a generated distributor of Dakar to try the product on."""


@app.command()
def generate(
    customers: int = typer.Option(..., "--customers", help="Number of customers, e.g. 10000"),
    months: int = typer.Option(24, "--months", help="Months of history"),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same utility"),
    end_month: str | None = typer.Option(
        None, "--end-month", help="Last month simulated, YYYY-MM (default: the month before this one)"
    ),
    replace: bool = typer.Option(False, "--replace", help="Empty the tables first if the database has customers"),
) -> None:
    """Fill the operational database with a generated utility; its truth goes to the demo folder."""
    from yeelen.demo import generate as run

    settings = get_settings()
    settings.ensure_home()
    report = run(
        str(settings.operational_url),
        customers=customers,
        months=months,
        seed=seed,
        end_month=end_month,
        replace=replace,
        progress=lambda message: typer.echo(f"... {message}", err=True),
        demo_dir=settings.demo_dir,
    )
    typer.echo(report.summary())
