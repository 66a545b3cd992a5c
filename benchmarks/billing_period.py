"""The billing step of one period, its dbt models' own time against a bare DuckDB query, and the issue into
PostgreSQL.

    .venv/bin/python benchmarks/billing_period.py --customers 100000

The utility is generated into a PostgreSQL operational database (a fresh database on YEELEN_TEST_POSTGRES_URL's
server), ingested into a DuckDB warehouse and built once; then one batch is opened for the last month and:

- the billing step: ``dbt run --select tag:billing`` in its own process (wall time, peak memory, bills per
  second), and the sum of the billing models' own execution times from dbt's run results;
- the bare query: one DuckDB statement over the same staged readings (index differences, three progressive
  blocks, two taxes and the meter fee, grouped by contract, written to a table), timed in the same run;
- the bare query with lines: the same bills with one line per block reached, the meter fee and each tax, the
  bill's total summed from its lines, both tables written — like for like with the models, which write bills and
  lines — timed in the same run and checked to give the bare query's totals;
- the simulation's tables written alone: the draft bills and their lines that the models built, copied as they
  are into new tables (no computation at all), timed in the same run: the least any design that materialises
  the simulation can spend, beside the bare query's one narrow row per contract;
- the simulation stored as drafts, then the approval and the issue of every invoice into PostgreSQL.

Prints a table and writes benchmarks/results/billing_period_<customers>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BILLING_MODELS = "tag:billing"
# What the billing models hand over (the simulation screens and the drafts read them).
SIMULATION_TABLES = ("fct_draft_bills", "fct_draft_bill_lines")
# The month's consumption per contract from the staged readings: index differences, as the bare queries read it.
CONSUMPTION_CTES = """
with readings as (
    select
        contract_id,
        reading_date,
        index_value,
        lag(index_value) over (partition by contract_id order by reading_date, reading_id) as previous_index
    from staging.stg_operational__readings
    where index_value is not null and reading_date >= $window_start and reading_date < $month_end
),
consumption as (
    select contract_id, sum(index_value - previous_index) as kwh
    from readings
    where previous_index is not null and reading_date >= $month_start and index_value >= previous_index
    group by contract_id
),
"""
BARE_QUERY = (
    "create or replace table main.bare_bills as"
    + CONSUMPTION_CTES
    + """energy as (
    select
        contract_id,
        kwh,
        round(least(kwh, 150) * 82.00) as t1,
        round(greatest(least(kwh, 250) - 150, 0) * 136.49) as t2,
        round(greatest(kwh - 250, 0) * 159.36) as t3,
        greatest(kwh - 250, 0) * 159.36 as above
    from consumption
)
select
    contract_id,
    kwh,
    t1 + t2 + t3 + 429 + round((t1 + t2 + t3) * 0.025) + round(above * 0.18) as total
