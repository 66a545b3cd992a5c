"""Render every screen of the Streamlit app to PNG files, in French and in English, for the documentation.

Against an app that is already running:

    .venv/bin/python scripts/screenshot_pages.py --url http://localhost:8501

or let the script start one on a free port with the current ``YEELEN_*`` settings (it reads the published
marts, so run the pipeline first):

    .venv/bin/python scripts/screenshot_pages.py --serve

Files are written as ``docs/images/<screen>-<language>.png``. Uses Debian's Chromium (``$YEELEN_CHROMIUM``
to use another), through the same helper as the browser tests.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "apps" / "streamlit"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from i18n import LANGUAGES  # noqa: E402
from navigation import SCREENS  # noqa: E402

from scripts.streamlit_browser import (  # noqa: E402
    chromium,
    chromium_available,
    chromium_path,
    open_screen,
    problems,
    screenshot,
    serve_app,
)


def screenshot_screens(url: str, out: Path, languages: Sequence[str], width: int = 1400) -> list[Path]:
    """Open each screen in each language at ``url`` and save it; fail on a screen that shows an error."""
    written = []
    with chromium() as browser:
        for screen in SCREENS:
            for language in languages:
                page = open_screen(browser, f"{url.rstrip('/')}/{screen.address}?lang={language}", width=width)
                shown = problems(page)
                if shown:
                    raise RuntimeError(f"{screen.url_path} ({language}) shows an error: {shown[0][:300]}")
                written.append(screenshot(page, out / f"{screen.url_path}-{language}.png", width=width))
                page.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="address of a running app, e.g. http://localhost:8501")
    source.add_argument("--serve", action="store_true", help="start the app on a free port for the screenshots")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder of the PNG files")
    parser.add_argument(
        "--languages", nargs="+", default=list(LANGUAGES), choices=list(LANGUAGES), help="languages to render"
    )
    parser.add_argument("--width", type=int, default=1400, help="browser width in pixels")
    arguments = parser.parse_args(argv)

    if not chromium_available():
        print(f"Chromium not found at {chromium_path()} (set YEELEN_CHROMIUM) or playwright missing.", file=sys.stderr)
        return 2
    server = serve_app() if arguments.serve else contextlib.nullcontext(arguments.url)
    with server as url:
        for path in screenshot_screens(url, arguments.out, arguments.languages, arguments.width):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
