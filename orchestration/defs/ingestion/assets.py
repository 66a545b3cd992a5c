"""The raw tables of the warehouse, landed from the operational database in one atomic run."""

import dagster as dg

from ingestion import run_ingestion
from ingestion.schema import raw_tables
from orchestration.resources import YeelenSettingsResource

RAW_TABLES = [table.name for table in raw_tables()]


class IngestionConfig(dg.Config):
    full: bool = False  # read every row, not only the recent window (after a bulk load of history)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", name],
            group_name="ingestion",
            description=f"Every version of the operational table `{name}` that ingestion saw.",
            kinds={"duckdb", "sqlite"},
        )
        for name in RAW_TABLES
    ],
    can_subset=False,
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
)
def raw_tables_landed(context: dg.AssetExecutionContext, config: IngestionConfig, yeelen: YeelenSettingsResource):
    """Land new and changed operational rows in the warehouse's raw schema (one transaction for every table)."""
    report = run_ingestion(yeelen.settings(), progress=context.log.info, full=config.full)
    rows = report.rows
    for name in RAW_TABLES:
        yield dg.MaterializeResult(
            asset_key=["raw", name],
            metadata={
                "rows_loaded": dg.MetadataValue.int(rows.get(name, 0)),
                "batch_id": dg.MetadataValue.text(report.batch_id),
            },
        )
    context.log.info(f"batch {report.batch_id}: {report.rows_loaded} rows in {report.duration_seconds:.1f} s")
