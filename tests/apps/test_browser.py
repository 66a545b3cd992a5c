"""The app in a real browser: `streamlit run` and the operational API on free ports, Debian's Chromium driven by
Playwright. Each role logs in, opens every screen of its menu, meets no exception, sees its maps draw their
markers; a screenshot of each screen is saved to test-artifacts/screenshots/."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from i18n import format_number, t
from navigation import ROLES, screens_for

from tests.conftest import require_component
from yeelen.settings import Settings

from . import marts_fixture, operational_fixture
from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
MARKERS_OUTSIDE_THE_VIEW = """() => {
    const view = document.querySelector('.leaflet-container').getBoundingClientRect();
    return Array.from(document.querySelectorAll('path.yeelen-transformer, path.yeelen-substation'))
        .map(marker => marker.getBoundingClientRect())
        .filter(box => box.right < view.left || box.left > view.right || box.bottom < view.top || box.top > view.bottom)
        .length;
}"""
# Markers drawn one by one plus those counted inside the clusters of leaflet.markercluster.
MARKERS_IN_FRAME = """(selector) => {
    const drawn = document.querySelectorAll(selector).length;
    const clustered = Array.from(document.querySelectorAll('.marker-cluster span'))
        .reduce((total, label) => total + (parseInt(label.innerText, 10) || 0), 0);
    return drawn + clustered;
}"""
DAKAR = 1


@pytest.fixture
def running_app(published: Settings, app_api: str, tmp_path: Path) -> Iterator[str]:
    """The app served from the published fixture marts, logging in against the test API."""
    from scripts.streamlit_browser import chromium_available, serve_app

    require_component(
        chromium_available(),
        "Chromium with Python Playwright",
        "apt-get install -y chromium (or set YEELEN_CHROMIUM); playwright comes with the test dependencies",
    )
    # The yeelen_home fixture cleared every other YEELEN_* variable, so the app sees only the fixture's stores.
    env = {"YEELEN_HOME": str(published.home), "YEELEN_API_URL": app_api}
    with serve_app(env, log_path=tmp_path / "streamlit.log") as url:
        yield url


def wait_for(condition, timeout: float = 120.0, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def markers(page, selector: str) -> int:
    """Markers of the map of the page that draws the most of them, clustered ones included (-1 while a map is
    being replaced). A frame left over from an earlier run of the screen, not yet removed, never hides the map."""
    from scripts.streamlit_browser import map_frames

    try:
        frames = map_frames(page)
        return max((frame.evaluate(MARKERS_IN_FRAME, selector) for frame in frames), default=0)
    except Exception:  # noqa: BLE001 - a frame detached by a rerun: ask again
        return -1


PATH_CLASSES = "() => Array.from(document.querySelectorAll('path')).map(path => path.className.baseVal)"


FRAME_STATE = """() => ({
    url: location.href.slice(0, 60),
    ready: document.readyState,
    leaflet: typeof L,
    containers: document.querySelectorAll('.leaflet-container').length,
    scripts: Array.from(document.scripts).map(script => script.src).filter(Boolean),
})"""


def map_diagnosis(page) -> dict:
    """What the page holds when a map does not show what it should: its problems, and what each map drew."""
    from scripts.streamlit_browser import MAIN_BLOCK, MapFrame, map_frames, problems

    drawn = []
    for frame in map_frames(page):
        try:
            drawn.append(frame.evaluate(PATH_CLASSES))
        except Exception as error:  # noqa: BLE001 - a frame replaced meanwhile
            drawn.append(str(error)[:200])
    documents = []
    for index in range(page.locator(f"{MAIN_BLOCK} iframe").count()):
        try:
            documents.append(MapFrame(page, index).evaluate(FRAME_STATE))
        except Exception as error:  # noqa: BLE001 - a frame replaced meanwhile
            documents.append(str(error)[:200])
    driver_frames = []
    for frame in page.frames[1:]:
        try:
            driver_frames.append(frame.evaluate(FRAME_STATE))
        except Exception as error:  # noqa: BLE001 - a frame replaced meanwhile
            driver_frames.append(str(error)[:200])
    return {
        "problems": problems(page),
        "frames": documents,
        "driver_frames": driver_frames,
        "iframes": page.locator('[data-testid="stMainBlockContainer"] iframe').count(),
        "paths_per_map": drawn,
        "text": page.locator('[data-testid="stMainBlockContainer"]').inner_text()[:1500],
    }


def menu_of(page) -> list[str]:
    """Titles of the menu's entries (each link also holds its icon's name, on a line of its own)."""
    return [text.strip().splitlines()[-1] for text in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def expected_markers(url_path: str, role: str) -> tuple[str, int] | None:
    """The marker class of the first map of a screen and how many the role should see on it."""
    everywhere = role in {"manager", "admin", "data_engineer"}

    def mine(agency_id: int) -> bool:
        return everywhere or agency_id == DAKAR

    if url_path == "supervision":
        return "path.yeelen-transformer", sum(1 for row in marts_fixture.TRANSFORMERS if mine(row[7]))
    if url_path == "losses":
        return "path.yeelen-loss", sum(1 for row in marts_fixture.TRANSFORMERS if mine(row[7]))
    if url_path == "fraud-suspects":
        suspects = [row for row in marts_fixture.SUSPECTS if row[5]]
        return "path.yeelen-suspect", sum(1 for row in suspects if mine(marts_fixture.agency_of_contract(row[0])))
    if url_path == "recovery":
        eligible = [row for row in marts_fixture.CANDIDATES if row[5]]
        return "path.yeelen-recovery", sum(1 for row in eligible if mine(marts_fixture.agency_of_contract(row[0])))
    return None


def test_supervision_draws_its_figures_and_map_in_chromium(running_app: str) -> None:
    from scripts.streamlit_browser import chromium, count_in_maps, log_in, map_frames, open_screen, problems

    requested: list[str] = []
    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=fr", requests=requested)
        assert page.locator("h1").first.inner_text() == "Connexion"
        log_in(page, "manager", operational_fixture.PASSWORD)

        assert problems(page) == []
        assert page.locator("h1").first.inner_text() == "Supervision"
        expected = marts_fixture.expected_kpis(marts_fixture.MONTHS[-1])
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert values[2].strip() == format_number(expected["electricity_kwh"], language="fr")

        # Leaflet came from the app, and drew one marker per transformer and substation, and the legend.
        # The map's frame may still be mounting (or replaced by a rerun) when the script run is over: wait for it.
        assert wait_for(lambda: len(map_frames(page)) == 1, timeout=60), map_diagnosis(page)
        frames = map_frames(page)
        assert frames[0].evaluate("window.L && L.version") == "1.9.4"
        assert wait_for(lambda: count_in_maps(page, "path.yeelen-transformer") == len(marts_fixture.TRANSFORMERS))
        assert count_in_maps(page, "path.yeelen-substation") == len(marts_fixture.SUBSTATIONS)
        assert count_in_maps(page, "path.yeelen-feeder-line") == len(marts_fixture.TRANSFORMERS)
        assert count_in_maps(page, ".yeelen-legend") == 1
        assert frames[0].evaluate(MARKERS_OUTSIDE_THE_VIEW) == 0, "the view is fitted to the network"
        assert any(url.endswith("/app/static/vendor/leaflet-1.9.4/leaflet.js") for url in requested)
        outside = sorted({urlparse(url).netloc for url in requested if urlparse(url).scheme in {"http", "https"}})
        assert outside == [urlparse(running_app).netloc], "the page loads nothing from outside the app"


def test_choosing_an_agency_redraws_its_transformers(running_app: str) -> None:
    from scripts.streamlit_browser import chromium, count_in_maps, log_in, open_screen, problems, wait_for_screen

    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=en")
        log_in(page, "manager", operational_fixture.PASSWORD)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Agency").click()
        page.get_by_role("option", name="Thiès Centre (THS)").click()
        wait_for_screen(page)

        thies = [row for row in marts_fixture.TRANSFORMERS if row[7] == 2]
        assert wait_for(lambda: count_in_maps(page, "path.yeelen-transformer") == len(thies)), (
            count_in_maps(page, "path.yeelen-transformer"),
            page.locator('[data-testid="stSelectbox"]').all_inner_texts(),
        )
        assert count_in_maps(page, "path.yeelen-substation") == 1
        assert problems(page) == []
        expected = marts_fixture.expected_kpis(marts_fixture.MONTHS[-1], 2)
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert values[0].strip() == format_number(expected["active_contracts"], language="en")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_every_screen_of_its_menu(running_app: str, role: str) -> None:
    from scripts.streamlit_browser import (
        chromium,
        log_in,
        open_in_menu,
        open_screen,
        problems,
        screenshot,
        wait_for_screen,
    )

    login = operational_fixture.login_of(role)
    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=fr")
        log_in(page, login, operational_fixture.PASSWORD)
        titles = [t(screen.title_key, "fr") for screen in screens_for(role)]
        # Streamlit shows no menu for a single screen: the user is on it already.
        assert menu_of(page) == (titles if len(titles) > 1 else [])
        for screen in screens_for(role):
            title = t(screen.title_key, "fr")
            if len(titles) > 1:
                open_in_menu(page, title)
            assert page.locator("h1").first.inner_text() == title
            assert problems(page) == [], (screen.url_path, problems(page))
            expected = expected_markers(screen.url_path, role)
            if expected is not None:
                selector, count = expected
                assert wait_for(lambda selector=selector, count=count: markers(page, selector) == count), (
                    screen.url_path,
                    markers(page, selector),
                    count,
                    map_diagnosis(page),
                )
            if screen.url_path == "customer-account":
                page.get_by_label("Rechercher un client").fill("Ndiaye")
                page.keyboard.press("Enter")
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                wait_for_screen(page, timeout_ms=120_000)
                assert wait_for(lambda: markers(page, "path.yeelen-premises") == 1), map_diagnosis(page)
                assert problems(page) == []
            path = screenshot(page, SCREENSHOTS / f"{screen.url_path}-{role}.png")
            assert path.stat().st_size > 10_000


def test_a_screen_of_another_role_is_not_found_at_its_address(running_app: str) -> None:
    from scripts.streamlit_browser import chromium, log_in, open_screen

    with chromium() as browser:
        page = open_screen(browser, f"{running_app}/?lang=fr")
        log_in(page, "cashier-dkp", operational_fixture.PASSWORD)
        assert page.locator("h1").first.inner_text() == "Caisse"
        assert menu_of(page) == [], "a cashier has one screen, and no menu to reach others"
        page.goto(f"{running_app}/supervision?lang=fr")
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
        # A new page load is a new session: the address alone opens nothing but the login.
        assert page.locator("h1").first.inner_text() == "Connexion"
