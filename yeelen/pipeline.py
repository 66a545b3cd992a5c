"""Running the pipeline (ingest, dbt build, publish) as a Dagster job, recorded where Dagster's UI shows it."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from yeelen.errors import YeelenError
from yeelen.settings import Settings

PIPELINE_JOB = "yeelen_pipeline"
# A run started by a `yeelen` command names its machine and process: if that process is gone, so is the run.
HOST_TAG = "yeelen/host"
BOOT_TAG = "yeelen/boot"
PID_TAG = "yeelen/pid"


@dataclass
class PipelineOutcome:
    run_id: str
    success: bool
    failures: list[str] = field(default_factory=list)


def prepare_dagster_home(settings: Settings) -> None:
    """Create the product's own Dagster instance folder, so runs started here appear in its UI."""
    settings.ensure_home()
    home = settings.dagster_home
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")


class WarehouseBusyError(YeelenError):
    """Another run holds the warehouse: one job writes it at a time."""


@dataclass(frozen=True)
class WarehouseRun:
    run_id: str
    job_name: str
    started_at: dt.datetime | None


def warehouse_runs_in_progress(settings: Settings) -> list[WarehouseRun]:
    """The runs of the product's Dagster instance that hold the warehouse now (jobs tagged ``yeelen/warehouse``),
    whoever started them: the daemon's queue, Dagster's UI or another ``yeelen`` command."""
    if not (settings.dagster_home / "dagster.yaml").exists():
        return []
    import dagster as dg

    from orchestration.policies import WAREHOUSE_TAGS

    statuses = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
    runs = []
    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        for record in instance.get_run_records(filters=dg.RunsFilter(statuses=statuses, tags=WAREHOUSE_TAGS)):
            run = record.dagster_run
            if _process_ended(run.tags):
                # A command killed outright (kill -9, power cut) leaves its run "started": it holds nothing.
                instance.report_run_failed(
                    run,
                    message=f"The process {run.tags[PID_TAG]} that ran this run has ended without finishing it "
                    "(killed, or the machine restarted).",
                )
                continue
            started = dt.datetime.fromtimestamp(record.start_time, dt.UTC) if record.start_time else None
            runs.append(WarehouseRun(run.run_id, run.job_name, started))
    return runs


def _boot_id() -> str:
    """The identifier of this machine's current boot (Linux), empty where there is none."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def process_tags() -> dict[str, str]:
    """What a run started here says of where it runs: machine, boot and process."""
    return {HOST_TAG: socket.gethostname(), BOOT_TAG: _boot_id(), PID_TAG: str(os.getpid())}


def _process_ended(tags: dict[str, str]) -> bool:
    """Whether a run started by a `yeelen` command on this machine has lost its process: the machine restarted
    since (a power cut), or the process is no longer there (kill -9)."""
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return False  # another machine's: it cannot be looked at from here
    boot = _boot_id()
    if boot and tags.get(BOOT_TAG) and tags[BOOT_TAG] != boot:
        return True
    try:
        os.kill(int(tags[PID_TAG]), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


def wait_for_the_warehouse(
    settings: Settings, wait: bool, progress: Callable[[str], None] | None = None, poll_seconds: float = 5.0
) -> None:
    """Return once no other run holds the warehouse; without ``wait``, refuse at once, naming the run."""
    announced: set[str] = set()
    while runs := warehouse_runs_in_progress(settings):
        run = runs[0]
        since = f" since {run.started_at:%Y-%m-%d %H:%M} UTC" if run.started_at else ""
        if not wait:
            raise WarehouseBusyError(
                f"The warehouse is in use by run {run.run_id} of {run.job_name}{since}: one job writes it at a time. "
                "Wait for that run to finish (--wait waits for it), or start this job from Dagster's UI, where it "
                "waits in the queue. If that run is no longer running, terminate it in Dagster's UI."
            )
        if progress and run.run_id not in announced:
            progress(f"waiting for run {run.run_id} of {run.job_name}{since} to finish ...")
            announced.add(run.run_id)
        time.sleep(poll_seconds)


def run_job(
    settings: Settings,
    job_name: str = PIPELINE_JOB,
    run_config: dict | None = None,
    progress: Callable[[str], None] | None = None,
    wait: bool = False,
) -> PipelineOutcome:
    """Execute a job of the code location in this process, recorded in the product's Dagster instance.

    A job that opens the warehouse starts only when no other run holds it: the daemon's queue counts this run
    while it goes (it is in the same instance, with the same tag), and this checks the other way round.
    """
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.policies import WAREHOUSE_TAGS
    from yeelen.transform import environment_applied

    prepare_dagster_home(settings)
    # The job's resources read the settings from the environment; what is set for the run is put back after it, so
    # nothing run later in this process inherits this utility's home.
    environment = {
        "DAGSTER_HOME": str(settings.dagster_home),
        "YEELEN_HOME": os.environ.get("YEELEN_HOME") or str(settings.home),
    }
    with environment_applied(environment):
        definitions = defs()
        job = definitions.resolve_job_def(job_name)
        if WAREHOUSE_TAGS.items() <= dict(job.tags).items():
            wait_for_the_warehouse(settings, wait, progress)
        with dg.DagsterInstance.get() as instance:
            result = job.execute_in_process(
                instance=instance,
                run_config=run_config or {},
                raise_on_error=False,
                tags=process_tags(),
            )
    failures = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            data = event.event_specific_data
            error = getattr(data, "error", None)
            message = getattr(error, "message", None) or event.message or ""
            failures.append(f"{event.step_key}: {message.strip().splitlines()[0] if message else 'failed'}")
    if progress:
        progress(f"run {result.run_id}: {'success' if result.success else 'failed'}")
    return PipelineOutcome(run_id=result.run_id, success=result.success, failures=failures)


def run_pipeline(
    settings: Settings,
    progress: Callable[[str], None] | None = None,
    full_ingestion: bool = False,
    wait: bool = False,
) -> PipelineOutcome:
    """Ingest, build and publish; raise a clear error naming the failed steps (or the run holding the warehouse)."""
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if full_ingestion:
        run_config["ops"] = {"raw_tables_landed": {"config": {"full": True}}}
    outcome = run_job(settings, PIPELINE_JOB, run_config=run_config, progress=progress, wait=wait)
    if not outcome.success:
        details = "\n  ".join(outcome.failures) or "see the run in Dagster's UI"
        raise YeelenError(f"The pipeline run {outcome.run_id} failed:\n  {details}")
    return outcome
