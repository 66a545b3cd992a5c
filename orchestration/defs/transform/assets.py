"""dbt models as Dagster assets; dbt tests appear as asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.defs.transform.project import dbt_project
from yeelen.settings import get_settings
from yeelen.transform import dbt_environment_applied


class YeelenDbtTranslator(DagsterDbtTranslator):
    """Keys and groups follow the dbt folders: ``<layer>/<model>``, grouped by layer or mart domain."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # Sources are the raw tables that ingestion lands.
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        fqn = dbt_resource_props["fqn"]
        layer = fqn[1] if len(fqn) > 2 else "models"
        return dg.AssetKey([layer, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props["fqn"]
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if len(fqn) > 3 and fqn[1] == "marts":
            return fqn[2]
        return fqn[1] if len(fqn) > 2 else None


translator = YeelenDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project().manifest_path, project=dbt_project(), dagster_dbt_translator=translator)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build the selected dbt models and run their tests."""
    args = ["build"]
    if context.is_subset:
        # A job building part of the project (a period's billing) runs the tests of what it builds, not the tests
        # that also read models it leaves alone (they may not exist yet on a new warehouse).
        args += ["--indirect-selection", "cautious"]
    # The dbt subprocess and Dagster's handle on the adapter read the profile's variables when the invocation
    # starts; they are not left in this process's environment for whatever runs next.
    with dbt_environment_applied(get_settings()):
        invocation = dbt.cli(args, context=context)
    yield from invocation.stream()
