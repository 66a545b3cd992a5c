"""The read-only copy of the marts that the apps read, swapped in after each successful build."""

import dagster as dg

from orchestration.defs.transform.assets import dbt_models
from orchestration.resources import YeelenSettingsResource
from yeelen.warehouse.publish import publish_marts


@dg.asset(
    key=["published", "marts"],
    group_name="publication",
    deps=[dbt_models],
    description="Read-only copy of every mart table, swapped in atomically for the dashboards.",
)
def published_marts(context: dg.AssetExecutionContext, yeelen: YeelenSettingsResource) -> dg.MaterializeResult:
    report = publish_marts(yeelen.settings())
    if not report.published:
        context.log.info(report.reason)
    return dg.MaterializeResult(
        metadata={
            "published": report.published,
            "tables": len(report.tables),
            "rows": report.rows,
            "seconds": round(report.seconds, 2),
            "path": str(report.path or ""),
        }
    )
