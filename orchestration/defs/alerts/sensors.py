"""E-mails to the data team: a run that failed (which steps, why, a link to it), and checks that failed.

Checks of severity ERROR that fail are e-mailed; warnings (alerts on draft bills, a quarantine still young, a
source late by a day) stay in Dagster's UI for the people who act on them.
"""

import dagster as dg

from orchestration.defs.alerts.resources import AlertsResource
from orchestration.policies import sensor_status
from orchestration.resources import YeelenSettingsResource


def _text(value: object) -> str:
    """A metadata value as a person reads it: JSON for structures."""
    import json

    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict | list) else str(value)


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text and text.strip() else ""


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=sensor_status(),
    description="E-mail the data team when a run fails: the job, the failed steps and their errors, a link.",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext, yeelen: YeelenSettingsResource, alerts: AlertsResource):
    from yeelen.notifications.alerts import run_link

    settings = yeelen.settings()
    run = context.dagster_run
    lines = [
        f"Job: {run.job_name}",
        f"Run: {run.run_id}",
        f"Partition: {run.tags.get('dagster/partition', '-')}",
        f"Link: {run_link(settings, run.run_id)}",
        "",
        f"Failure: {_first_line(context.failure_event.message)}",
    ]
    for event in context.get_step_failure_events():
        error = getattr(event.event_specific_data, "error", None)
        cause = getattr(error, "cause", None)
        lines.append(f"- step {event.step_key}: {_first_line(getattr(error, 'message', None) or event.message)}")
        if cause is not None:
            lines.append(f"  cause: {_first_line(getattr(cause, 'message', None))}")
    alerts.send(settings, f"Run failed: {run.job_name} ({run.run_id[:8]})", "\n".join(lines) + "\n")


@dg.sensor(
    name="alert_on_check_failure",
    minimum_interval_seconds=60,
    default_status=sensor_status(),
    description="E-mail the data team the checks of severity ERROR that failed in the runs finished since.",
)
def alert_on_check_failure(context: dg.SensorEvaluationContext, yeelen: YeelenSettingsResource, alerts: AlertsResource):
    import datetime as dt
    import json

    from yeelen.notifications.alerts import run_link

    # Runs, not events, are followed: event storage may be sharded by run (the local instance), and a run's checks
    # are all known once it has finished.
    after = json.loads(context.cursor)["after"] if context.cursor else None
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED],
            updated_after=dt.datetime.fromisoformat(after) if after else None,
        ),
        limit=200,
        ascending=True,
    )
    if not records:
        return dg.SkipReason("no run finished since the last look")
    settings = yeelen.settings()
    failed = []
    for record in records:
        run_id = record.dagster_run.run_id
        for entry in context.instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
            evaluation = entry.dagster_event.event_specific_data
            if evaluation.passed or evaluation.severity != dg.AssetCheckSeverity.ERROR:
                continue
            metadata = {
                key: _text(getattr(value, "value", value)) for key, value in (evaluation.metadata or {}).items()
            }
            failed.append(
                f"- {evaluation.asset_key.to_user_string()} / {evaluation.check_name}"
                + (f": {evaluation.description}" if evaluation.description else "")
                + f"\n  run {run_link(settings, run_id)}"
                + "".join(f"\n  {key}: {value}" for key, value in list(metadata.items())[:12])
            )
    newest = max(record.update_timestamp for record in records)
    context.update_cursor(json.dumps({"after": newest.isoformat()}))
    if not failed:
        return dg.SkipReason(f"{len(records)} run(s) finished, no check of severity ERROR failed")
    alerts.send(settings, f"{len(failed)} check(s) failed", "These checks failed:\n\n" + "\n".join(failed) + "\n")
    return dg.SkipReason(f"{len(failed)} failed check(s) e-mailed")
