"""Run the Streamlit app (and the operational API it logs in against) and look at it in headless Chromium: shared
by the browser tests, the screenshots and the page benchmark.

Playwright drives the machine's Chromium (Debian's ``/usr/bin/chromium``, or ``$YEELEN_CHROMIUM``); it never
downloads a browser of its own. Streamlit draws the page in the browser after the first load, and maps are
drawn inside their own iframe, so everything here waits for elements rather than for the network to go quiet.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT = ROOT / "apps" / "streamlit" / "streamlit_app.py"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXCEPTION_SELECTOR = '[data-testid="stException"]'
MAP_CONTAINER_SELECTOR = ".leaflet-container"


def chromium_path() -> str:
    """The Chromium executable to drive."""
    return os.environ.get("YEELEN_CHROMIUM", "/usr/bin/chromium")


def chromium_available() -> bool:
    """Whether Chromium and Python Playwright are both installed."""
    path = chromium_path()
    found = Path(path).is_file() and os.access(path, os.X_OK) or shutil.which(path) is not None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return found


def free_port() -> int:
    """A TCP port nobody listens on right now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve_app(
    env: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    cwd: Path = ROOT,
    log_path: Path | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Start ``streamlit run apps/streamlit/streamlit_app.py`` headless; yield its address; stop it afterwards.

    Only the options a headless run needs are passed: static file serving comes from the app's own
    ``.streamlit/config.toml``, as in production.
    """
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ENTRYPOINT),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole below
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(process, url, timeout)
        yield url
    finally:
        _stop(process)
        if log is not subprocess.DEVNULL:
            log.close()


def _wait_until_healthy(process: subprocess.Popen, url: str, timeout: float) -> None:
    _wait_until_answering(process, f"{url}/_stcore/health", timeout, "streamlit")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium driven by Playwright (a ``playwright.sync_api.Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_screen(
    browser: object,
    url: str,
    *,
    width: int = 1400,
    height: int = 1000,
    timeout_ms: int = 60_000,
    requests: list[str] | None = None,
):
    """Open ``url`` in a new page and wait until the screen has been drawn; return the page.

    When ``requests`` is a list, the address of every request the page makes is appended to it.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    if requests is not None:
        page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_screen(page, timeout_ms=timeout_ms)
    return page


def wait_for_screen(page: object, *, timeout_ms: int = 60_000) -> None:
    """Wait for the script run to finish and for any map to be drawn in its iframe."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning';
        }""",
        timeout=timeout_ms,
    )
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        iframes = page.locator(f"{MAIN_BLOCK} iframe").count()
        if len(map_frames(page)) >= iframes:
            return
        page.wait_for_timeout(200)
    raise TimeoutError("a map iframe never drew its map")


# The maps are read through the page's own DOM (the iframes of the main block and their documents, which share
# the app's origin), not through the browser driver's list of frames: a frame replaced by a rerun then never
# counts, and a frame the driver has not registered yet is still seen as the user sees it.
MAIN_BLOCK = '[data-testid="stMainBlockContainer"]'
_DRAWN_MAPS = f"""() => Array.from(document.querySelectorAll('{MAIN_BLOCK} iframe'))
    .map((frame, index) => {{
        try {{
            const inside = frame.contentDocument;
            return inside && inside.querySelector('{MAP_CONTAINER_SELECTOR}') ? index : -1;
        }} catch (error) {{
            return -1;
        }}
    }})
    .filter(index => index >= 0)"""
_IN_FRAME = f"""([index, source, argument]) => {{
    const frame = document.querySelectorAll('{MAIN_BLOCK} iframe')[index];
    const view = frame && frame.contentWindow;
    if (!view) throw new Error('the map frame is gone');
    const value = view.eval('(' + source + ')');
    return typeof value === 'function' ? value(argument) : value;
}}"""


