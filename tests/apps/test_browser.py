"""The app in a real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from i18n import format_number

from tests.conftest import require_component
from yeelen.settings import Settings

from . import marts_fixture
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = ROOT / "test-artifacts" / "screenshots" / "supervision.png"
MARKERS_OUTSIDE_THE_VIEW = """() => {
    const view = document.querySelector('.leaflet-container').getBoundingClientRect();
    return Array.from(document.querySelectorAll('path.yeelen-transformer, path.yeelen-substation'))
        .map(marker => marker.getBoundingClientRect())
        .filter(box => box.right < view.left || box.left > view.right || box.bottom < view.top || box.top > view.bottom)
        .length;
}"""


@pytest.fixture
def running_app(published: Settings, tmp_path: Path) -> Iterator[str]:
    """The app served from the published fixture marts; its log is kept beside the test's files."""
    from scripts.streamlit_browser import chromium_available, serve_app

    require_component(
        chromium_available(),
        "Chromium with Python Playwright",
        "apt-get install -y chromium (or set YEELEN_CHROMIUM); playwright comes with the test dependencies",
    )
    # The yeelen_home fixture cleared every other YEELEN_* variable, so the app sees only the fixture's stores.
    with serve_app({"YEELEN_HOME": str(published.home)}, log_path=tmp_path / "streamlit.log") as url:
        yield url


def wait_for(condition, timeout: float = 30.0, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def test_supervision_draws_its_figures_and_map_in_chromium(running_app: str) -> None:
    from scripts.streamlit_browser import (
        chromium,
        count_in_maps,
        map_frames,
        open_screen,
        problems,
        screenshot,
    )

    requested: list[str] = []
    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=fr", requests=requested)

        assert problems(page) == []
        assert page.locator("h1").first.inner_text() == "Supervision"
        expected = marts_fixture.expected_kpis(marts_fixture.MONTHS[-1])
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert values[2].strip() == format_number(expected["electricity_kwh"], language="fr")

        # Leaflet came from the app, and drew one marker per transformer and substation, and the legend.
        frames = map_frames(page)
        assert len(frames) == 1
        assert frames[0].evaluate("window.L && L.version") == "1.9.4"
        assert wait_for(lambda: count_in_maps(page, "path.yeelen-transformer") == len(marts_fixture.TRANSFORMERS))
        assert count_in_maps(page, "path.yeelen-substation") == len(marts_fixture.SUBSTATIONS)
        assert count_in_maps(page, "path.yeelen-feeder-line") == len(marts_fixture.TRANSFORMERS)
        assert count_in_maps(page, ".yeelen-legend") == 1
        assert frames[0].evaluate(MARKERS_OUTSIDE_THE_VIEW) == 0, "the view is fitted to the network"
        assert any(url.endswith("/app/static/vendor/leaflet-1.9.4/leaflet.js") for url in requested)
        outside = sorted({urlparse(url).netloc for url in requested if urlparse(url).scheme in {"http", "https"}})
        assert outside == [urlparse(running_app).netloc], "the page loads nothing from outside the app"

        screenshot(page, SCREENSHOT)
        assert SCREENSHOT.stat().st_size > 10_000


def test_choosing_an_agency_redraws_its_transformers(running_app: str) -> None:
    from scripts.streamlit_browser import chromium, count_in_maps, open_screen, problems

    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=en")
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Agency").click()
        page.get_by_role("option", name="Thiès Centre (THS)").click()

        thies = [row for row in marts_fixture.TRANSFORMERS if row[7] == 2]
        assert wait_for(lambda: count_in_maps(page, "path.yeelen-transformer") == len(thies))
        assert count_in_maps(page, "path.yeelen-substation") == 1
        assert problems(page) == []
        expected = marts_fixture.expected_kpis(marts_fixture.MONTHS[-1], 2)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert values[0].strip() == format_number(expected["active_contracts"], language="en")
