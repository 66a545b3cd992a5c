"""The Dagster code location loads, and its pipeline runs end to end on a tiny utility."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.definitions import defs
from orchestration.policies import WAREHOUSE_TAGS
from yeelen.demo import generate
from yeelen.launcher import load_tariffs
from yeelen.pipeline import process_tags, run_pipeline


def test_definitions_load_with_every_domain() -> None:
    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    keys = {key.to_user_string() for key in definitions.resolve_all_asset_keys()}
    assert {
        "raw/reading",
        "raw/contract",
        "staging/stg_operational__readings",
        "marts/fct_consumption",
        "marts/fct_draft_bills",
        "published/marts",
        "operational/demo_utility",
    } <= keys
    jobs = {job.name for job in definitions.jobs}
    assert {"yeelen_pipeline", "demo_utility_job"} <= jobs
    pipeline = definitions.resolve_job_def("yeelen_pipeline")
    assert "operational/demo_utility" not in {
        key.to_user_string() for key in pipeline.asset_layer.executable_asset_keys
    }
    check_keys = definitions.resolve_asset_graph().asset_check_keys
    checks = {key.name for key in check_keys}
    assert any(name.startswith("unique_stg_operational__readings") for name in checks), "dbt tests are checks"
    # The reconciliations that read several models are checks of the model they are about, not loose observations.
    attached = {key.name: key.asset_key.to_user_string() for key in check_keys}
    assert {
        "assert_bill_total_equals_sum_of_lines": "marts/fct_draft_bills",
        "assert_every_contract_of_a_batch_is_decided": "marts/fct_draft_bills",
        "assert_issued_invoices_equal_their_lines": "staging/stg_operational__invoices",
        "assert_ledger_balance_reconciles": "marts/rpt_account_balances",
        "assert_energy_balance_adds_up": "marts/fct_energy_balance",
        "assert_quantiles_rank_as_they_aggregate": "marts/fct_consumption",
    }.items() <= attached.items()


def test_the_code_location_loads_the_dbt_project_the_settings_name(yeelen_home, tmp_path) -> None:
    """YEELEN_DBT_PROJECT_DIR points the pipeline at a utility's own copy of the project, Dagster included."""
    project = tmp_path / "utility_dbt"
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    (project / "models" / "marts" / "billing" / "rpt_utility_own_report.sql").write_text("select 1 as one\n")
    code = (
        "from orchestration.definitions import defs\n"
        "print(sorted(key.to_user_string() for key in defs().resolve_all_asset_keys()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "YEELEN_DBT_PROJECT_DIR": str(project)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "marts/rpt_utility_own_report" in result.stdout
    assert "marts/fct_draft_bills" in result.stdout
    assert (project / "target" / "dagster" / "manifest.json").is_file()


def test_every_job_that_opens_the_warehouse_queues_behind_the_others() -> None:
    definitions = defs()
    tagged = {job.name for job in definitions.jobs if WAREHOUSE_TAGS.items() <= dict(job.tags or {}).items()}
    assert tagged == {"yeelen_pipeline", "billing_simulation", "ingest_operational", "quality_checks"}
    # Each is stopped by the daemon's run monitoring past its maximum runtime, so a dead or hung run frees the turn.
    for name in tagged:
        assert definitions.resolve_job_def(name).tags["dagster/max_runtime"] == str(3 * 60 * 60)
    # What they schedule at the same minute: the nightly refresh and the five-minute ingestion, both at 02:00.
    crons = {schedule.job_name: schedule.cron_schedule for schedule in definitions.schedules}
    assert crons["yeelen_pipeline"] == "0 2 * * *" and crons["ingest_operational"] == "*/5 * * * *"


def test_dbt_groups_follow_the_folders() -> None:
    definitions = defs()
    graph = definitions.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["staging/stg_operational__contracts"] == "staging"
    assert groups["marts/fct_draft_bills"] == "billing"
    assert groups["marts/dim_transformers"] == "network"
    assert groups["raw/reading"] == "ingestion"


def test_the_pipeline_runs_in_process_on_a_tiny_utility(settings) -> None:
    generate(
        str(settings.operational_url), customers=300, months=4, seed=2, end_month="2026-06", demo_dir=settings.demo_dir
    )
    load_tariffs(settings, lambda message: None)
    environment = dict(os.environ)
    outcome = run_pipeline(settings, full_ingestion=True)
    assert outcome.success
    # The run leaves the process's environment as it found it: a warehouse path or home left behind would point the
    # next utility's settings read in this process at this one's stores.
    assert dict(os.environ) == environment
    with duckdb.connect(str(settings.published_path), read_only=True) as connection:
        transformers = connection.execute("select count(*) from marts.dim_transformers").fetchone()[0]
        contracts = connection.execute("select sum(active_contracts) from marts.dim_transformers").fetchone()[0]
        months = connection.execute(
            "select count(distinct month) from marts.rpt_consumption_by_agency_month"
        ).fetchone()
    assert transformers >= 2
    assert contracts > 200
    assert months[0] >= 3
    # A second run finds nothing new to ingest and still succeeds.
    assert run_pipeline(settings).success
    # Both runs are in the product's instance, with the warehouse's tag (the daemon's queue counts them) and the
    # machine and process that ran them (a run whose process is gone holds nothing).
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        runs = instance.get_runs()
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
    for run in runs:
        assert WAREHOUSE_TAGS.items() <= run.tags.items()
        assert process_tags().items() <= run.tags.items()
        assert run.tags["yeelen/pid"] == str(os.getpid())
