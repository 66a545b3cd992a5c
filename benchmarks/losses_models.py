"""Execution time of the loss, suspect and collection models on a generated utility, from dbt's run results.

    .venv/bin/python benchmarks/losses_models.py --customers 100000 --months 24
    .venv/bin/python benchmarks/losses_models.py --home /path/to/home   # generated there unless it holds one

Generates the utility (unless --home already holds one), ingests it, runs every model of the project with ``dbt run`` in
a process of its own, then reads ``run_results.json``: the time of each model tagged ``losses`` or ``collection``
and their total, beside the whole run's. Writes benchmarks/results/losses_models_<customers>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TAGS = ("losses", "collection")


def prepare(home: Path, customers: int, months: int, seed: int, end_month: str) -> dict[str, float]:
    """Generate and ingest a utility under ``home``; the seconds each step took."""
    from ingestion import run_ingestion
    from operational_api.migrate import upgrade
    from yeelen.demo import generate
    from yeelen.settings import load_settings

    settings = load_settings()
    settings.ensure_home()
    upgrade(str(settings.operational_url))
    started = time.perf_counter()
    generate(
        str(settings.operational_url),
        customers=customers,
        months=months,
        seed=seed,
        end_month=end_month,
        demo_dir=settings.demo_dir,
    )
    generated = time.perf_counter()
    run_ingestion(settings, full=True)
    return {"generate": generated - started, "ingest": time.perf_counter() - generated}


def run_models(home: Path, threads: int, select: tuple[str, ...] = ()) -> tuple[float, float, Path]:
    """``dbt run`` (of every model, or of ``select``) in a process of its own; its wall time, CPU seconds and
    target folder. CPU seconds hold when other work shares the machine; wall time does not."""
    from yeelen.settings import load_settings
    from yeelen.transform import dbt_environment

    settings = load_settings()
    target = home / "dbt-target"
    env = {
        **os.environ,
        **dbt_environment(settings),
        "DBT_LOG_PATH": str(home / "dbt-logs"),
        "YEELEN_DBT_THREADS": str(threads),
    }
    command = [str(Path(sys.executable).with_name("dbt")), "run", "--target-path", str(target)]
    if select:
        command += ["--select", *select]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=settings.dbt_project_dir)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"dbt run failed:\n{result.stdout[-3000:]}")
    return seconds, cpu, target


def models_span(target: Path) -> float:
    """Seconds from the first model's start to the last one's end in a run: what the models add to a run that
    has already started (dbt's own start and parse are paid once by the monthly run, whatever it holds)."""
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    moments = [
        dt.datetime.fromisoformat(step[key].replace("Z", "+00:00"))
        for result in results["results"]
        for step in result.get("timing", [])
        for key in ("started_at", "completed_at")
        if step.get(key)
    ]
    return (max(moments) - min(moments)).total_seconds() if moments else 0.0


def model_times(target: Path) -> tuple[dict[str, float], float]:
    """Seconds of each model tagged losses or collection, and of all models, from the run's results."""
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    ours: dict[str, float] = {}
    total = 0.0
    for result in results["results"]:
        node = manifest["nodes"].get(result["unique_id"], {})
        seconds = float(result.get("execution_time") or 0.0)
        total += seconds
        if set(node.get("tags", [])) & set(TAGS):
            ours[node["name"]] = round(seconds, 2)
    return dict(sorted(ours.items(), key=lambda item: -item[1])), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end-month", default="2026-10")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--home", type=Path, default=None, help="Folder of the utility (generated there when empty)")
    parser.add_argument("--keep", action="store_true", help="Keep the generated utility")
    parser.add_argument(
        "--built",
        action="store_true",
        help="The home's warehouse is already built (e.g. by pipeline_stages.py --keep): time these models alone",
    )
    args = parser.parse_args()

    home = (args.home or Path(tempfile.mkdtemp(prefix="yeelen-losses-"))).resolve()
    os.environ["YEELEN_HOME"] = str(home)
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        # A home without a generated utility gets one; an existing one is measured as it is.
        existing = (home / "demo" / "generation.json").exists()
        steps = {} if existing else prepare(home, args.customers, args.months, args.seed, args.end_month)
        if args.built:
            wall, ours, total = None, {}, None
        else:
            wall, _, target = run_models(home, args.threads)
            ours, total = model_times(target)
        # The same models again, alone: what they add to a run, in wall time and in CPU seconds.
        alone_wall, alone_cpu, alone_target = run_models(home, args.threads, tuple(f"tag:{tag}" for tag in TAGS))
        alone, _ = model_times(alone_target)
        span = models_span(alone_target)
        ours = ours or alone
        load = os.getloadavg()[0]
    finally:
        if args.home is None and not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    # A utility measured as it is: its own size and history, from the generator's record.
    customers, months = args.customers, args.months
    if args.home:
        generation = home / "demo" / "generation.json"
        if generation.exists():
            record = json.loads(generation.read_text(encoding="utf-8"))
            customers, months = record["customers"], record["months"]
    losses = sum(ours.values())
    print(f"\nLoss, suspect and collection models, {customers:,} customers x {months} months")
    print(f"({os.cpu_count()} cores)")
    for name, seconds in ours.items():
        print(f"  {name:<40}{seconds:>8.2f} s")
    print(f"  {'total of these models':<40}{losses:>8.2f} s")
    if total is not None:
        print(f"  {'all models (sum of execution times)':<40}{total:>8.2f} s; dbt run wall time {wall:.1f} s")
    print(
        f"  these models alone: {sum(alone.values()):.1f} s of model time, {alone_wall:.1f} s wall, "
        f"{alone_cpu:.1f} s CPU (dbt's own start included; load average {load:.1f})"
    )
    print(f"  added to a run (first model's start to last model's end): {span:.1f} s")
    output = ROOT / "benchmarks" / "results" / f"losses_models_{customers}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "customers": customers,
                "months": months,
                "cores": os.cpu_count(),
                "threads": args.threads,
                "machine": platform.platform(),
                "steps_seconds": {name: round(seconds, 1) for name, seconds in steps.items()},
                "models_seconds": ours,
                "losses_and_collection_seconds": round(losses, 2),
                "all_models_seconds": None if total is None else round(total, 2),
                "dbt_run_wall_seconds": None if wall is None else round(wall, 1),
                "alone_models_seconds": alone,
                "alone_model_time_seconds": round(sum(alone.values()), 2),
                "alone_wall_seconds": round(alone_wall, 1),
                "alone_models_span_seconds": round(span, 1),
                "alone_cpu_seconds": round(alone_cpu, 1),
                "load_average": round(load, 2),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {output}")


if __name__ == "__main__":
    main()
