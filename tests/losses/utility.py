"""A small generated utility for the loss tests: generated, ingested, its loss and suspect models built."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from yeelen.settings import Settings, load_settings

MODELS = ("+fct_suspect_contracts", "+fct_energy_balance", "+rpt_network_mapping_anomalies")


@dataclass
class Utility:
    """Settings of a generated utility and helpers to rebuild and query its warehouse."""

    settings: Settings

    @property
    def demo_dir(self) -> Path:
        """Folder of the generator's truth files."""
        return self.settings.demo_dir

    def ingest(self, full: bool = False) -> None:
        """Bring the operational database's changes into the warehouse."""
        from ingestion import run_ingestion

        run_ingestion(self.settings, full=full)

    def build(self, select: Sequence[str] = MODELS) -> None:
        """``dbt run`` of the selected models in a process of its own, so that no connection stays open here."""
        from yeelen.transform import dbt_environment

        home = self.settings.home
        env = {**os.environ, **dbt_environment(self.settings), "DBT_LOG_PATH": str(home / "dbt-logs")}
        command = [
            str(Path(sys.executable).with_name("dbt")),
            "run",
            "--select",
            *select,
            "--target-path",
            str(home / "dbt-target"),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=self.settings.dbt_project_dir)
        assert result.returncode == 0, result.stdout[-4000:]

    def query(self, sql: str) -> pd.DataFrame:
        """Rows of a query on the warehouse, read-only."""
        with duckdb.connect(str(self.settings.warehouse_path), read_only=True) as connection:
            return connection.execute(sql).df()


@contextmanager
def utility_under(home: Path, customers: int, months: int, seed: int, end_month: str) -> Iterator[Utility]:
    """Generate, ingest and build a utility under ``home``, with YEELEN_HOME pointing there meanwhile."""
    from operational_api.migrate import upgrade
    from yeelen.demo import generate

    previous = os.environ.get("YEELEN_HOME")
    os.environ["YEELEN_HOME"] = str(home)
    try:
        settings = load_settings()
        settings.ensure_home()
        upgrade(str(settings.operational_url))
        generate(
            str(settings.operational_url),
            customers=customers,
            months=months,
            seed=seed,
            end_month=end_month,
            demo_dir=settings.demo_dir,
        )
        utility = Utility(settings)
        utility.ingest(full=True)
        utility.build()
        yield utility
    finally:
        if previous is None:
            os.environ.pop("YEELEN_HOME", None)
        else:
            os.environ["YEELEN_HOME"] = previous
