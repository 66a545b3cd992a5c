"""Every hour, the product's own checks run on their own: sources' freshness, quarantine, ledger, balances."""

import dagster as dg

from orchestration.defs.ingestion.checks import raw_tables_fresh
from orchestration.defs.intake.checks import intake_health
from orchestration.defs.transform.checks import ledger_matches_operational
from orchestration.defs.warehouse.checks import loss_balances_complete
from orchestration.policies import WAREHOUSE_JOB_TAGS, schedule_status

checks_job = dg.define_asset_job(
    name="quality_checks",
    selection=dg.AssetSelection.checks(
        raw_tables_fresh, intake_health, ledger_matches_operational, loss_balances_complete
    ),
    description="Freshness of every source, quarantine waiting, ledger against the warehouse, energy balances.",
    tags=WAREHOUSE_JOB_TAGS,
)

checks_schedule = dg.ScheduleDefinition(
    name="quality_checks_hourly", job=checks_job, cron_schedule="15 * * * *", default_status=schedule_status()
)


@dg.definitions
def quality_schedules() -> dg.Definitions:
    return dg.Definitions(jobs=[checks_job], schedules=[checks_schedule])
