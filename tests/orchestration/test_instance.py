"""The Dagster instance of a server deployment, as docs/operations.md configures it: runs, events and schedules
kept in PostgreSQL, seen by every process that opens the same instance (webserver, daemon, `yeelen` commands)."""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from orchestration.policies import WAREHOUSE_TAGS

WAREHOUSE_TAG = next(iter(WAREHOUSE_TAGS))
OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def documented_instance_yaml() -> str:
    """The `$DAGSTER_HOME/dagster.yaml` block of the deployment guide."""
    after = OPERATIONS.read_text(encoding="utf-8").split("**`$DAGSTER_HOME/dagster.yaml`**", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", after, re.DOTALL)
    assert found is not None, "docs/operations.md lost its dagster.yaml example"
    return found.group(1)


@dg.asset
def heartbeat() -> int:
    return 1


def test_the_documented_instance_keeps_runs_and_events_in_postgresql(postgres_database, tmp_path, monkeypatch) -> None:
    url = make_url(postgres_database)
    monkeypatch.setenv("DAGSTER_PG_USER", url.username or "postgres")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", url.password or "")
    monkeypatch.setenv("DAGSTER_PG_HOST", url.host or "127.0.0.1")
    monkeypatch.setenv("DAGSTER_PG_DB", url.database)
    home = tmp_path / "dagster"
    home.mkdir()
    # The guide's file as it is, on the test server's port.
    (home / "dagster.yaml").write_text(
        documented_instance_yaml().replace("port: 5432", f"port: {url.port or 5432}"), encoding="utf-8"
    )

    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        # The queue lets one run that opens the warehouse go at a time (the jobs carry the tag, test_definitions).
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
        assert {"key": WAREHOUSE_TAG, "limit": 1} in [dict(limit) for limit in limits]
        # The daemon stops runs past their maximum runtime (the warehouse's jobs carry one) and resumes none.
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_max_resume_run_attempts == 0
        result = dg.materialize([heartbeat], instance=instance)
        assert result.success

    # Another process opening the same instance (the daemon, the webserver) sees the run and what it materialised.
    with dg.DagsterInstance.from_config(str(home)) as other:
        assert [run.run_id for run in other.get_runs()] == [result.run_id]
        assert other.get_latest_materialization_event(dg.AssetKey("heartbeat")) is not None

    engine = create_engine(postgres_database)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select count(*) from runs")).scalar() == 1
    finally:
        engine.dispose()
