"""Checks on what the warehouse publishes: energy balances complete for every metered piece of the network."""

import dagster as dg

from orchestration.defs.warehouse.assets import published_marts
from orchestration.resources import YeelenSettingsResource


@dg.asset_check(
    asset=published_marts,
    name="loss_balances_complete",
    description=(
        "Every transformer, feeder and water district with a network meter has its energy balances "
        "(marts.fct_energy_balance), month after month, with delivered energy and loss."
    ),
)
def loss_balances_complete(context: dg.AssetCheckExecutionContext, yeelen: YeelenSettingsResource):
    from yeelen.quality import loss_balances

    result = loss_balances(yeelen.settings())
    if not result.built:
        return dg.AssetCheckResult(passed=True, description="no balance built yet", metadata={"built": False})
    return dg.AssetCheckResult(
        passed=result.complete,
        metadata={
            "built": True,
            "balances": result.balances,
            "equipment": result.equipment,
            "metered_equipment_without_balance": dg.MetadataValue.json(result.missing_equipment[:100]),
            "months_missing": dg.MetadataValue.json(result.gaps[:100]),
            "without_delivered_or_loss": result.incomplete,
            "untrusted_by_issue": dg.MetadataValue.json(result.untrusted),
        },
    )