class MapFrame:
    """A map of the screen: the n-th iframe of the main block, once Leaflet has drawn in it."""

    def __init__(self, page: object, index: int) -> None:
        self.page = page
        self.index = index

    def evaluate(self, source: str, argument: object = None) -> object:
        """Evaluate a JavaScript expression, or call a function with ``argument``, inside the map's document."""
        return self.page.evaluate(_IN_FRAME, [self.index, source, argument])

    def count(self, selector: str) -> int:
        """How many elements of the map's document match ``selector``."""
        return self.evaluate("(selector) => document.querySelectorAll(selector).length", selector)


def map_frames(page: object) -> list[MapFrame]:
    """The maps of the screen: iframes of the main block in which Leaflet drew a map, in the order shown."""
    try:
        return [MapFrame(page, index) for index in page.evaluate(_DRAWN_MAPS)]
    except Exception:  # noqa: BLE001 - the page is between two runs: no map to read yet
        return []


def count_in_maps(page: object, selector: str) -> int:
    """How many elements match ``selector`` in all the maps of the page (-1 while a map is being replaced)."""
    try:
        return sum(frame.count(selector) for frame in map_frames(page))
    except Exception:  # noqa: BLE001 - a frame replaced by a rerun between listing and counting: ask again
        return -1


def problems(page: object) -> list[str]:
    """Texts of what went wrong on the page: Streamlit exception boxes and dialogs such as "Page not found"."""
    return page.locator(EXCEPTION_SELECTOR).all_inner_texts() + page.locator('[role="dialog"]').all_inner_texts()


def screenshot(page: object, path: Path, *, width: int = 1400) -> Path:
    """Save the whole screen, however long, as a PNG."""
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            return Math.ceil((main ? main.getBoundingClientRect().bottom : 0) + 48);
        }"""
    )
    page.set_viewport_size({"width": width, "height": max(int(height), 800)})
    # A new size makes charts, tables and maps lay themselves out again: wait for them to be drawn.
    wait_for_screen(page)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                      .every(chart => chart.querySelector('.main-svg'))""",
        timeout=30_000,
    )
    page.wait_for_timeout(1500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@contextlib.contextmanager
def serve_api(
    env: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    cwd: Path = ROOT,
    log_path: Path | None = None,
    timeout: float = 60.0,
) -> Iterator[str]:
    """Start the operational API (``uvicorn --factory operational_api.main:app_from_environment``) on a free
    port with the ``YEELEN_*`` settings of ``env``; yield its address; stop it afterwards."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "operational_api.main:app_from_environment",
        "--host",
        "127.0.0.1",
        f"--port={port}",
        "--log-level=warning",
    ]
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(process, f"{url}/health", timeout, "the operational API")
        yield url
    finally:
        _stop(process)
        if log is not subprocess.DEVNULL:
            log.close()


def _wait_until_answering(process: subprocess.Popen, address: str, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before answering on {address}")
        try:
            with urllib.request.urlopen(address, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer on {address} within {timeout:.0f} s")


def log_in(page: object, login: str, password: str, *, timeout_ms: int = 60_000) -> None:
    """Fill the app's login form and wait for the first screen of the user's role."""
    page.get_by_label(re.compile("^(Identifiant|Login)$")).fill(login)
    page.get_by_label(re.compile("^(Mot de passe|Password)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Se connecter|Log in)$")).click()
    # The login screen gives way to the user's first screen (a menu appears only with several screens).
    page.wait_for_function(
        """() => {
            const heading = document.querySelector('[data-testid="stMainBlockContainer"] h1');
            return heading && !['Connexion', 'Log in'].includes(heading.innerText.trim());
        }""",
        timeout=timeout_ms,
    )
    wait_for_screen(page, timeout_ms=timeout_ms)


def open_in_menu(page: object, title: str, *, timeout_ms: int = 60_000) -> None:
    """Open a screen from the sidebar menu (the session, and so the login, is kept)."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.wait_for_function(
        """(title) => {
            const heading = document.querySelector('[data-testid="stMainBlockContainer"] h1');
            return heading && heading.innerText.trim() === title;
        }""",
        arg=title,
        timeout=timeout_ms,
    )
    wait_for_screen(page, timeout_ms=timeout_ms)
