"""The Dagster code location of Yeelen: every domain under ``orchestration/defs/`` loaded as one ``Definitions``."""

from __future__ import annotations

import dagster as dg

import orchestration.defs


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_defs(defs_root=orchestration.defs)
