"""Fixtures of the warehouse tests: the fixture marts in the live warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apps import marts_fixture
from yeelen.settings import Settings


@pytest.fixture
def fixture_warehouse(settings: Settings) -> Settings:
    """The fixture marts in the live warehouse file (settings.warehouse_path), nothing published yet."""
    marts_fixture.build_duckdb(Path(settings.warehouse_path))
    return settings
