"""A small generated utility (no warehouse needed) for the intake tests, and helpers to read its database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from operational_api.db import make_engine
from yeelen.demo import generate
from yeelen.launcher import load_tariffs
from yeelen.settings import Settings


@dataclass
class Utility:
    """The settings of a generated utility and an engine on its operational database."""

    settings: Settings
    engine: Engine

    def rows(self, sql: str, **params) -> list[tuple]:
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def scalar(self, sql: str, **params):
        with self.engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()

    def execute(self, sql: str, **params) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)

    def meters_in_place(self, count: int = 5) -> list[tuple[str, str, int]]:
        """(contract reference, meter serial, digits) of active postpaid contracts with a meter in place."""
        return self.rows(
            "select c.reference, m.serial, m.digits from contract c"
            " join meter_installation i on i.contract_id = c.id and i.removed_on is null"
            " join meter m on m.id = i.meter_id"
            " where c.status = 'active' and c.payment_mode = 'postpaid' order by c.id limit :count",
            count=count,
        )

    def inbox(self, folder: str) -> Path:
        path = Path(self.settings.inbox) / folder
        path.mkdir(parents=True, exist_ok=True)
        return path


@pytest.fixture
def utility(settings: Settings) -> Utility:
    generate(
        str(settings.operational_url), customers=150, months=3, seed=5, end_month="2026-09", demo_dir=settings.demo_dir
    )
    load_tariffs(settings, lambda message: None)
    engine = make_engine(str(settings.operational_url))
    yield Utility(settings, engine)
    engine.dispose()


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
