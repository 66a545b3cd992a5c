"""Queries of the Supervision screen: customers, consumption, billing, collection, receivables and losses per
agency and month, with a drill-down to the reading rounds of an agency, and the network.

Every number comes from a mart; these queries only filter the rows of the user's agencies (and the chosen
agency or round) and add them up. All the SQL of the screen lives here, so that a renamed column is fixed in one
place. The filters come from :mod:`data.scope`: column names and bound parameter names, never values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data.frames import as_date, dates, numbers
from data.scope import Scope, agency_filter
from data.warehouse import NoPublishedMarts, fetch

MONTHS_SQL = """
select month from marts.rpt_consumption_by_agency_month
union
select month from marts.rpt_billing_collection_by_round
order by month
"""

LATEST_BILLED_SQL = """
select max(month) as month from marts.rpt_billing_collection_by_round where billed_minor > 0
"""

KPIS_SQL = """
with consumption as (
    select
        sum(case when commodity = 'electricity' then consumption end) as electricity_kwh,
        sum(case when commodity = 'water' then consumption end) as water_m3,
        sum(contracts) as contracts,
        sum(estimated_contracts) as estimated_contracts
    from marts.rpt_consumption_by_agency_month
    where month = :month and {where}
),
contracts as (
    select sum(active_contracts) as active_contracts, sum(customers) as customers
    from marts.rpt_contracts_by_agency
    where {where}
)
select
    contracts.active_contracts,
    contracts.customers,
    consumption.electricity_kwh,
    consumption.water_m3,
    cast(consumption.estimated_contracts as double precision)
        / nullif(consumption.contracts, 0) as estimated_share
from consumption cross join contracts
"""

MONTHLY_SQL = """
select
    month,
    commodity,
    unit,
    sum(consumption) as consumption,
    sum(estimated_consumption) as estimated_consumption
from marts.rpt_consumption_by_agency_month
where {where}
group by month, commodity, unit
order by month, commodity
"""

# One level of rpt_billing_collection_by_round, its commodities side by side. The sums add the rows of several
# agencies when the user sees several; at one agency or one round they are that row's own figures.
BILLING_COLUMNS = """
    sum(case when commodity = 'all' then customers_billed end) as customers_billed,
    sum(case when commodity = 'electricity' then quantity_billed end) as electricity_kwh,
    sum(case when commodity = 'water' then quantity_billed end) as water_m3,
    sum(case when commodity = 'all' then billed_minor end) as billed_minor,
    sum(case when commodity = 'all' then net_billed_minor end) as net_billed_minor,
    sum(case when commodity = 'all' then collected_minor end) as collected_minor,
    cast(sum(case when commodity = 'all' then collected_minor end) as double precision)
        / nullif(sum(case when commodity = 'all' then net_billed_minor end), 0) as collection_rate
"""

BILLING_KPIS_SQL = f"""
select {BILLING_COLUMNS}
from marts.rpt_billing_collection_by_round
where level = :level and month = :month and {{where}} and {{round}}
"""

BILLING_TREND_SQL = f"""
select month, {BILLING_COLUMNS}
from marts.rpt_billing_collection_by_round
where level = :level and {{where}} and {{round}}
group by month
order by month
"""

BY_AGENCY_SQL = f"""
with billing as (
    select agency_id, {BILLING_COLUMNS}
    from marts.rpt_billing_collection_by_round
    where level = 'agency' and month = :month and {{where_billing}}
    group by agency_id
),
receivables as (
    select agency_id, sum(open_minor) as receivables_minor
    from marts.rpt_aged_balance
    where {{where_aged}}
    group by agency_id
),
losses as (
    select
        agency_id,
        cast(sum(loss) as double precision) / nullif(sum(delivered), 0) as loss_share
    from marts.rpt_losses_by_agency_period
    where commodity = 'electricity' and period_month = :month and {{where_losses}}
    group by agency_id
),
contracts as (
    select agency_id, sum(active_contracts) as active_contracts
    from marts.rpt_contracts_by_agency
    group by agency_id
)
select
    agencies.agency_id,
    agencies.agency_code as code,
    agencies.agency_name as name,
    contracts.active_contracts,
    billing.customers_billed,
    billing.electricity_kwh,
    billing.water_m3,
    billing.billed_minor,
    billing.collected_minor,
    billing.collection_rate,
    receivables.receivables_minor,
    losses.loss_share
from marts.dim_agencies as agencies
left join contracts on contracts.agency_id = agencies.agency_id
left join billing on billing.agency_id = agencies.agency_id
left join receivables on receivables.agency_id = agencies.agency_id
left join losses on losses.agency_id = agencies.agency_id
where {{where_agencies}}
order by agencies.agency_name, agencies.agency_code
"""

BY_ROUND_SQL = f"""
select
    reading_round_id,
    coalesce(max(reading_round_code), '—') as code,
    {BILLING_COLUMNS}
