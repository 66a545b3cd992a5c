"""Jobs of the code location."""

from __future__ import annotations

import dagster as dg

from orchestration.policies import WAREHOUSE_JOB_TAGS

pipeline_job = dg.define_asset_job(
    name="yeelen_pipeline",
    # The period's billing steps, the inbox and e-services run in jobs of their own (partitioned, or one file).
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("demo", "billing_cycle", "intake", "eservices"),
    description="Ingest the operational database, build every dbt model and test, publish the marts.",
    tags=WAREHOUSE_JOB_TAGS,
)

demo_job = dg.define_asset_job(
    name="demo_utility_job",
    selection=dg.AssetSelection.groups("demo"),
    description="Generate the demo utility into the operational database (replaces its content).",
)


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[pipeline_job, demo_job])
