"""Jobs of the billing cycle, one run per period (partition) and, for the issue, per batch."""

import dagster as dg

from orchestration.defs.billing.assets import billing_batches, billing_invoices, billing_simulations
from orchestration.defs.billing.partitions import billing_months
from orchestration.defs.eservices.assets import invoice_notifications
from orchestration.defs.warehouse.assets import published_marts
from orchestration.policies import WAREHOUSE_JOB_TAGS

open_batches_job = dg.define_asset_job(
    name="billing_open_batches",
    selection=dg.AssetSelection.assets(billing_batches),
    partitions_def=billing_months,
    description="Open the period's batches of the reading rounds named in the run's config.",
)

simulation_job = dg.define_asset_job(
    name="billing_simulation",
    # Ingest everything (the raw tables land together), build the billing models and what they read, publish, then
    # store the period's simulation with its controls.
    selection=(
        dg.AssetSelection.groups("ingestion")
        | dg.AssetSelection.groups("billing").upstream()
        | dg.AssetSelection.assets(published_marts, billing_simulations)
    ),
    partitions_def=billing_months,
    description="Ingest, compute the period's bills (dbt), store them as drafts, run the controls.",
    tags=WAREHOUSE_JOB_TAGS,
)

issue_job = dg.define_asset_job(
    name="billing_issue",
    selection=dg.AssetSelection.assets(billing_invoices, invoice_notifications),
    partitions_def=billing_months,
    description="Issue approved batches of the period as invoices and queue their e-bills and SMS.",
)


@dg.definitions
def billing_jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[open_batches_job, simulation_job, issue_job])
