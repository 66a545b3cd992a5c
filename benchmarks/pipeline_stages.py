"""Time and peak memory of each stage of the pipeline on a generated utility.

    .venv/bin/python benchmarks/pipeline_stages.py --customers 100000 --months 24

Every stage runs in its own process (so its peak memory is its own): generation of the demo utility, full
ingestion into the warehouse, dbt build of the whole project (with one billing batch open for the last month),
publication of the marts. Prints a table and writes benchmarks/results/pipeline_stages_<customers>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _stage_generate(customers: int, months: int, seed: int, end_month: str) -> dict:
    from yeelen.demo import generate
    from yeelen.settings import load_settings

    settings = load_settings()
    settings.ensure_home()
    report = generate(
        str(settings.operational_url),
        customers=customers,
        months=months,
        seed=seed,
        end_month=end_month,
        demo_dir=settings.demo_dir,
    )
    return {"rows": report.counts, "stages": report.timings}


def _stage_prepare_billing(end_month: str) -> dict:
    import datetime as dt

    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.models import BillingBatch
    from yeelen.launcher import load_tariffs
    from yeelen.settings import load_settings

    settings = load_settings()
    load_tariffs(settings, lambda message: None)
    month = dt.date.fromisoformat(f"{end_month}-01")
    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        session.add(
            BillingBatch(
                reference=f"LOT-{end_month}",
                name=f"Lot {end_month}",
                billing_month=month,
                status="open",
                created_by="benchmark",
            )
        )
    engine.dispose()
    return {}


def _stage_ingest() -> dict:
    from ingestion import run_ingestion
    from yeelen.settings import load_settings

    report = run_ingestion(load_settings(), full=True)
    readings = next((load for load in report.loads if load.table == "reading"), None)
    return {
        "rows_loaded": report.rows_loaded,
        "reading_rows": report.rows.get("reading", 0),
        "reading_seconds": readings.seconds if readings else None,
        "reading_rows_per_second": report.rows_per_second("reading"),
    }


def _stage_dbt() -> dict:
    from yeelen.settings import load_settings
    from yeelen.transform import build

    outcome = build(load_settings())
    slowest = sorted(outcome.timings.items(), key=lambda item: -item[1])[:8]
    billing = sum(
        seconds
        for name, seconds in outcome.timings.items()
        if name.startswith("model.") and ("billing" in name or "bill" in name or "batch" in name or "tariff" in name)
    )
    return {"nodes": len(outcome.timings), "slowest": dict(slowest), "billing_models_seconds": billing}


def _stage_publish() -> dict:
    from yeelen.settings import load_settings
    from yeelen.warehouse.publish import publish_marts

    report = publish_marts(load_settings())
    return {"tables": len(report.tables), "rows": report.rows}


STAGES = {
    "generate": _stage_generate,
    "prepare_billing": _stage_prepare_billing,
    "ingest": _stage_ingest,
    "dbt_build": _stage_dbt,
    "publish": _stage_publish,
}


def _child(name: str, args: tuple, queue: multiprocessing.Queue) -> None:
    started = time.perf_counter()
    try:
        details = STAGES[name](*args)
        queue.put({"stage": name, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), **details})
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        queue.put({"stage": name, "error": f"{type(error).__name__}: {error}"})


def run_stage(name: str, *args) -> dict:
    queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(target=_child, args=(name, args, queue))
    process.start()
    result = queue.get()
    process.join()
    if "error" in result:
        raise SystemExit(f"stage {name} failed: {result['error']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-month", default="2026-10")
    parser.add_argument("--home", type=Path, default=None, help="Folder for the stores (a temporary one by default)")
    parser.add_argument("--keep", action="store_true", help="Keep the stores afterwards")
    args = parser.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="yeelen-bench-"))
    os.environ["YEELEN_HOME"] = str(home)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    results = [
        run_stage("generate", args.customers, args.months, args.seed, args.end_month),
        run_stage("prepare_billing", args.end_month),
        run_stage("ingest"),
        run_stage("dbt_build"),
        run_stage("publish"),
    ]
    print(f"\nPipeline stages, {args.customers:,} customers x {args.months} months ({os.cpu_count()} cores)")
    print(f"{'stage':<16}{'seconds':>10}{'peak MB':>10}  details")
    for result in results:
        details = ""
        if result["stage"] == "ingest" and result.get("reading_rows_per_second"):
            details = f"{result['reading_rows']:,} readings at {result['reading_rows_per_second'] / 1e6:.2f} M rows/s"
        elif result["stage"] == "generate":
            details = f"{result['rows'].get('reading', 0):,} readings"
        elif result["stage"] == "dbt_build":
            details = f"{result['nodes']} nodes; billing models {result['billing_models_seconds']:.1f} s"
        elif result["stage"] == "publish":
            details = f"{result['tables']} tables, {result['rows']:,} rows"
        print(f"{result['stage']:<16}{result['seconds']:>10.1f}{result['peak_mb']:>10.0f}  {details}")
    output = ROOT / "benchmarks" / "results" / f"pipeline_stages_{args.customers}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "customers": args.customers,
                "months": args.months,
                "cores": os.cpu_count(),
                "machine": platform.platform(),
                "stages": results,
            },
            indent=2,
            default=str,
        )
    )
    print(f"written {output}")
    if not args.keep and args.home is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