from energy
"""
)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _settings():
    from yeelen.settings import load_settings

    settings = load_settings()
    settings.ensure_home()
    return settings


def stage_prepare(customers: int, months: int, end_month: str) -> dict:
    from ingestion import run_ingestion
    from yeelen.demo import generate
    from yeelen.launcher import load_tariffs
    from yeelen.transform import run_dbt

    settings = _settings()
    started = time.perf_counter()
    generate(
        str(settings.operational_url),
        customers=customers,
        months=months,
        seed=1,
        end_month=end_month,
        demo_dir=settings.demo_dir,
    )
    generated = time.perf_counter()
    load_tariffs(settings, lambda message: None)
    run_ingestion(settings, full=True)
    ingested = time.perf_counter()
    # Everything the billing models read; they and what depends on them (prepaid, accounts) come later.
    outcome = run_dbt(settings, ["run", "--exclude", f"{BILLING_MODELS}+"])
    if not outcome.success:
        raise RuntimeError(f"dbt run failed: {outcome.failures}")
    return {
        "generate_seconds": generated - started,
        "ingest_seconds": ingested - generated,
        "dbt_seconds": time.perf_counter() - ingested,
    }


def stage_open_batch(end_month: str) -> dict:
    from ingestion import run_ingestion
    from operational_api.billing import service
    from operational_api.db import make_engine, session_factory, unit_of_work

    settings = _settings()
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        batch = service.create_batch(
            session=session, billing_month=dt.date.fromisoformat(f"{end_month}-01"), actor="benchmark"
        )
        batch_id = batch.id
    engine.dispose()
    run_ingestion(settings)
    # Staging is materialised: the new batch reaches the billing models once its staging table is rebuilt.
    from yeelen.transform import run_dbt

    outcome = run_dbt(settings, ["run", "--select", "stg_operational__billing_batches"])
    if not outcome.success:
        raise RuntimeError(f"dbt run failed: {outcome.failures}")
    return {"batch_id": batch_id}


def stage_billing() -> dict:
    from yeelen.transform import run_dbt

    settings = _settings()
    started = time.perf_counter()
    outcome = run_dbt(settings, ["run", "--select", BILLING_MODELS])
    wall = time.perf_counter() - started
    if not outcome.success:
        raise RuntimeError(f"dbt run failed: {outcome.failures}")
    models = {name.split(".")[-1]: seconds for name, seconds in outcome.timings.items() if name.startswith("model.")}
    return {"wall_seconds": wall, "models_seconds": sum(models.values()), "models": models}


def stage_bare(end_month: str) -> dict:
    import duckdb

    settings = _settings()
    month = dt.date.fromisoformat(f"{end_month}-01")
    month_end = (month + dt.timedelta(days=32)).replace(day=1)
    window_start = (month - dt.timedelta(days=62)).replace(day=1)
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        parameters = {"window_start": window_start, "month_start": month, "month_end": month_end}
        started = time.perf_counter()
        connection.execute(BARE_QUERY, parameters)
        seconds = time.perf_counter() - started
        bills = connection.execute("select count(*) from main.bare_bills").fetchone()[0]
        with_lines_started = time.perf_counter()
        connection.execute(BARE_WITH_LINES[0], parameters)
        connection.execute(BARE_WITH_LINES[1])
        with_lines = time.perf_counter() - with_lines_started
        # The same bills both ways: the lines' totals are the bare query's totals.
        [(lines, differing)] = connection.execute(
            "select (select count(*) from main.bare_lines), count(*) filter (where b.total is distinct from l.total) "
            "from main.bare_bills b full join main.bare_bills_of_lines l using (contract_id)"
        ).fetchall()
        if differing:
            raise RuntimeError(f"the bare query with lines disagrees with the bare query on {differing} bills")
        connection.execute("drop table main.bare_bills")
        connection.execute("drop table main.bare_lines")
        connection.execute("drop table main.bare_bills_of_lines")
        outputs = {}
        for table in SIMULATION_TABLES:
            [(schema,)] = connection.execute(
                "select table_schema from information_schema.tables where table_name = ?", [table]
            ).fetchall()
            copy_started = time.perf_counter()
            connection.execute(f'create table main.copy_of_simulation as select * from "{schema}"."{table}"')
            outputs[table] = time.perf_counter() - copy_started
            connection.execute("drop table main.copy_of_simulation")
    return {
        "seconds": seconds,
        "bills": bills,
        "with_lines_seconds": with_lines,
        "with_lines_lines": lines,
        "outputs_written": outputs,
    }


# The same bills with their lines, as plain as the bare query: one line per block reached, the meter fee and each
# tax, numbered per contract, and the bill's total summed from its lines; both tables written. Beside the models,
# which write bills and lines too, this is the like-for-like yardstick the bare query alone is not.
BARE_WITH_LINES = (
    "create or replace table main.bare_lines as"
    + CONSUMPTION_CTES
    + """blocks as (
    select contract_id, kwh, block, quantity, price, round(quantity * price) as amount
    from consumption,
        (values (1, 0, 150, 82.00), (2, 150, 250, 136.49), (3, 250, null, 159.36)) as grid(block, low, high, price),
        lateral (select least(kwh, coalesce(high, kwh)) - low as quantity)
    where kwh > low or block = 1
),
energy as (
    select contract_id, sum(amount) as energy, sum(quantity * price) filter (where block = 3) as above
    from blocks
    group by contract_id
),
lines as (
    select contract_id, block as line_number, 'energy' as kind, quantity, price as unit_price, amount from blocks
    union all
    select contract_id, 4, 'fee', 1, 429, 429 from energy
    union all
    select contract_id, 5, 'tax', energy, 0.025, round(energy * 0.025) from energy
    union all
    select contract_id, 6, 'tax', above, 0.18, round(above * 0.18) from energy where above > 0
)
select * from lines
""",
    """
