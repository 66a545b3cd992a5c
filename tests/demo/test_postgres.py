"""The same demo loads into PostgreSQL with the same content, and later inserts still get fresh ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.models import Agency, metadata
from yeelen.demo import TABLES, DemoDatabaseNotEmptyError, generate

pytestmark = pytest.mark.postgres

ARGS = {"customers": 800, "months": 12, "seed": 21, "end_month": "2025-03"}


def _content(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        content = {}
        for name in TABLES:
            table = metadata.tables[name]
            content[name] = [tuple(row) for row in connection.execute(select(table).order_by(table.c.id))]
    engine.dispose()
    return content


def test_postgres_gets_the_same_rows_as_sqlite(postgres_database: str, tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'operational.sqlite'}"
    generate(sqlite_url, demo_dir=tmp_path / "sqlite", **ARGS)
    report = generate(postgres_database, demo_dir=tmp_path / "postgres", **ARGS)
    assert report.counts["reading"] > 5_000
    expected = _content(sqlite_url)
    found = _content(postgres_database)
    for name in TABLES:
        assert len(found[name]) == report.counts[name], name
        assert found[name] == expected[name], name
    sample = found["contract"][0]
    assert isinstance(sample[-1], dt.datetime) and sample[-1].tzinfo is not None

    # The id sequences continue after the generated rows.
    factory = session_factory(make_engine(postgres_database))
    with unit_of_work(factory) as session:
        agency = Agency(code="NEW", name="Agence nouvelle", city="Dakar")
        session.add(agency)
        session.flush()
        assert agency.id == session.scalar(select(func.max(Agency.id)))
        assert agency.id == report.counts["agency"] + 1

    with pytest.raises(DemoDatabaseNotEmptyError, match="--replace"):
        generate(postgres_database, demo_dir=tmp_path / "postgres", **ARGS)
    again = generate(postgres_database, demo_dir=tmp_path / "postgres", replace=True, **ARGS)
    assert again.counts == report.counts
    assert _content(postgres_database) == expected
