"""Queries of the Supervision screen: customers and consumption per agency and month, and the network.

Every number comes from a mart; these queries only filter and add up rows for the chosen month and agency.
All the SQL of the screen lives here so that a renamed mart column is fixed in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from data.warehouse import NoPublishedMarts, fetch

# "All agencies" is a null agency id; the cast gives the parameter a type on every engine.
AGENCY_FILTER = "(cast(:agency_id as bigint) is null or {column} = :agency_id)"

MONTHS_SQL = """
select distinct month
from marts.rpt_consumption_by_agency_month
order by month
"""

AGENCIES_SQL = """
select agency_id, agency_code, agency_name, city
from marts.dim_agencies
order by agency_name, agency_code
"""

KPIS_SQL = f"""
with consumption as (
    select
        sum(case when commodity = 'electricity' then consumption end) as electricity_kwh,
        sum(case when commodity = 'water' then consumption end) as water_m3,
        sum(contracts) as contracts,
        sum(estimated_contracts) as estimated_contracts
    from marts.rpt_consumption_by_agency_month
    where month = :month and {AGENCY_FILTER.format(column="agency_id")}
),
contracts as (
    select sum(active_contracts) as active_contracts, sum(customers) as customers
    from marts.rpt_contracts_by_agency
    where {AGENCY_FILTER.format(column="agency_id")}
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

MONTHLY_SQL = f"""
select
    month,
    commodity,
    unit,
    sum(consumption) as consumption,
    sum(estimated_consumption) as estimated_consumption
from marts.rpt_consumption_by_agency_month
where {AGENCY_FILTER.format(column="agency_id")}
group by month, commodity, unit
order by month, commodity
"""

BY_AGENCY_SQL = f"""
select
    agencies.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    agencies.city,
    contracts.active_contracts,
    contracts.customers,
    consumption.electricity_kwh,
    consumption.water_m3,
    cast(consumption.estimated_contracts as double precision)
        / nullif(consumption.contracts, 0) as estimated_share
from marts.dim_agencies as agencies
left join (
    select agency_id, sum(active_contracts) as active_contracts, sum(customers) as customers
    from marts.rpt_contracts_by_agency
    group by agency_id
) as contracts on contracts.agency_id = agencies.agency_id
left join (
    select
        agency_id,
        sum(case when commodity = 'electricity' then consumption end) as electricity_kwh,
        sum(case when commodity = 'water' then consumption end) as water_m3,
        sum(contracts) as contracts,
        sum(estimated_contracts) as estimated_contracts
    from marts.rpt_consumption_by_agency_month
    where month = :month
    group by agency_id
) as consumption on consumption.agency_id = agencies.agency_id
where {AGENCY_FILTER.format(column="agencies.agency_id")}
order by agencies.agency_name, agencies.agency_code
"""

TRANSFORMERS_SQL = f"""
select
    transformer_id, transformer_code, transformer_name, rating_kva, latitude, longitude,
    feeder_id, feeder_code, feeder_name,
    substation_id, substation_code, substation_name, substation_latitude, substation_longitude,
    agency_id, agency_code, agency_name, active_contracts
from marts.dim_transformers
where {AGENCY_FILTER.format(column="agency_id")}
order by feeder_code, transformer_code
"""

FEEDERS_SQL = f"""
select
    feeder_id, feeder_code, feeder_name, voltage_kv,
    substation_id, substation_code, substation_name, substation_latitude, substation_longitude,
    transformers, active_contracts
from marts.dim_feeders
where feeder_id in (
    select feeder_id from marts.dim_transformers where {AGENCY_FILTER.format(column="agency_id")}
)
order by feeder_code
"""


@dataclass(frozen=True)
class Agency:
    """An agency as offered in the filter."""

    agency_id: int
    code: str
    name: str
    city: str | None


@dataclass(frozen=True)
class Kpis:
    """The headline figures of a month, for one agency or all of them."""

    active_contracts: int | None
    customers: int | None
    electricity_kwh: float | None
    water_m3: float | None
    estimated_share: float | None


def months() -> list[dt.date]:
    """Months with consumption in the marts, oldest first; NoPublishedMarts when there are none."""
    frame = fetch(MONTHS_SQL)
    values = [_as_date(value) for value in frame["month"]]
    if not values:
        raise NoPublishedMarts("the marts hold no consumption yet")
    return values


def agencies() -> list[Agency]:
    """Agencies to choose from, by name."""
    frame = fetch(AGENCIES_SQL)
    return [
        Agency(int(row.agency_id), str(row.agency_code), str(row.agency_name), _text(row.city))
        for row in frame.itertuples(index=False)
    ]


def kpis(month: dt.date, agency_id: int | None) -> Kpis:
    """Headline figures of ``month`` for one agency, or all when ``agency_id`` is None."""
    row = _numeric(fetch(KPIS_SQL, month=month, agency_id=agency_id)).iloc[0]
    return Kpis(
        active_contracts=_integer(row["active_contracts"]),
        customers=_integer(row["customers"]),
        electricity_kwh=_real(row["electricity_kwh"]),
        water_m3=_real(row["water_m3"]),
        estimated_share=_real(row["estimated_share"]),
    )


def monthly_consumption(agency_id: int | None) -> pd.DataFrame:
    """Consumption and estimated consumption per month and commodity (columns: month, commodity, unit, ...)."""
    frame = _numeric(fetch(MONTHLY_SQL, agency_id=agency_id))
    frame["month"] = [_as_date(value) for value in frame["month"]]
    return frame


def by_agency(month: dt.date, agency_id: int | None) -> pd.DataFrame:
    """One row per agency for ``month``: contracts, customers, consumption per commodity, share estimated."""
    return _numeric(fetch(BY_AGENCY_SQL, month=month, agency_id=agency_id))


def transformers(agency_id: int | None) -> pd.DataFrame:
    """Transformers with their feeder, source substation and coordinates, for the map."""
    return _numeric(fetch(TRANSFORMERS_SQL, agency_id=agency_id))


def feeders(agency_id: int | None) -> pd.DataFrame:
    """Feeders that supply the agency's transformers (all feeders when ``agency_id`` is None)."""
    return _numeric(fetch(FEEDERS_SQL, agency_id=agency_id))


_NUMERIC_COLUMNS = {
    "active_contracts",
    "customers",
    "electricity_kwh",
    "water_m3",
    "estimated_share",
    "consumption",
    "estimated_consumption",
    "rating_kva",
    "latitude",
    "longitude",
    "substation_latitude",
    "substation_longitude",
    "voltage_kv",
    "transformers",
}


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    # Drivers return DECIMAL as Decimal (PostgreSQL) or float (DuckDB); the screen only displays them.
    frame = frame.copy()
    for column in _NUMERIC_COLUMNS.intersection(frame.columns):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _integer(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _real(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)
