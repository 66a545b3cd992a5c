"""Running the dbt project against the configured warehouse.

The dbt profile (dbt_project/profiles.yml) reads its connection from environment variables; this module derives
them from the settings so that one configuration drives ingestion, dbt, Dagster and the apps.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from yeelen.errors import ConfigurationError, EmptyWarehouseError, YeelenError
from yeelen.settings import Settings


def dbt_environment(settings: Settings) -> dict[str, str]:
    """Environment variables the dbt profile reads, for the configured warehouse and target."""
    env = {
        "YEELEN_DBT_TARGET": str(settings.dbt_target),
        "DBT_PROFILES_DIR": str(settings.dbt_project_dir),
        "DBT_PROJECT_DIR": str(settings.dbt_project_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "YEELEN_WAREHOUSE_PATH": str(settings.warehouse_path),
        "YEELEN_CURRENCY": settings.currency,
        "YEELEN_CURRENCY_PRECISION": str(settings.currency_precision),
    }
    if settings.warehouse_url:
        try:
            url = make_url(settings.warehouse_url)
        except Exception as error:  # noqa: BLE001 - any parse failure is a configuration error
            raise ConfigurationError(f"YEELEN_WAREHOUSE_URL is not a database URL: {error}") from None
        env.update(
            {
                "YEELEN_WAREHOUSE_HOST": url.host or "127.0.0.1",
                "YEELEN_WAREHOUSE_PORT": str(url.port or (1433 if settings.warehouse_engine == "sqlserver" else 5432)),
                "YEELEN_WAREHOUSE_USER": url.username or "",
                "YEELEN_WAREHOUSE_PASSWORD": url.password or "",
                "YEELEN_WAREHOUSE_DBNAME": url.database or "",
                "YEELEN_WAREHOUSE_ODBC_DRIVER": settings.warehouse_odbc_driver,
                "YEELEN_WAREHOUSE_TRUST_CERT": str(settings.warehouse_trust_cert),
            }
        )
    return env


@contextmanager
def dbt_environment_applied(settings: Settings) -> Iterator[None]:
    """Set the variables the dbt profile reads for the time of a block, then put the previous values back.

    Nothing leaks to what runs next in the same process: another utility's settings read ``YEELEN_*`` variables
    too, and a warehouse path left behind would point them at this utility's warehouse.
    """
    with environment_applied(dbt_environment(settings)):
        yield


@contextmanager
def environment_applied(values: dict[str, str]) -> Iterator[None]:
    """Environment variables set for the time of a block; the previous values (or their absence) come back after."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass(frozen=True)
class DbtOutcome:
    success: bool
    command: tuple[str, ...]
    failures: tuple[str, ...]
    timings: dict[str, float]


def run_dbt(settings: Settings, args: Sequence[str], target_path: Path | None = None) -> DbtOutcome:
    """Run one dbt command in-process (``build``, ``parse``, ``compile``...) and summarise its outcome."""
    from dbt.cli.main import dbtRunner

    command = [*args, "--project-dir", str(settings.dbt_project_dir), "--profiles-dir", str(settings.dbt_project_dir)]
    environment = dbt_environment(settings)
    # Compiled output and logs live with the stores they describe (by default under the home), so runs for other
    # utilities, other targets or in parallel never mix their files or reuse another run's parse.
    target_path = Path(target_path) if target_path is not None else Path(settings.home) / "dbt" / "target"
    command += ["--target-path", str(target_path)]
    environment["DBT_LOG_PATH"] = str(target_path / "logs")
    with environment_applied(environment):
        result = dbtRunner().invoke(command)
    failures: list[str] = []
    timings: dict[str, float] = {}
    if result.exception is not None:
        raise YeelenError(f"dbt {' '.join(args)} could not run: {result.exception}")
    outcome = result.result
    for node_result in getattr(outcome, "results", None) or []:
        node = getattr(node_result, "node", None)
        name = getattr(node, "unique_id", None) or str(node)
        timings[name] = float(getattr(node_result, "execution_time", 0.0) or 0.0)
        status = str(getattr(node_result, "status", "")).lower()
        if status in {"error", "fail", "runtime error"}:
            failures.append(f"{name}: {getattr(node_result, 'message', status)}")
    return DbtOutcome(bool(result.success), tuple(args), tuple(failures), timings)


def build(settings: Settings, select: str | None = None, exclude: str | None = None) -> DbtOutcome:
    """``dbt build`` of the project (seeds, models, tests) on the configured target; refuses an empty warehouse."""
    ensure_raw_loaded(settings)
    args = ["build", "--target", str(settings.dbt_target)]
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    outcome = run_dbt(settings, args)
    if not outcome.success:
        details = "\n  ".join(outcome.failures) or "see dbt_project/logs/dbt.log"
        raise YeelenError(f"dbt build failed:\n  {details}")
    return outcome


def ensure_raw_loaded(settings: Settings) -> None:
    """Raise a clear message when the warehouse has no raw data yet (ingestion never ran)."""
    if settings.warehouse_engine == "duckdb":
        path = Path(str(settings.warehouse_path))
        if not path.exists():
            raise EmptyWarehouseError(
                f"The warehouse {path} does not exist yet: run `yeelen ingest run` (or `yeelen pipeline run`) first."
            )
        import duckdb

        try:
            with duckdb.connect(str(path), read_only=True) as connection:
                count = connection.execute(
                    "select count(*) from information_schema.tables where table_schema = 'raw'"
                ).fetchone()[0]
        except duckdb.IOException as error:
            raise YeelenError(f"The warehouse {path} cannot be opened: {error}") from None
        if not count:
            raise EmptyWarehouseError(
                f"The warehouse {path} holds no raw data: run `yeelen ingest run` (or `yeelen pipeline run`) first."
            )
