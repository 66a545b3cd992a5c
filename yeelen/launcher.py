"""``yeelen demo up``: a working utility on this machine in one command.

Generates the demo utility (once), loads the tariff grids, runs the pipeline, then serves Dagster's UI, the
operational API and Streamlit until Ctrl-C.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from yeelen.settings import Settings

Say = Callable[[str], None]


@dataclass
class DemoOptions:
    customers: int = 20_000
    months: int = 24
    seed: int = 1
    end_month: str | None = None
    regenerate: bool = False
    serve: bool = True
    dagster_port: int = 3000
    api_port: int = 8000
    streamlit_port: int = 8501


def _rows(url: str, model: type) -> int:
    """How many rows the operational table of ``model`` holds."""
    from operational_api.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        engine.dispose()


def prepare(settings: Settings, options: DemoOptions, say: Say) -> None:
    """Schema, demo utility, tariffs and a pipeline run: everything the apps need to show something."""
    from operational_api.auth.models import User
    from operational_api.customers.models import Customer
    from operational_api.migrate import upgrade
    from yeelen.pipeline import run_pipeline

    settings.ensure_home()
    url = str(settings.operational_url)
    upgrade(url)
    fresh = options.regenerate or _rows(url, Customer) == 0
    if fresh:
        from yeelen.demo import generate

        say(f"Generating the demo utility: {options.customers:,} customers, {options.months} months")
        report = generate(
            url,
            customers=options.customers,
            months=options.months,
            seed=options.seed,
            end_month=options.end_month,
            replace=True,
            progress=lambda message: say(f"  {message}"),
            demo_dir=settings.demo_dir,
        )
        say(f"  done in {report.seconds:.0f} s")
    else:
        say("The operational database already holds a utility: keeping it (--regenerate to start again)")
    load_tariffs(settings, say)
    started = time.perf_counter()
    quiet = lambda message: None  # noqa: E731 - the run's own log is in Dagster's UI
    if fresh:
        from yeelen.demo.history import bill_history

        say("Billing the demo's history: a batch per month, simulated, issued, then paid")
        report = bill_history(settings, say, lambda: run_pipeline(settings, progress=quiet, full_ingestion=True))
        say(f"  {report.invoices:,} invoices and {report.payments:,} payments")
    # A kept utility gets the demo users only when it is the demo's own (generated here) and has no user at all.
    if fresh or ((settings.demo_dir / "generation.json").exists() and not _rows(url, User)):
        seed_users(settings, say)
    say("Running the pipeline (ingestion, dbt build and tests, publication)")
    run_pipeline(settings, progress=quiet)
    say(f"  done in {time.perf_counter() - started:.0f} s")


def seed_users(settings: Settings, say: Say) -> None:
    """The demo's users, one per role with its documented password, so that every screen can be tried."""
    from operational_api.db import make_engine, session_factory, unit_of_work
    from yeelen.demo.users import seed_demo_users

    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        seeded = seed_demo_users(session)
    engine.dispose()
    say(f"Demo users, one per role (docs/security.md): {', '.join(user.login for user in seeded)}")


def login_hint(settings: Settings) -> str | None:
    """How to log in to the screens, when the demo's first user is there: its documented password while it still
    opens the account, else only the login (someone changed the password)."""
    from operational_api.auth.models import User
    from operational_api.auth.security import verify_password
    from operational_api.config import Policy
    from operational_api.db import make_engine
    from yeelen.demo.users import DEMO_PASSWORD, FIRST_LOGIN

    engine = make_engine(str(settings.operational_url))
    try:
        with engine.connect() as connection:
            user = connection.execute(
                select(User.role, User.password_hash).where(User.login == FIRST_LOGIN)
            ).one_or_none()
    finally:
        engine.dispose()
    if user is None:
        return None
    password = DEMO_PASSWORD.format(role=user.role)
    # The hash carries its own cost parameters: any policy verifies it.
    if not verify_password(user.password_hash, password, Policy()):
        return f"{FIRST_LOGIN} (its password was changed; every role's demo user: docs/security.md)"
    return f"{FIRST_LOGIN} / {password} (every role's demo user: docs/security.md)"


def load_tariffs(settings: Settings, say: Say) -> None:
    from operational_api.db import make_engine, session_factory, unit_of_work
    from operational_api.tariffs.service import save_book
    from yeelen.tariffs.loader import bundled_book

    engine = make_engine(str(settings.operational_url))
    with unit_of_work(session_factory(engine)) as session:
        report = save_book(session=session, book=bundled_book())
    engine.dispose()
    if report.versions_added:
        say(f"Tariff grids loaded: {len(report.versions_added)} versions")


def serve(settings: Settings, options: DemoOptions, say: Say, stop_event: threading.Event | None = None) -> None:
    """Start the three apps, print their addresses, and stop them all on Ctrl-C (or when ``stop_event`` is set)."""
    from yeelen import services

    items = services.services(
        settings,
        dagster_port=options.dagster_port,
        api_port=options.api_port,
        streamlit_port=options.streamlit_port,
    )
    say("Starting Dagster, the API and Streamlit")
    services.start(settings, items)
    stop_event = stop_event or threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop_event.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        say("")
        say("Yeelen is running:")
        for item in items:
            say(f"  {item.name:<10} {item.url}")
        say(f"  API docs   {items[1].url}/docs")
        hint = login_hint(settings)
        if hint:
            say(f"  Log in     {hint}")
        say("Press Ctrl-C to stop.")
        while not stop_event.wait(1):
            for item in items:
                if item.process.poll() is not None:
                    say(f"{item.name} stopped unexpectedly; see {item.log}")
                    stop_event.set()
    finally:
        say("Stopping...")
        services.stop(items)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        say("Stopped.")


def up(settings: Settings, options: DemoOptions, say: Say) -> None:
    prepare(settings, options, say)
    if options.serve:
        serve(settings, options, say)
