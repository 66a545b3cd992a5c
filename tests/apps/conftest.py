"""Fixtures of the app tests: the app's modules importable, a fixture warehouse (published or not), and the
operational API served for real (uvicorn on a free port, a temporary SQLite database with one user per role)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from yeelen.settings import Settings, reset_settings_cache
from yeelen.warehouse.publish import publish_marts

from . import marts_fixture, operational_fixture

ROOT = Path(__file__).resolve().parents[2]
APP_DIR = ROOT / "apps" / "streamlit"
ENTRYPOINT = APP_DIR / "streamlit_app.py"
SCRIPTS_DIR = ROOT / "scripts"
USER_KEY = "yeelen.user"

# The app imports its modules by plain name (i18n, data, maps), as Streamlit runs it from its own folder.
for folder in (APP_DIR, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

_sessions: dict[tuple[str, str], dict] = {}


@pytest.fixture(autouse=True)
def fresh_app_caches() -> Iterator[None]:
    """Streamlit's caches live as long as the process: no test sees another's results or connections."""
    from api import _get_cached, _operations, client
    from data.warehouse import clear_caches

    for clear in (clear_caches, _get_cached.clear, _operations.clear, client.clear):
        clear()
    yield
    clear_caches()


@contextlib.contextmanager
def served_api(home: Path) -> Iterator[str]:
    """The operational API on a new database of the fixture utility in ``home``; yields its address."""
    from scripts.streamlit_browser import serve_api

    url = f"sqlite:///{home / 'operational.sqlite'}"
    operational_fixture.seed(url)
    keep = {key: value for key, value in os.environ.items() if not key.startswith("YEELEN_")}
    env = keep | operational_fixture.POLICY_ENV | {"YEELEN_HOME": str(home), "YEELEN_OPERATIONAL_URL": url}
    with serve_api(env, log_path=home / "uvicorn.log") as address:
        yield address


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The operational API on the fixture utility, shared by the whole session: the tests that use it only read
    (and log in); a test that changes what others read (a payment, a batch decision) takes :func:`own_api`."""
    with served_api(tmp_path_factory.mktemp("operational")) as address:
        yield address


@pytest.fixture(autouse=True)
def app_api(api_server: str, yeelen_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app of every test talks to the session's API (``YEELEN_API_URL``)."""
    monkeypatch.setenv("YEELEN_API_URL", api_server)
    reset_settings_cache()
    return api_server


@pytest.fixture
def own_api(app_api: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An API of its own on a new fixture database, for a test that writes: the balances and states the other
    tests expect stay those of the fixture."""
    with served_api(tmp_path_factory.mktemp("own-operational")) as address:
        monkeypatch.setenv("YEELEN_API_URL", address)
        reset_settings_cache()
        yield address


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


def displayed(frame) -> pd.DataFrame:
    """The cells of a table as the screen writes them (its Styler's display values), from an AppTest dataframe."""
    return pa.ipc.open_stream(frame.proto.arrow_data.styler.display_values).read_pandas()


def api_login(login: str, password: str = operational_fixture.PASSWORD) -> dict:
    """Log in at the API for real; returns the answer of ``POST /auth/login``."""
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}/auth/login",
        data=json.dumps({"login": login, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def signed_in(login: str) -> dict:
    """What the app keeps in its session for a logged-in fixture user (one real login per user and server)."""
    from auth import session_state_for

    key = (os.environ["YEELEN_API_URL"], login)
    if key not in _sessions:
        answer = api_login(login)
        _sessions[key] = session_state_for(answer["access_token"], answer["user"])
    return _sessions[key]


def run_app(
    *,
    login: str | None = "manager",
    language: str | None = None,
    query_language: str | None = None,
    timeout: float = 60,
):
    """Run the app's entrypoint headless as ``login`` (None: nobody logged in) and return the AppTest.

    The user lands on the first screen of their role (Supervision for a manager).
    """
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ENTRYPOINT), default_timeout=timeout)
    if query_language:
        app.query_params["lang"] = query_language
    if language:
        app.session_state["language"] = language
    if login:
        app.session_state[USER_KEY] = signed_in(login)
    return app.run()


def run_screen(url_path: str, *, login: str | None = None, language: str | None = None, timeout: float = 60):
    """Open a screen through the navigation as ``login`` (by default a user of the role it is made for, in DKP)."""
    from navigation import screen

    chosen = screen(url_path)
    app = run_app(login=login or operational_fixture.login_of(chosen.made_for), language=language, timeout=timeout)
    app.switch_page(str(chosen.path)).run()
    return app


def assert_no_exception(app) -> None:
    """No Streamlit exception box on the screen."""
    assert not app.exception, [item.value for item in app.exception]
