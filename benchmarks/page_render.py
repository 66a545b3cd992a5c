"""Time to a rendered page, cold and warm, for every screen of the Streamlit app, on a generated utility.

    .venv/bin/python benchmarks/page_render.py --home /tmp/yeelen-100k --customers 100000
    .venv/bin/python benchmarks/page_render.py --home /tmp/yeelen-100k            # reuse a prepared utility

A utility is prepared in ``--home`` when it holds none (``yeelen demo up --no-serve``: generation, billing of the
history, payments, pipeline, publication); ``benchmarks/pipeline_stages.py --home ... --keep`` prepares one too.
The demo users are seeded, the operational API is started on a free port, and each screen is run as the role it
is made for with Streamlit's ``AppTest`` (the server side of a page: every query, API call, chart, map and
table, up to the elements sent to the browser). The first run fills the caches (cold); the next ``--repeat``
runs are warm, as for a user moving around the screen. The goal is under one second warm for every screen.

Prints a table and writes ``benchmarks/results/page_render_<customers>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "apps" / "streamlit"
for folder in (ROOT, APP_DIR):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

GOAL_SECONDS = 1.0
YEELEN = Path(sys.executable).with_name("yeelen")


def prepare(home: Path, customers: int, months: int) -> None:
    """Build a utility in ``home`` unless it already holds one (published marts and an operational database)."""
    if (home / "operational.sqlite").exists() and any((home / "published").glob("*.duckdb")):
        print(f"reusing the utility in {home}")
        return
    print(f"preparing a utility of {customers:,} customers x {months} months in {home} (yeelen demo up)")
    started = time.perf_counter()
    subprocess.run(
        [str(YEELEN), "demo", "up", "--no-serve", "--customers", str(customers), "--months", str(months)],
        env={**os.environ, "YEELEN_HOME": str(home)},
        check=True,
    )
    print(f"prepared in {time.perf_counter() - started:.0f} s")


def seed_users(home: Path) -> None:
    """The demo users, one per role, with their documented passwords."""
    subprocess.run(
        [str(YEELEN), "users", "seed-demo"],
        env={**os.environ, "YEELEN_HOME": str(home)},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def log_in(api_url: str, role: str) -> dict:
    request = urllib.request.Request(
        f"{api_url}/auth/login",
        data=json.dumps({"login": f"demo-{role.replace('_', '-')}", "password": f"Yeelen-{role}-2026"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    return {"token": answer["access_token"], "me": answer["user"]}


def customers_in(home: Path) -> int:
    import duckdb

    published = next((home / "published").glob("*.duckdb"))
    with duckdb.connect(str(published), read_only=True) as connection:
        return connection.execute("select count(*) from marts.dim_customers").fetchone()[0]


def time_screen(screen, session: dict, repeat: int, customer: str | None) -> dict:
    """Cold and warm times of one screen as one user (seconds)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP_DIR / "streamlit_app.py"), default_timeout=600)
    app.session_state["yeelen.user"] = session
    started = time.perf_counter()
    app.run()
    app.switch_page(str(screen.path)).run()
    if customer and screen.url_path in {"customer-account", "cash-desk"}:
        search = [widget for widget in app.text_input if widget.key in {"customer.search", "cash.search"}]
        if search:
            search[0].set_value(customer).run()
    cold = time.perf_counter() - started
    problems = [item.value for item in app.exception] + [item.value for item in app.error]
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        app.run()
        warm.append(time.perf_counter() - started)
        problems += [item.value for item in app.exception]
    return {
        "screen": screen.url_path,
        "role": screen.made_for,
        "cold_seconds": cold,
        "warm_median_seconds": statistics.median(warm),
        "warm_max_seconds": max(warm),
        "problems": problems[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True, help="YEELEN_HOME of the utility (prepared if empty)")
    parser.add_argument("--customers", type=int, default=100_000, help="size of a utility to prepare")
    parser.add_argument("--months", type=int, default=12, help="months of history of a utility to prepare")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per screen")
    parser.add_argument("--customer", default="Diop", help="text searched on the customer and cash desk screens")
    arguments = parser.parse_args(argv)

    home = arguments.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    prepare(home, arguments.customers, arguments.months)
    seed_users(home)
    for variable in [name for name in os.environ if name.startswith("YEELEN_")]:
        del os.environ[variable]
    os.environ["YEELEN_HOME"] = str(home)

    from navigation import SCREENS

    from scripts.streamlit_browser import serve_api
    from yeelen.settings import reset_settings_cache

    results = []
    with serve_api({"YEELEN_HOME": str(home)}, log_path=home / "page_render_api.log") as api_url:
        os.environ["YEELEN_API_URL"] = api_url
        reset_settings_cache()
        sessions: dict[str, dict] = {}
        for screen in SCREENS:
            session = sessions.setdefault(screen.made_for, log_in(api_url, screen.made_for))
            result = time_screen(screen, session, arguments.repeat, arguments.customer)
            results.append(result)
            flag = "ok" if result["warm_median_seconds"] < GOAL_SECONDS else "SLOW"
            print(
                f"{result['screen']:<18}{result['role']:<16}{result['cold_seconds']:>8.2f}"
                f"{result['warm_median_seconds']:>8.2f}{result['warm_max_seconds']:>8.2f}  {flag}"
                + (f"  {result['problems'][0][:80]}" if result["problems"] else "")
            )
    customers = customers_in(home)
    print(f"\nTime to a rendered page (server side, AppTest), {customers:,} customers, {os.cpu_count()} cores")
    print(f"{'screen':<18}{'role':<16}{'cold s':>8}{'warm s':>8}{'max s':>8}")
    for result in results:
        print(
            f"{result['screen']:<18}{result['role']:<16}{result['cold_seconds']:>8.2f}"
            f"{result['warm_median_seconds']:>8.2f}{result['warm_max_seconds']:>8.2f}"
        )
    output = ROOT / "benchmarks" / "results" / f"page_render_{customers}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "customers": customers,
                "cores": os.cpu_count(),
                "machine": platform.platform(),
                "goal_warm_seconds": GOAL_SECONDS,
                "repeat": arguments.repeat,
                "screens": results,
            },
            indent=2,
        )
    )
    print(f"written {output}")
    return 0 if all(result["warm_median_seconds"] < GOAL_SECONDS for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
