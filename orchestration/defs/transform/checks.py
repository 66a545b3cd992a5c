"""Checks beside the marts they guard: the warehouse's accounts against the operational ledger."""

import dagster as dg

from orchestration.resources import YeelenSettingsResource


@dg.asset_check(
    asset=dg.AssetKey(["marts", "rpt_account_balances"]),
    name="ledger_matches_operational",
    description=(
        "The customers' balances per agency in the warehouse equal the operational ledger as of the ingestion they "
        "were built from (entries written since are not counted against it)."
    ),
)
def ledger_matches_operational(context: dg.AssetCheckExecutionContext, yeelen: YeelenSettingsResource):
    import datetime as dt

    from yeelen.quality import ledger_by_agency

    # The marts were built from the ingestion that finished before their last materialization.
    event = context.instance.get_latest_materialization_event(dg.AssetKey(["marts", "rpt_account_balances"]))
    built_at = dt.datetime.fromtimestamp(event.timestamp, dt.UTC) if event else None
    comparison = ledger_by_agency(yeelen.settings(), built_at)
    differences = comparison.differences
    return dg.AssetCheckResult(
        passed=not differences,
        metadata={
            "as_of": str(comparison.as_of) if comparison.as_of else "all entries",
            "agencies": len(set(comparison.operational) | set(comparison.warehouse)),
            "operational_total": sum(comparison.operational.values()),
            "warehouse_total": sum(comparison.warehouse.values()),
            "differences": dg.MetadataValue.json(
                {
                    str(agency): {"operational": ours, "warehouse": theirs, "difference": ours - theirs}
                    for agency, (ours, theirs) in differences.items()
                }
            ),
        },
        description="Accounts changed behind the warehouse's back" if differences else None,
    )
