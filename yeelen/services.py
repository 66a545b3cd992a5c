"""Starting and stopping the three applications: Dagster's UI, the operational API and Streamlit."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from yeelen.errors import YeelenError
from yeelen.pipeline import prepare_dagster_home
from yeelen.settings import PROJECT_ROOT, Settings


@dataclass
class Service:
    name: str
    url: str
    command: list[str]
    health_path: str = "/"
    process: subprocess.Popen | None = None
    log: Path | None = None


def _bin(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def services(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    dagster_port: int = 3000,
    api_port: int = 8000,
    streamlit_port: int = 8501,
) -> list[Service]:
    return [
        Service(
            "Dagster",
            f"http://{host}:{dagster_port}",
            [_bin("dagster"), "dev", "-m", "orchestration.definitions", "-h", host, "-p", str(dagster_port)],
            "/server_info",
        ),
        Service(
            "API",
            f"http://{host}:{api_port}",
            [
                _bin("uvicorn"),
                "--factory",
                "operational_api.main:app_from_environment",
                "--host",
                host,
                "--port",
                str(api_port),
            ],
            "/health",
        ),
        Service(
            "Streamlit",
            f"http://{host}:{streamlit_port}",
            [
                _bin("streamlit"),
                "run",
                str(PROJECT_ROOT / "apps" / "streamlit" / "streamlit_app.py"),
                "--server.address",
                host,
                "--server.port",
                str(streamlit_port),
                "--server.headless",
                "true",
            ],
            "/_stcore/health",
        ),
    ]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local addresses only
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start(settings: Settings, items: list[Service], timeout: float = 120) -> None:
    """Start every service in its own process group and wait until each answers."""
    prepare_dagster_home(settings)
    logs = settings.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "YEELEN_HOME": str(settings.home),
        "DAGSTER_HOME": str(settings.dagster_home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for item in items:
        item.log = logs / f"{item.name.lower()}.log"
        handle = item.log.open("ab")
        # Own process group: Dagster's dev server ignores signals inherited as ignored from a parent shell.
        item.process = subprocess.Popen(
            item.command, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + timeout
    waiting = list(items)
    while waiting and time.monotonic() < deadline:
        for item in list(waiting):
            if item.process.poll() is not None:
                stop(items)
                raise YeelenError(f"{item.name} stopped at start; see {item.log}")
            if _answers(item.url + item.health_path):
                waiting.remove(item)
        time.sleep(0.5)
    if waiting:
        stop(items)
        names = ", ".join(f"{item.name} (log: {item.log})" for item in waiting)
        raise YeelenError(f"Not answering after {timeout:.0f} s: {names}")


def stop(items: list[Service], grace: float = 15) -> None:
    """Stop every started service: SIGTERM to its process group, then SIGKILL after the grace period."""
    for item in items:
        if item.process and item.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(item.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for item in items:
        if item.process is None:
            continue
        try:
            item.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(item.process.pid, signal.SIGKILL)
            item.process.wait()
