"""Resources bound for the whole code location."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.transform.project import dbt_cli_resource
from orchestration.resources import YeelenSettingsResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"yeelen": YeelenSettingsResource(), "dbt": dbt_cli_resource()})
