"""The dashboards keep answering while another process holds a write connection on the live warehouse."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from i18n import format_number

from yeelen.errors import StoreUnavailableError
from yeelen.settings import Settings
from yeelen.warehouse.publish import publish_marts

from . import marts_fixture
from .conftest import run_app, run_screen

# A stand-in for a pipeline run: it holds the warehouse open for writing and keeps writing, for at most a minute.
WRITER = r"""
import sys, time
import duckdb

connection = duckdb.connect(sys.argv[1])
connection.execute("create table if not exists main.run_heartbeat (beat integer)")
print("locked", flush=True)
deadline = time.monotonic() + float(sys.argv[2])
beat = 0
while time.monotonic() < deadline:
    beat += 1
    connection.execute("insert into main.run_heartbeat values (?)", [beat])
    connection.execute("update marts.rpt_consumption_by_agency_month set consumption = consumption + 1")
    time.sleep(0.02)
"""


@pytest.fixture
def writing_pipeline(published: Settings) -> Iterator[subprocess.Popen]:
    """A separate process writing the live warehouse file in a loop."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(published.warehouse_path), "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line == "locked", f"the writer did not start: {line!r} {process.stderr.read() if line == '' else ''}"
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_page_answers_while_the_live_warehouse_is_locked_for_writing(
    published: Settings, writing_pipeline: subprocess.Popen
) -> None:
    # The premise: the live file cannot be opened at all, even read-only, while the writer holds it.
    with pytest.raises(duckdb.IOException, match="lock"):
        duckdb.connect(str(published.warehouse_path), read_only=True)

    app = run_app()

    assert not app.exception, [item.value for item in app.exception]
    assert not app.error and not app.info
    expected = marts_fixture.expected_kpis(marts_fixture.MONTHS[-1])
    assert app.metric[2].value == format_number(expected["electricity_kwh"], language="fr")
    assert app.get("iframe"), "the map is drawn"
    assert writing_pipeline.poll() is None, "the writer was still writing while the page rendered"


def test_publish_during_a_write_fails_clearly_and_the_apps_keep_the_previous_copy(
    published: Settings, writing_pipeline: subprocess.Popen
) -> None:
    content = Path(published.published_path).read_bytes()

    with pytest.raises(StoreUnavailableError, match="publish again when it has finished"):
        publish_marts(published)

    assert Path(published.published_path).read_bytes() == content
    app = run_app(language="en")
    assert not app.exception and not app.error
    assert app.metric[0].label == "Active contracts"
    assert writing_pipeline.poll() is None


def test_every_screen_answers_while_the_live_warehouse_is_locked_for_writing(
    published: Settings, writing_pipeline: subprocess.Popen
) -> None:
    from navigation import SCREENS

    for screen in SCREENS:
        app = run_screen(screen.url_path)
        assert not app.exception, (screen.url_path, [item.value for item in app.exception])
        assert not app.error, (screen.url_path, [item.value for item in app.error])
        assert app.title, screen.url_path
    assert writing_pipeline.poll() is None, "the writer held the warehouse all along"
