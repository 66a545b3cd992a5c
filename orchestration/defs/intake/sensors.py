"""The inbox sensor: every settled file dropped in a kind's folder launches one run that takes it."""

import dagster as dg

from orchestration.defs.intake.assets import INTAKE_ASSETS, intake_job
from orchestration.policies import sensor_status
from orchestration.resources import YeelenSettingsResource


@dg.sensor(
    name="inbox",
    job=intake_job,
    minimum_interval_seconds=30,
    default_status=sensor_status(),
    description="Take each file dropped in the inbox (readings/, bank/, mobile_money/, prepaid/), once.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, yeelen: YeelenSettingsResource):
    from yeelen.intake.inbox import pending_files

    pending = pending_files(yeelen.settings())
    if not pending:
        return dg.SkipReason("the inbox is empty")
    return [
        dg.RunRequest(
            # A file replaced or touched gets a new key; the same content is still taken once (by its hash).
            run_key=item.key,
            asset_selection=[INTAKE_ASSETS[item.folder].key],
            run_config={"ops": {INTAKE_ASSETS[item.folder].op.name: {"config": {"path": str(item.path)}}}},
            tags={"yeelen/file": item.path.name},
        )
        for item in pending
    ]
