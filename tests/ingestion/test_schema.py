"""The raw schema is derived from the models' metadata, not from a list kept by hand."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import JSON, Boolean, Column, Date, Double, Integer, MetaData, Numeric, String, Table

from ingestion.schema import Kind, RawColumn, lower_bound, raw_tables
from operational_api.db import ExactDecimal, IdType, UTCDateTime
from operational_api.models import metadata
from yeelen.errors import ConfigurationError

INGESTION = Path(__file__).resolve().parents[2] / "ingestion"


def table(metadata: MetaData, name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("id", IdType, primary_key=True),
        *columns,
        Column("updated_at", UTCDateTime, nullable=False),
    )


def test_every_operational_table_is_ingested_in_dependency_order() -> None:
    tables = raw_tables()
    kept = [table for table in metadata.sorted_tables if table.info.get("ingest", True)]
    assert [item.name for item in tables] == [table.name for table in kept]
    assert "alembic_version" not in {item.name for item in tables}
    assert {"draft_bill", "draft_bill_line"} & {item.name for item in tables} == set()
    for item in tables:
        expected = [column.name for column in metadata.tables[item.name].columns if column.info.get("ingest", True)]
        assert item.column_names == expected


def test_secrets_never_leave_the_operational_database() -> None:
    columns = {(item.name, name) for item in raw_tables() for name in item.column_names}
    assert ("app_user", "password_hash") not in columns
    assert ("api_token", "token_hash") not in columns
    assert ("payment_partner", "secret_hash") not in columns
    assert ("app_user", "login") in columns


def test_a_new_table_and_its_types_are_picked_up_from_the_metadata() -> None:
    extra = MetaData()
    table(
        extra,
        "payment",
        Column("amount", Integer),
        Column("rate", ExactDecimal(18, 4)),
        Column("ratio", Double),
        Column("paid_on", Date),
        Column("reversed", Boolean),
        Column("channel", String(20)),
        Column("legacy_amount", Numeric(12, 3)),
    )
    Table("alembic_version", extra, Column("version_num", String(32)))

    [payment] = raw_tables(extra)

    assert payment.columns == (
        RawColumn("id", Kind.BIGINT),
        RawColumn("amount", Kind.BIGINT),
        RawColumn("rate", Kind.DECIMAL, 18, 4),
        RawColumn("ratio", Kind.DOUBLE),
        RawColumn("paid_on", Kind.DATE),
        RawColumn("reversed", Kind.BOOLEAN),
        RawColumn("channel", Kind.VARCHAR),
        RawColumn("legacy_amount", Kind.DECIMAL, 12, 3),
        RawColumn("updated_at", Kind.TIMESTAMP),
    )


def test_a_table_without_updated_at_is_refused_with_a_reason() -> None:
    extra = MetaData()
    Table("note", extra, Column("id", Integer, primary_key=True))
    with pytest.raises(ConfigurationError, match="note has no updated_at column"):
        raw_tables(extra)


def test_an_unmapped_type_is_refused_with_where_to_add_it() -> None:
    extra = MetaData()
    table(extra, "document", Column("body", JSON))
    with pytest.raises(ConfigurationError, match=r"document\.body .* ingestion/schema\.py"):
        raw_tables(extra)


def test_the_lower_bound_is_the_watermark_minus_the_lookback_floored_to_the_second() -> None:
    watermark = dt.datetime(2025, 3, 1, 10, 0, 0, 750_000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert lower_bound(watermark, 300) == dt.datetime(2025, 3, 1, 8, 55, 0)
    assert lower_bound(None, 300) is None


def test_ingestion_imports_no_orchestration() -> None:
    for path in INGESTION.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"dagster", "dagster_dbt", "orchestration", "streamlit"}, (
                    f"{path.name} imports {name}"
                )
