"""Freshness of each operational table as the warehouse holds it: when ingestion last read it."""

import datetime as dt

import dagster as dg

from orchestration.defs.ingestion.assets import RAW_TABLES
from orchestration.resources import YeelenSettingsResource

# Payments and cash land every few minutes and the whole pipeline runs nightly: a day without ingestion is late,
# three days (the dbt sources' error_after) is a failure.
WARN_AFTER_HOURS = 26
ERROR_AFTER_HOURS = 72


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            "ingested_recently",
            asset=["raw", name],
            description=f"Ingestion read `{name}` in the last {WARN_AFTER_HOURS} hours.",
        )
        for name in RAW_TABLES
    ],
    can_subset=True,
)
def raw_tables_fresh(context: dg.AssetCheckExecutionContext, yeelen: YeelenSettingsResource):
    """One check per raw table: the age of the last ingestion run, and the newest change the table holds."""
    from yeelen.errors import StoreUnavailableError
    from yeelen.quality import raw_freshness

    try:
        freshness = raw_freshness(yeelen.settings())
        problem = None
    except (StoreUnavailableError, OSError) as error:
        freshness, problem = {}, str(error)
    now = dt.datetime.now(dt.UTC)
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    for name in RAW_TABLES:
        if dg.AssetKey(["raw", name]) not in selected:
            continue
        item = freshness.get(name)
        age = item.age_hours(now) if item else None
        if age is None:
            passed, severity = False, dg.AssetCheckSeverity.ERROR
        else:
            passed = age <= WARN_AFTER_HOURS
            severity = dg.AssetCheckSeverity.WARN if age <= ERROR_AFTER_HOURS else dg.AssetCheckSeverity.ERROR
        yield dg.AssetCheckResult(
            asset_key=["raw", name],
            check_name="ingested_recently",
            passed=passed,
            severity=severity,
            description=problem or (None if age is not None else "never ingested"),
            metadata={
                "last_ingestion": str(item.last) if item and item.last else "never",
                "age_hours": round(age, 2) if age is not None else -1.0,
                "newest_change": str(item.newest_row) if item and item.newest_row else "none",
            },
        )
