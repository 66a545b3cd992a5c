"""A small demo utility generated once per test session, and helpers to read it back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from yeelen.demo import GenerationReport, generate

CUSTOMERS = 3_000
MONTHS = 24
SEED = 11
END_MONTH = "2025-12"


@dataclass
class Demo:
    """A generated demo: its database file, truth folder and report."""

    path: Path
    demo_dir: Path
    report: GenerationReport | None = None

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def frame(self, sql: str) -> pd.DataFrame:
        with sqlite3.connect(self.path) as connection:
            return pd.read_sql_query(sql, connection)

    def table(self, name: str) -> pd.DataFrame:
        return self.frame(f"select * from {name} order by id")


def make_demo(folder: Path, customers: int, months: int, seed: int, end_month: str = END_MONTH) -> Demo:
    path = folder / "operational.sqlite"
    demo_dir = folder / "demo"
    report = generate(f"sqlite:///{path}", customers, months, seed, end_month, demo_dir=demo_dir)
    return Demo(path=path, demo_dir=demo_dir, report=report)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """3,000 customers over 24 months, shared by the read-only tests."""
    return make_demo(tmp_path_factory.mktemp("demo"), CUSTOMERS, MONTHS, SEED)


@pytest.fixture(scope="session")
def readings(demo: Demo) -> pd.DataFrame:
    """Every reading with its contract's and meter's attributes, in id order."""
    return demo.frame(
        "select r.*, c.category, c.commodity, c.billing_cycle, c.start_date, c.end_date, c.status,"
        " m.digits, m.multiplier, rr.reading_day"
        " from reading r join contract c on c.id = r.contract_id join meter m on m.id = r.meter_id"
        " join reading_round rr on rr.id = c.reading_round_id order by r.id"
    )


@pytest.fixture(scope="session")
def real_steps(readings: pd.DataFrame) -> pd.DataFrame:
    """Consecutive real readings on the same meter, with the index difference and the days between them."""
    real = readings[(readings.source != "estimate") & readings.index_value.notna()].copy()
    real = real.sort_values(["contract_id", "meter_id", "reading_date", "id"])
    group = real.groupby(["contract_id", "meter_id"])
    real["previous"] = group.index_value.shift()
    real["previous_date"] = group.reading_date.shift()
    steps = real[real.previous.notna()].copy()
    steps["step"] = steps.index_value - steps.previous
    steps["days"] = (pd.to_datetime(steps.reading_date) - pd.to_datetime(steps.previous_date)).dt.days
    return steps


def sqlite_schema(path: Path) -> list[tuple[str, str, str | None]]:
    """Every object of a SQLite database with its DDL, the clauses of each table in a stable order.

    SQLite keeps the DDL as written; Alembic's batch mode writes a recreated table's constraints in the order of a
    set, which changes between processes. The clauses are compared as a set, the objects as a list.
    """

    def clauses(sql: str | None) -> str | None:
        if sql is None or "\n" not in sql:
            return sql
        head, *body, tail = sql.split("\n")
        return "\n".join([head, *sorted(line.strip().rstrip(",").strip() for line in body), tail])

    with sqlite3.connect(path) as connection:
        rows = connection.execute("select type, name, sql from sqlite_master order by name").fetchall()
    return [(kind, name, clauses(sql)) for kind, name, sql in rows]
