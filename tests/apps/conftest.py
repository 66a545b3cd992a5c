"""Fixtures of the app tests: the app's modules importable, a fixture warehouse, published or not."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from yeelen.settings import Settings
from yeelen.warehouse.publish import publish_marts

from . import marts_fixture

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "apps" / "streamlit"
ENTRYPOINT = APP_DIR / "streamlit_app.py"
SCRIPTS_DIR = ROOT / "scripts"

# The app imports its modules by plain name (i18n, data, maps), as Streamlit runs it from its own folder.
for folder in (APP_DIR, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


@pytest.fixture(autouse=True)
def fresh_app_caches() -> Iterator[None]:
    """Streamlit's caches live as long as the process: no test sees another's results or connections."""
    from data.warehouse import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def fixture_warehouse(settings: Settings) -> Settings:
    """The fixture marts in the live warehouse file (settings.warehouse_path), nothing published yet."""
    marts_fixture.build_duckdb(Path(settings.warehouse_path))
    return settings


@pytest.fixture
def published(fixture_warehouse: Settings) -> Settings:
    """The fixture marts built and published, as after a successful pipeline run."""
    report = publish_marts(fixture_warehouse)
    assert report.published
    return fixture_warehouse


def run_app(*, language: str | None = None, query_language: str | None = None, timeout: float = 60):
    """Run the app's entrypoint headless (it opens the Supervision screen) and return the AppTest."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ENTRYPOINT), default_timeout=timeout)
    if query_language:
        app.query_params["lang"] = query_language
    if language:
        app.session_state["language"] = language
    return app.run()
