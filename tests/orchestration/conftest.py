"""A tiny utility with its warehouse built, and helpers to run jobs and sensors in-process on one instance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import dagster as dg
import pytest
from sqlalchemy import Engine, text

from operational_api.db import make_engine
from tests.smtp import smtp_server  # noqa: F401 - a fixture of these tests
from yeelen.settings import Settings

MONTH = "2026-09-01"


@dataclass
class Cycle:
    """One utility, its code location and one Dagster instance for every run and sensor of a test."""

    settings: Settings
    definitions: dg.Definitions
    instance: dg.DagsterInstance
    engine: Engine
    cursors: dict[str, str | None] = field(default_factory=dict)

    def run(self, job: str, partition: str | None = None, config: dict | None = None, **kwargs):
        return self.definitions.resolve_job_def(job).execute_in_process(
            instance=self.instance, partition_key=partition, run_config=config or {}, raise_on_error=False, **kwargs
        )

    def sensor_requests(self, sensor) -> list[dg.RunRequest]:
        """One tick of a sensor, as the daemon runs it (the cursor kept from the last tick)."""
        from orchestration.defs.alerts.resources import AlertsResource
        from orchestration.resources import YeelenSettingsResource

        context = dg.build_sensor_context(
            instance=self.instance,
            cursor=self.cursors.get(sensor.name),
            resources={"yeelen": YeelenSettingsResource(), "alerts": AlertsResource()},
            definitions=self.definitions,
        )
        result = sensor.evaluate_tick(context)
        self.cursors[sensor.name] = result.cursor
        return result.run_requests

    def rows(self, sql: str, **params) -> list[tuple]:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()


@pytest.fixture
def cycle(settings: Settings) -> Iterator[Cycle]:
    """A generated utility (tariffs loaded), ingested and built once by the pipeline job."""
    from orchestration.definitions import defs
    from yeelen.demo import generate
    from yeelen.launcher import load_tariffs

    generate(
        str(settings.operational_url), customers=150, months=3, seed=3, end_month="2026-09", demo_dir=settings.demo_dir
    )
    load_tariffs(settings, lambda message: None)
    engine = make_engine(str(settings.operational_url))
    with dg.instance_for_test() as instance:
        cycle = Cycle(settings, defs(), instance, engine)
        built = cycle.run("yeelen_pipeline", config={"ops": {"raw_tables_landed": {"config": {"full": True}}}})
        assert built.success
        yield cycle
    engine.dispose()
