"""`yeelen pipeline run` and the daemon's queue: a run started from the command waits its turn on the warehouse
like the queued ones (the queue counts the command's run; the command checks the queue's)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import dagster as dg
import pytest

from orchestration.policies import WAREHOUSE_TAGS
from yeelen.cli import main
from yeelen.pipeline import (
    BOOT_TAG,
    HOST_TAG,
    PID_TAG,
    WarehouseBusyError,
    prepare_dagster_home,
    process_tags,
    run_pipeline,
    wait_for_the_warehouse,
    warehouse_runs_in_progress,
)
from yeelen.settings import Settings


def _run(instance: dg.DagsterInstance, job_name: str, status: dg.DagsterRunStatus, tags: dict) -> dg.DagsterRun:
    """A run recorded in the instance as another process (the daemon, the UI) would have it."""
    run = dg.DagsterRun(job_name=job_name, status=status, tags=tags)
    instance.add_run(run)
    return run


@pytest.fixture
def instance(settings: Settings):
    prepare_dagster_home(settings)
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as opened:
        yield opened


def test_a_run_holding_the_warehouse_stops_the_pipeline_command_before_it_starts(settings, instance, capsys) -> None:
    _run(instance, "quality_checks", dg.DagsterRunStatus.SUCCESS, WAREHOUSE_TAGS)  # ended: holds nothing
    _run(instance, "send_notifications", dg.DagsterRunStatus.STARTED, {})  # does not open the warehouse
    assert warehouse_runs_in_progress(settings) == []
    holder = _run(instance, "billing_simulation", dg.DagsterRunStatus.STARTED, WAREHOUSE_TAGS)

    [busy] = warehouse_runs_in_progress(settings)
    assert (busy.run_id, busy.job_name) == (holder.run_id, "billing_simulation")
    with pytest.raises(WarehouseBusyError) as refused:
        run_pipeline(settings)
    assert holder.run_id in str(refused.value) and "billing_simulation" in str(refused.value)
    assert "--wait" in str(refused.value)
    # Nothing was started: the instance holds the three runs above and no pipeline run.
    jobs = {run.job_name for run in instance.get_runs()}
    assert jobs == {"quality_checks", "send_notifications", "billing_simulation"}

    assert main(["pipeline", "run"]) == 2
    assert f"in use by run {holder.run_id} of billing_simulation" in capsys.readouterr().err
    # The commands that write the warehouse outside a job take their turn too; nothing was written.
    for command in (["ingest", "run"], ["warehouse", "publish"]):
        assert main(command) == 2
        assert f"in use by run {holder.run_id} of billing_simulation" in capsys.readouterr().err
    assert not settings.warehouse_path.exists() and not settings.published_path.exists()


def test_waiting_for_the_warehouse_returns_when_the_holding_run_ends(settings, instance) -> None:
    holder = _run(instance, "yeelen_pipeline", dg.DagsterRunStatus.STARTED, WAREHOUSE_TAGS)
    said: list[str] = []

    def end_the_run() -> None:
        time.sleep(0.5)
        instance.report_run_failed(instance.get_run_by_id(holder.run_id))

    ender = threading.Thread(target=end_the_run)
    ender.start()
    started = time.monotonic()
    wait_for_the_warehouse(settings, wait=True, progress=said.append, poll_seconds=0.05)
    ender.join()
    assert time.monotonic() - started >= 0.5
    assert instance.get_run_by_id(holder.run_id).status == dg.DagsterRunStatus.FAILURE
    # Said once, not at every look (the run was recorded without a start event: no start time to give).
    assert said == [f"waiting for run {holder.run_id} of yeelen_pipeline to finish ..."]
    assert warehouse_runs_in_progress(settings) == []


def test_a_run_whose_command_was_killed_or_whose_machine_restarted_holds_nothing(settings, instance) -> None:
    """A `yeelen` command killed outright (kill -9, a power cut) leaves its run "started": its process is gone, and
    the next command marks the run failed instead of waiting for it."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone_pid = ended.stdout.strip()
    here = process_tags()
    killed = _run(
        instance, "yeelen_pipeline", dg.DagsterRunStatus.STARTED, {**WAREHOUSE_TAGS, **here, PID_TAG: gone_pid}
    )
    # The same process id, alive now, but given before the machine restarted.
    before_restart = _run(
        instance,
        "billing_simulation",
        dg.DagsterRunStatus.STARTED,
        {**WAREHOUSE_TAGS, **here, BOOT_TAG: "an-earlier-boot"},
    )
    assert warehouse_runs_in_progress(settings) == []
    for run in (killed, before_restart):
        assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
        [failure] = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert f"The process {run.tags[PID_TAG]} that ran this run has ended without finishing it" in failure.message

    # A live process, or a process of another machine (which cannot be looked at from here), still holds it.
    alive = _run(instance, "yeelen_pipeline", dg.DagsterRunStatus.STARTED, {**WAREHOUSE_TAGS, **here})
    elsewhere = _run(
        instance,
        "yeelen_pipeline",
        dg.DagsterRunStatus.STARTED,
        {**WAREHOUSE_TAGS, **here, HOST_TAG: f"not-{here[HOST_TAG]}", PID_TAG: gone_pid},
    )
    assert {run.run_id for run in warehouse_runs_in_progress(settings)} == {alive.run_id, elsewhere.run_id}