from marts.rpt_billing_collection_by_round
where level = 'round' and month = :month and {{where}}
group by reading_round_id
order by code
"""

ROUNDS_SQL = """
select distinct reading_round_id, reading_round_code
from marts.rpt_billing_collection_by_round
where level = 'round' and reading_round_id is not null and {where}
order by reading_round_code
"""

AGED_SQL = """
select
    max(as_of) as as_of,
    sum(not_due_minor) as not_due,
    sum(days_0_30_minor) as days_0_30,
    sum(days_31_60_minor) as days_31_60,
    sum(days_61_90_minor) as days_61_90,
    sum(days_91_180_minor) as days_91_180,
    sum(days_181_365_minor) as days_181_365,
    sum(over_365_minor) as over_365,
    sum(open_minor) as open_minor,
    sum(customers) as customers
from marts.rpt_aged_balance
where {where}
"""

AGED_BY_AGENCY_SQL = """
select
    agencies.agency_code as code,
    sum(aged.not_due_minor) as not_due,
    sum(aged.days_0_30_minor) as days_0_30,
    sum(aged.days_31_60_minor) as days_31_60,
    sum(aged.days_61_90_minor) as days_61_90,
    sum(aged.days_91_180_minor) as days_91_180,
    sum(aged.days_181_365_minor) as days_181_365,
    sum(aged.over_365_minor) as over_365
from marts.rpt_aged_balance as aged
inner join marts.dim_agencies as agencies on agencies.agency_id = aged.agency_id
where {where}
group by agencies.agency_code
order by agencies.agency_code
"""

LOSSES_SQL = """
select
    period_month as month,
    sum(delivered) as delivered,
    sum(loss) as loss,
    cast(sum(loss) as double precision) / nullif(sum(delivered), 0) as loss_share,
    cast(sum(non_technical_loss) as double precision) / nullif(sum(delivered), 0) as non_technical_share,
    sum(loss_value_minor) as loss_value_minor,
    sum(non_technical_value_minor) as non_technical_value_minor
from marts.rpt_losses_by_agency_period
where commodity = 'electricity' and {where}
group by period_month
order by period_month
"""

TRANSFORMERS_SQL = """
select
    transformer_id, transformer_code, transformer_name, rating_kva, latitude, longitude,
    feeder_id, feeder_code, feeder_name,
    substation_id, substation_code, substation_name, substation_latitude, substation_longitude,
    agency_id, agency_code, agency_name, active_contracts
from marts.dim_transformers
where {where}
order by feeder_code, transformer_code
"""

FEEDERS_SQL = """
select
    feeder_id, feeder_code, feeder_name, voltage_kv,
    substation_id, substation_code, substation_name, substation_latitude, substation_longitude,
    transformers, active_contracts
from marts.dim_feeders
where feeder_id in (select feeder_id from marts.dim_transformers where {where})
order by feeder_code
"""

AGE_BUCKETS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_91_180", "days_181_365", "over_365")


@dataclass(frozen=True)
class Kpis:
    """The headline figures of a month: contracts, customers and consumption."""

    active_contracts: int | None
    customers: int | None
    electricity_kwh: float | None
    water_m3: float | None
    estimated_share: float | None


@dataclass(frozen=True)
class BillingKpis:
    """Billing and collection of a month at the chosen level (amounts in minor units)."""

    customers_billed: int | None
    electricity_kwh: float | None
    water_m3: float | None
    billed_minor: float | None
    collected_minor: float | None
    collection_rate: float | None


@dataclass(frozen=True)
class Round:
    """A reading round offered in the drill-down."""

    round_id: int
    code: str


def months() -> list[dt.date]:
    """Months with consumption or billing in the marts, oldest first; NoPublishedMarts when there are none."""
    values = [as_date(value) for value in fetch(MONTHS_SQL)["month"]]
    if not values:
        raise NoPublishedMarts("the marts hold no consumption yet")
    return values


def latest_billed_month() -> dt.date | None:
    """The latest month billed: the later months hold only payments and readings of a period not yet billed."""
    value = fetch(LATEST_BILLED_SQL)["month"].iloc[0]
    return None if pd.isna(value) else as_date(value)


def kpis(month: dt.date, scope: Scope, agency_id: int | None) -> Kpis:
    """Contracts, customers and consumption of ``month`` in the user's agencies, or one of them."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    row = _numeric(fetch(KPIS_SQL.format(where=where), month=month, **parameters)).iloc[0]
    return Kpis(
        active_contracts=_integer(row["active_contracts"]),
        customers=_integer(row["customers"]),
        electricity_kwh=_real(row["electricity_kwh"]),
        water_m3=_real(row["water_m3"]),
        estimated_share=_real(row["estimated_share"]),
    )


