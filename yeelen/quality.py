"""Controls across the stores: what the warehouse says against what the operational database holds.

Plain functions returning figures, so that Dagster's asset checks, the command line and the tests share them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from yeelen.errors import StoreUnavailableError
from yeelen.settings import Settings


def warehouse_rows(settings: Settings, sql: str) -> list[tuple]:
    """Rows of a query on the live warehouse (read-only); raises StoreUnavailableError when it is busy or absent."""
    if settings.warehouse_engine == "duckdb":
        import duckdb

        if not settings.warehouse_path.exists():
            raise StoreUnavailableError(f"no warehouse at {settings.warehouse_path} yet")
        try:
            connection = duckdb.connect(str(settings.warehouse_path), read_only=True)
        except duckdb.IOException as error:
            raise StoreUnavailableError(f"the warehouse is busy (another run writes it): {error}") from None
        try:
            return connection.sql(sql).fetchall()
        finally:
            connection.close()
    from sqlalchemy import create_engine, text

    engine = create_engine(str(settings.warehouse_url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def warehouse_has(settings: Settings, schema: str, table: str) -> bool:
    """Whether the warehouse holds ``schema.table``."""
    rows = warehouse_rows(
        settings,
        f"select count(*) from information_schema.tables where table_schema = '{schema}' and table_name = '{table}'",
    )
    return bool(rows and rows[0][0])


@dataclass
class LedgerComparison:
    """Sum of the customer ledgers per agency in both stores, and the agencies where they differ."""

    operational: dict[int, int]
    warehouse: dict[int, int]
    as_of: dt.datetime | None = None

    @property
    def differences(self) -> dict[int, tuple[int, int]]:
        agencies = set(self.operational) | set(self.warehouse)
        return {
            agency: (self.operational.get(agency, 0), self.warehouse.get(agency, 0))
            for agency in sorted(agencies)
            if self.operational.get(agency, 0) != self.warehouse.get(agency, 0)
        }


def ledger_by_agency(settings: Settings, built_at: dt.datetime | None = None) -> LedgerComparison:
    """Balances per agency: the operational ledger against ``marts.rpt_account_balances``.

    The operational side counts the entries created before the ingestion the marts were built from (the last one
    finished before ``built_at``, the marts' build time; the last one when unknown): money received since is not a
    difference, an entry the warehouse never saw (written with an old date behind ingestion's back, changed in
    place or deleted) is.
    """
    from operational_api.accounts.models import LedgerEntry
    from operational_api.customers.models import Customer
    from operational_api.db import make_engine, session_factory

    condition = ""
    if built_at is not None:
        moment = built_at.astimezone(dt.UTC).replace(tzinfo=None)
        condition = f" where finished_at <= '{moment:%Y-%m-%d %H:%M:%S.%f}'"
    [(started,)] = warehouse_rows(settings, f"select max(started_at) from raw._ingest_batches{condition}")
    as_of = None
    if started is not None:
        as_of = started if isinstance(started, dt.datetime) else dt.datetime.fromisoformat(str(started))
        as_of = as_of.replace(tzinfo=dt.UTC) if as_of.tzinfo is None else as_of
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            statement = (
                select(Customer.agency_id, func.coalesce(func.sum(LedgerEntry.amount), 0))
                .join(Customer, Customer.id == LedgerEntry.customer_id)
                .group_by(Customer.agency_id)
            )
            if as_of is not None:
                statement = statement.where(LedgerEntry.created_at <= as_of)
            operational = {int(agency): int(amount) for agency, amount in session.execute(statement)}
    finally:
        engine.dispose()
    warehouse = {
        int(agency): int(amount)
        for agency, amount in warehouse_rows(
            settings, "select agency_id, sum(balance_minor) from marts.rpt_account_balances group by agency_id"
        )
        if agency is not None
    }
    # An agency whose customers have no movement is absent from one side and zero on the other: the same.
    return LedgerComparison(
        {key: value for key, value in operational.items() if value},
        {key: value for key, value in warehouse.items() if value},
        as_of,
    )


@dataclass
class LossCompleteness:
    """Whether every metered piece of the network has its energy balances, period after period."""

    built: bool
    balances: int = 0
    equipment: int = 0
    missing_equipment: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    incomplete: int = 0
    untrusted: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.built or (not self.missing_equipment and not self.gaps and not self.incomplete)


LOSS_TABLE = "fct_energy_balance"
EQUIPMENT_OF_METERS = """
select 'transformer' as level, transformer_id from staging.stg_operational__network_meters
    where transformer_id is not null
union select 'feeder', feeder_id from staging.stg_operational__network_meters where feeder_id is not null
union select 'water_district', water_district_id from staging.stg_operational__network_meters
    where water_district_id is not null
"""


def loss_balances(settings: Settings) -> LossCompleteness:
    """Energy balances (``marts.fct_energy_balance``): metered equipment without any, months missing in between,
    balances without delivered energy or loss; "not built" while the losses models do not exist yet."""
    if not warehouse_has(settings, "marts", LOSS_TABLE):
        return LossCompleteness(built=False)
    table = f"marts.{LOSS_TABLE}"
    result = LossCompleteness(built=True)
    [(result.balances, result.equipment, result.incomplete)] = warehouse_rows(
        settings,
        f"select count(*), count(distinct balance_level || ':' || cast(equipment_id as varchar)),"
        f" sum(case when delivered is null or loss is null then 1 else 0 end) from {table}",
    )
    result.incomplete = int(result.incomplete or 0)
    if warehouse_has(settings, "staging", "stg_operational__network_meters"):
        result.missing_equipment = [
            f"{level} {equipment}"
            for level, equipment in warehouse_rows(
                settings,
                f"select m.level, m.transformer_id from ({EQUIPMENT_OF_METERS}) as m where not exists"
                f" (select 1 from {table} as b where b.balance_level = m.level and b.equipment_id = m.transformer_id)"
                " order by 1, 2",
            )
        ]
    result.gaps = [
        f"{level} {equipment} {month}"
        for level, equipment, month in warehouse_rows(
            settings,
            f"""
            with spans as (
                select balance_level, equipment_id, min(period_month) as first_month, max(period_month) as last_month
                from {table} group by balance_level, equipment_id
            ),
            months as (select distinct balance_level, period_month from {table})
            select spans.balance_level, spans.equipment_id, months.period_month
            from spans
            inner join months
                on months.balance_level = spans.balance_level
                and months.period_month between spans.first_month and spans.last_month
            where not exists (
                select 1 from {table} as b
                where b.balance_level = spans.balance_level and b.equipment_id = spans.equipment_id
                    and b.period_month = months.period_month
            )
            order by 1, 2, 3
            """,
        )
    ]
    try:
        result.untrusted = {
            str(issue): int(count)
            for issue, count in warehouse_rows(
                settings, f"select trust_issue, count(*) from {table} where trust_issue is not null group by 1"
            )
        }
    except Exception:  # noqa: BLE001 - an older balance without trust flags is still complete or not
        result.untrusted = {}
    return result


@dataclass(frozen=True)
class SourceFreshness:
    """When a source last delivered: the last ingestion run, or the last file of a kind taken."""

    source: str
    last: dt.datetime | None
    newest_row: dt.datetime | None = None

    def age_hours(self, now: dt.datetime | None = None) -> float | None:
        if self.last is None:
            return None
        moment = self.last if self.last.tzinfo else self.last.replace(tzinfo=dt.UTC)
        return ((now or dt.datetime.now(dt.UTC)) - moment).total_seconds() / 3600


def raw_freshness(settings: Settings) -> dict[str, SourceFreshness]:
    """Per operational table: the last ingestion run that read it and the newest change it holds."""
    from ingestion import ingestion_status

    return {
        status.table: SourceFreshness(status.table, status.last_loaded_at, status.watermark)
        for status in ingestion_status(settings)
    }


def intake_freshness(settings: Settings) -> Mapping[str, Any]:
    """Per kind of file: when one was last taken, and the unresolved quarantine."""
    from operational_api.db import make_engine, session_factory
    from operational_api.intake import service

    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            return {
                "latest": service.latest_files(session=session),
                "quarantine": service.quarantine_summary(session=session),
            }
    finally:
        engine.dispose()
