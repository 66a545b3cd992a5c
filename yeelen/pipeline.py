"""Running the pipeline (ingest, dbt build, publish) as a Dagster job, recorded where Dagster's UI shows it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from yeelen.errors import YeelenError
from yeelen.settings import Settings

PIPELINE_JOB = "yeelen_pipeline"


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


def run_job(
    settings: Settings,
    job_name: str = PIPELINE_JOB,
    run_config: dict | None = None,
    progress: Callable[[str], None] | None = None,
) -> PipelineOutcome:
    """Execute a job of the code location in this process, recorded in the product's Dagster instance."""
    import dagster as dg

    from orchestration.definitions import defs
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
        with dg.DagsterInstance.get() as instance:
            result = job.execute_in_process(instance=instance, run_config=run_config or {}, raise_on_error=False)
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
    settings: Settings, progress: Callable[[str], None] | None = None, full_ingestion: bool = False
) -> PipelineOutcome:
    """Ingest, build and publish; raise a clear error naming the failed steps."""
    run_config: dict = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    if full_ingestion:
        run_config["ops"] = {"raw_tables_landed": {"config": {"full": True}}}
    outcome = run_job(settings, PIPELINE_JOB, run_config=run_config, progress=progress)
    if not outcome.success:
        details = "\n  ".join(outcome.failures) or "see the run in Dagster's UI"
        raise YeelenError(f"The pipeline run {outcome.run_id} failed:\n  {details}")
    return outcome