def monthly_consumption(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Consumption and estimated consumption per month and commodity (columns: month, commodity, unit, ...)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return dates(_numeric(fetch(MONTHLY_SQL.format(where=where), **parameters)), ["month"])


def billing_kpis(month: dt.date, scope: Scope, agency_id: int | None, round_id: int | None) -> BillingKpis:
    """Customers, quantities and amounts billed, amount collected and the collection rate of ``month``."""
    level, where, round_filter, parameters = _billing_level(scope, agency_id, round_id)
    sql = BILLING_KPIS_SQL.format(where=where, round=round_filter)
    row = _numeric(fetch(sql, level=level, month=month, **parameters)).iloc[0]
    return BillingKpis(
        customers_billed=_integer(row["customers_billed"]),
        electricity_kwh=_real(row["electricity_kwh"]),
        water_m3=_real(row["water_m3"]),
        billed_minor=_real(row["billed_minor"]),
        collected_minor=_real(row["collected_minor"]),
        collection_rate=_real(row["collection_rate"]),
    )


def billing_trend(scope: Scope, agency_id: int | None, round_id: int | None) -> pd.DataFrame:
    """Billing and collection of every month at the chosen level (columns: month, billed_minor, ...)."""
    level, where, round_filter, parameters = _billing_level(scope, agency_id, round_id)
    frame = fetch(BILLING_TREND_SQL.format(where=where, round=round_filter), level=level, **parameters)
    return dates(_numeric(frame), ["month"])


def by_agency(month: dt.date, scope: Scope) -> pd.DataFrame:
    """One line per agency of the user: contracts, billing, collection, receivables and loss of ``month``."""
    filters = {
        f"where_{name}": agency_filter(column, scope)
        for name, column in (
            ("billing", "agency_id"),
            ("aged", "agency_id"),
            ("losses", "agency_id"),
            ("agencies", "agencies.agency_id"),
        )
    }
    sql = BY_AGENCY_SQL.format(**{name: where for name, (where, _parameters) in filters.items()})
    parameters: dict[str, object] = {}
    for _where, bound in filters.values():
        parameters.update(bound)
    return _numeric(fetch(sql, month=month, **parameters))


def by_round(month: dt.date, scope: Scope, agency_id: int) -> pd.DataFrame:
    """One line per reading round of an agency for ``month`` (payments naming no contract on a line of their own)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return _numeric(fetch(BY_ROUND_SQL.format(where=where), month=month, **parameters))


def rounds(scope: Scope, agency_id: int) -> list[Round]:
    """Reading rounds of an agency that have billing in the marts."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    frame = fetch(ROUNDS_SQL.format(where=where), **parameters)
    return [Round(int(row.reading_round_id), str(row.reading_round_code)) for row in frame.itertuples(index=False)]


def aged_balance(scope: Scope, agency_id: int | None) -> pd.Series:
    """Open amounts by age (not due, 0-30 days, ... over 365) in the user's agencies, or one of them."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return _numeric(fetch(AGED_SQL.format(where=where), **parameters)).iloc[0]


def aged_balance_by_agency(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Open amounts by age, one line per agency."""
    where, parameters = agency_filter("aged.agency_id", scope, agency_id)
    return _numeric(fetch(AGED_BY_AGENCY_SQL.format(where=where), **parameters))


def losses(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Electricity losses per month over the trusted balances (columns: month, loss_share, ...)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return dates(_numeric(fetch(LOSSES_SQL.format(where=where), **parameters)), ["month"])


def transformers(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Transformers with their feeder, source substation and coordinates, for the map."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return _numeric(fetch(TRANSFORMERS_SQL.format(where=where), **parameters))


def feeders(scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Feeders that supply the transformers of the user's agencies (or of one of them)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    return _numeric(fetch(FEEDERS_SQL.format(where=where), **parameters))


def _billing_level(
    scope: Scope, agency_id: int | None, round_id: int | None
) -> tuple[str, str, str, dict[str, object]]:
    where, parameters = agency_filter("agency_id", scope, agency_id)
    if agency_id is not None and round_id is not None:
        return "round", where, "reading_round_id = :round_id", {**parameters, "round_id": int(round_id)}
    return "agency", where, "1 = 1", parameters


NUMBERS = (
    "active_contracts",
    "customers",
    "electricity_kwh",
    "water_m3",
    "estimated_share",
    "consumption",
    "estimated_consumption",
    "customers_billed",
    "billed_minor",
    "net_billed_minor",
    "collected_minor",
    "collection_rate",
    "receivables_minor",
    "loss_share",
    "non_technical_share",
    "loss_value_minor",
    "non_technical_value_minor",
    "delivered",
    "loss",
    "open_minor",
    *AGE_BUCKETS,
    "rating_kva",
    "latitude",
    "longitude",
    "substation_latitude",
    "substation_longitude",
    "voltage_kv",
    "transformers",
)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    return numbers(frame, NUMBERS)


def _integer(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _real(value: object) -> float | None:
    return None if pd.isna(value) else float(value)