create or replace table main.bare_bills_of_lines as
select contract_id, count(*) as line_count, sum(amount) as total from main.bare_lines group by contract_id
""",
)


def stage_store_and_issue(batch_id: int, end_month: str) -> dict:
    from operational_api.billing import service
    from operational_api.db import make_engine, session_factory, unit_of_work
    from yeelen.billing.cycle import issue, store_simulations
    from yeelen.warehouse.publish import publish_marts

    settings = _settings()
    publish_marts(settings)
    started = time.perf_counter()
    report = store_simulations(settings)
    stored = time.perf_counter()
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        service.approve_batch(session=session, batch_id=batch_id, actor="benchmark")
    engine.dispose()
    approved = time.perf_counter()
    month = dt.date.fromisoformat(f"{end_month}-01")
    issued = issue(settings, batch_id, "benchmark", (month + dt.timedelta(days=32)).replace(day=5))
    done = time.perf_counter()
    figures = report.stored[batch_id]
    return {
        "bills": figures.bills,
        "amount": figures.amount,
        "store_seconds": stored - started,
        "approve_seconds": approved - stored,
        "issue_seconds": done - approved,
        "invoices": issued.invoices,
    }


STAGES = {
    "prepare": stage_prepare,
    "open_batch": stage_open_batch,
    "billing": stage_billing,
    "bare": stage_bare,
    "store_and_issue": stage_store_and_issue,
}


def _child(name: str, args: tuple, queue) -> None:
    started = time.perf_counter()
    try:
        details = STAGES[name](*args)
        queue.put({"stage": name, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), **details})
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        queue.put({"stage": name, "error": f"{type(error).__name__}: {error}"})


def run_stage(name: str, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, args, queue))
    process.start()
    result = queue.get()
    process.join()
    if "error" in result:
        raise SystemExit(f"stage {name} failed: {result['error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=6, help="Months of history before the billed month")
    parser.add_argument("--end-month", default="2026-10")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("YEELEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    database = f"yeelen_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{database}"'))
    home = Path(tempfile.mkdtemp(prefix="yeelen-billing-"))
    os.environ.update(
        {
            "YEELEN_HOME": str(home),
            "YEELEN_OPERATIONAL_URL": make_url(args.postgres)
            .set(database=database)
            .render_as_string(hide_password=False),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    try:
        prepare = run_stage("prepare", args.customers, args.months, args.end_month)
        batch = run_stage("open_batch", args.end_month)
        billing = run_stage("billing")
        bare = run_stage("bare", args.end_month)
        issue = run_stage("store_and_issue", batch["batch_id"], args.end_month)
    finally:
        shutil.rmtree(home, ignore_errors=True)
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{database}" with (force)'))
        admin.dispose()

    ratio = billing["models_seconds"] / bare["seconds"] if bare["seconds"] else None
    print(f"\nBilling one period, {args.customers:,} customers ({os.cpu_count()} cores)")
    print(
        f"  billing step (dbt run of the billing models): {billing['wall_seconds']:.1f} s wall, "
        f"peak {billing['peak_mb']:.0f} MB, {issue['bills'] / billing['wall_seconds']:,.0f} bills/s"
    )
    print(
        f"  billing models' own time: {billing['models_seconds']:.2f} s; bare DuckDB query: {bare['seconds']:.2f} s "
        f"({bare['bills']:,} bills); ratio {ratio:.1f}x"
    )
    print(
        f"  drafts stored in PostgreSQL: {issue['store_seconds']:.1f} s; approval {issue['approve_seconds']:.1f} s; "
        f"issue of {issue['invoices']:,} invoices: {issue['issue_seconds']:.1f} s (peak {issue['peak_mb']:.0f} MB)"
    )
    written = sum(bare["outputs_written"].values())
    print(
        f"  the simulation's tables written alone (copied as they are, no computation): {written:.2f} s "
        f"({written / bare['seconds']:.1f}x the bare query): "
        + ", ".join(f"{table} {seconds:.2f} s" for table, seconds in bare["outputs_written"].items())
    )
    print(
        f"  the bare query with lines (blocks, fee and taxes as lines, bills summed from them, both written): "
        f"{bare['with_lines_seconds']:.2f} s ({bare['with_lines_lines']:,} lines); "
        f"models / bare query with lines {billing['models_seconds'] / bare['with_lines_seconds']:.1f}x"
    )
    for model, seconds in sorted(billing["models"].items(), key=lambda item: -item[1]):
        print(f"    {model:<40}{seconds:>8.2f} s")
    output = ROOT / "benchmarks" / "results" / f"billing_period_{args.customers}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "customers": args.customers,
                "cores": os.cpu_count(),
                "prepare": prepare,
                "billing": billing,
                "bare": bare,
                "issue": issue,
                "ratio": ratio,
            },
            indent=2,
            default=str,
        )
    )
    print(f"written {output}")


if __name__ == "__main__":
    main()
