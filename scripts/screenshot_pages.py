"""Render every screen of the Streamlit app to PNG files, in French and in English, for the documentation.

Each screen is shown as the role it is made for (``navigation.Screen.made_for``): the script logs in with that
role's user (by default the demo users of ``yeelen users seed-demo``) and opens the screen from the menu.

Against an app and an API that are already running:

    .venv/bin/python scripts/screenshot_pages.py --url http://localhost:8501

or let the script start both on free ports with the current ``YEELEN_*`` settings (the app reads the published
marts and the API the operational database, so run ``yeelen demo up`` or the pipeline, then
``yeelen users seed-demo`` first):

    .venv/bin/python scripts/screenshot_pages.py --serve --customer Diop

Files are written as ``docs/images/<screen>-<language>.png``. Uses Debian's Chromium (``$YEELEN_CHROMIUM``
to use another), through the same helper as the browser tests.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "apps" / "streamlit"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from i18n import LANGUAGES, t  # noqa: E402
from navigation import SCREENS, role_for, screens_for  # noqa: E402

from scripts.streamlit_browser import (  # noqa: E402
    chromium,
    chromium_available,
    chromium_path,
    log_in,
    open_in_menu,
    open_screen,
    problems,
    screenshot,
    serve_api,
    serve_app,
    wait_for_screen,
)

DEMO_LOGIN = "demo-{role_dashed}"
DEMO_PASSWORD = "Yeelen-{role}-2026"
SEARCH_LABELS = {"fr": "Rechercher un client", "en": "Find a customer"}


def screenshot_screens(
    url: str,
    out: Path,
    languages: Sequence[str],
    *,
    width: int = 1400,
    login_pattern: str = DEMO_LOGIN,
    password_pattern: str = DEMO_PASSWORD,
    customer: str | None = None,
    only: Sequence[str] = (),
) -> list[Path]:
    """Open each screen in each language as its role and save it; fail on a screen that shows an error."""
    written = []
    with chromium() as browser:
        for screen in SCREENS:
            if only and screen.url_path not in only:
                continue
            role = role_for(screen)
            credentials = {"role": role, "role_dashed": role.replace("_", "-")}
            for language in languages:
                page = open_screen(browser, f"{url.rstrip('/')}/?lang={language}", width=width)
                log_in(page, login_pattern.format(**credentials), password_pattern.format(**credentials))
                if len(screens_for(role)) > 1:
                    open_in_menu(page, t(screen.title_key, language))
                if customer and screen.url_path in {"customer-account", "cash-desk"}:
                    search = page.get_by_label(SEARCH_LABELS[language])
                    if search.count():
                        search.fill(customer)
                        page.keyboard.press("Enter")
                        page.wait_for_timeout(500)
                        wait_for_screen(page)
                shown = problems(page)
                if shown:
                    raise RuntimeError(f"{screen.url_path} ({language}) shows an error: {shown[0][:300]}")
                written.append(screenshot(page, out / f"{screen.url_path}-{language}.png", width=width))
                page.close()
    return written


@contextlib.contextmanager
def served() -> Iterator[str]:
    """The operational API and the app, on free ports, with the current settings."""
    with serve_api() as api_url, serve_app({"YEELEN_API_URL": api_url}) as app_url:
        yield app_url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="address of a running app, e.g. http://localhost:8501")
    source.add_argument("--serve", action="store_true", help="start the API and the app on free ports")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder of the PNG files")
    parser.add_argument(
        "--languages", nargs="+", default=list(LANGUAGES), choices=list(LANGUAGES), help="languages to render"
    )
    parser.add_argument("--width", type=int, default=1400, help="browser width in pixels")
    parser.add_argument("--login", default=DEMO_LOGIN, help="login of each role ({role}, {role_dashed})")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="password of each role ({role}, {role_dashed})")
    parser.add_argument("--customer", help="text searched on the customer account and cash desk screens")
    parser.add_argument("--only", nargs="*", default=[], help="screens to render (their url_path), default all")
    arguments = parser.parse_args(argv)

    if not chromium_available():
        print(f"Chromium not found at {chromium_path()} (set YEELEN_CHROMIUM) or playwright missing.", file=sys.stderr)
        return 2
    server = served() if arguments.serve else contextlib.nullcontext(arguments.url)
    with server as url:
        for path in screenshot_screens(
            url,
            arguments.out,
            arguments.languages,
            width=arguments.width,
            login_pattern=arguments.login,
            password_pattern=arguments.password,
            customer=arguments.customer,
            only=arguments.only,
        ):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
