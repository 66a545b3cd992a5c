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


@app.command()
def up(
    customers: int = typer.Option(20_000, "--customers", help="Customers of the generated utility"),
    months: int = typer.Option(24, "--months", help="Months of history"),
    seed: int = typer.Option(1, "--seed", help="Random seed"),
    end_month: str | None = typer.Option(None, "--end-month", help="Last month simulated, YYYY-MM"),
    regenerate: bool = typer.Option(False, "--regenerate", help="Generate the utility again even if one exists"),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the apps once the pipeline has run"),
    dagster_port: int = typer.Option(3000, help="Port of Dagster's UI"),
    api_port: int = typer.Option(8000, help="Port of the operational API"),
    streamlit_port: int = typer.Option(8501, help="Port of Streamlit"),
) -> None:
    """Generate the demo utility, run the whole pipeline, and serve Dagster, the API and Streamlit."""
    from yeelen.launcher import DemoOptions
    from yeelen.launcher import up as run_up

    options = DemoOptions(customers, months, seed, end_month, regenerate, serve, dagster_port, api_port, streamlit_port)
    run_up(get_settings(), options, typer.echo)


@app.command()
def inspections(
    months: int = typer.Option(6, "--months", help="Past months to inspect, the latest first"),
    per_month: int = typer.Option(100, "--per-month", help="Top suspects inspected each month"),
    pipeline: bool = typer.Option(True, "--pipeline/--no-pipeline", help="Run the pipeline afterwards"),
) -> None:
    """Record inspections of the top suspects of past months, with outcomes from the demo's truth."""
    from yeelen.demo.inspections import record_inspections

    settings = get_settings()
    report = record_inspections(
        settings, months=months, per_month=per_month, say=lambda message: typer.echo(f"... {message}", err=True)
    )
    typer.echo(report.summary())
    if pipeline and report.inspections:
        from yeelen.pipeline import run_pipeline

        typer.echo("Running the pipeline so that the hit rates include them")
        run_pipeline(settings, progress=lambda message: None)
