"""Queries of the Losses screen: the energy balance per feeder and transformer (water district for water), and
the customers and suspects of one transformer.

Every figure is a column of ``marts.fct_energy_balance``, ``marts.dim_contracts`` or
``marts.fct_suspect_contracts``; the queries only filter the user's agencies and the chosen period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data.frames import as_date, dates, numbers
from data.scope import Scope, agency_filter
from data.warehouse import NoPublishedMarts, fetch

# The most equipment drawn on the map at once: beyond, the page lists the worst and asks for a narrower filter.
MAP_LIMIT = 1500
# The most balances listed in the table, worst first (the export holds them all): the same as the map draws.
TABLE_LIMIT = MAP_LIMIT
# The most customers listed for one transformer (a large one feeds a few hundred).
CUSTOMER_LIMIT = 2000

LEVELS = {"electricity": ("transformer", "feeder"), "water": ("water_district",)}

PERIODS_SQL = """
select distinct period_month
from marts.fct_energy_balance
where commodity = :commodity and {where}
order by period_month
"""

# The latest month whose balances are mostly trusted: the month just ended has its customers' readings still coming
# in (estimates, missing readings), and its balances say so.
TRUSTED_PERIOD_SQL = """
select max(period_month) as period_month
from (
    select period_month
    from marts.fct_energy_balance
    where commodity = :commodity and {where}
    group by period_month
    having avg(case when is_trusted then 1.0 else 0.0 end) >= 0.5
) as mostly_trusted
"""

BALANCES_SQL = """
select
    equipment_id, equipment_code, equipment_name, balance_level, agency_code, agency_name,
    latitude, longitude, period_start, period_end, rating_kva, active_contracts,
    delivered, consumed, loss, loss_share, technical_share, non_technical_share, non_technical_loss,
    loss_value_minor, non_technical_value_minor, trend, loss_share_change, is_trusted, trust_issue,
    estimated_share, coverage_share
from marts.fct_energy_balance
where balance_level = :level and commodity = :commodity and period_month = :month and {where}
order by loss_share desc nulls last, equipment_code
"""

HISTORY_SQL = """
select period_month as month, loss_share, non_technical_share, delivered, consumed, is_trusted
from marts.fct_energy_balance
where balance_level = :level and equipment_id = :equipment_id and {where}
order by period_month
"""

CUSTOMERS_SQL = """
select
    contracts.contract_reference, contracts.customer_reference, contracts.customer_name, contracts.category,
    contracts.subscribed_power, contracts.power_unit, contracts.contract_status, contracts.meter_serial,
    contracts.address, contracts.latitude, contracts.longitude,
    suspects.score, suspects.rule_codes, suspects.is_suspect
from marts.dim_contracts as contracts
left join marts.fct_suspect_contracts as suspects on suspects.contract_id = contracts.contract_id
where contracts.transformer_id = :transformer_id and {where}
order by suspects.priority desc nulls last, contracts.contract_reference
limit {limit}
"""

SUSPECTS_SQL = """
select
    contract_reference, customer_reference, customer_name, category, score, priority, rule_codes,
    reasons_fr, reasons_en, latitude, longitude, transformer_rank
from marts.fct_suspect_contracts
where transformer_id = :transformer_id and is_suspect and {where}
order by transformer_rank
"""

NUMBERS = (
    "latitude",
    "longitude",
    "rating_kva",
    "active_contracts",
    "delivered",
    "consumed",
    "loss",
    "loss_share",
    "technical_share",
    "non_technical_share",
    "non_technical_loss",
    "loss_value_minor",
    "non_technical_value_minor",
    "loss_share_change",
    "estimated_share",
    "coverage_share",
    "subscribed_power",
    "score",
    "priority",
    "transformer_rank",
)


def periods(commodity: str, scope: Scope, agency_id: int | None) -> list[dt.date]:
    """Months with a balance for ``commodity`` in the user's agencies, oldest first."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    frame = fetch(PERIODS_SQL.format(where=where), commodity=commodity, **parameters)
    values = [as_date(value) for value in frame["period_month"]]
    if not values:
        raise NoPublishedMarts("no energy balance yet")
    return values


def latest_trusted_period(commodity: str, scope: Scope, agency_id: int | None) -> dt.date | None:
    """The latest month at least half of whose balances can be trusted (None when no month is)."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    value = fetch(TRUSTED_PERIOD_SQL.format(where=where), commodity=commodity, **parameters)["period_month"].iloc[0]
    return None if pd.isna(value) else as_date(value)


def balances(level: str, commodity: str, month: dt.date, scope: Scope, agency_id: int | None) -> pd.DataFrame:
    """Balances of one level (feeder, transformer, water district) for the month, worst loss first."""
    where, parameters = agency_filter("agency_id", scope, agency_id)
    frame = fetch(BALANCES_SQL.format(where=where), level=level, commodity=commodity, month=month, **parameters)
    return numbers(frame, NUMBERS)


def history(level: str, equipment_id: int, scope: Scope) -> pd.DataFrame:
    """Every period's balance of one piece of equipment (columns: month, loss_share, ...)."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(HISTORY_SQL.format(where=where), level=level, equipment_id=int(equipment_id), **parameters)
    return dates(numbers(frame, NUMBERS), ["month"])


def transformer_customers(transformer_id: int, scope: Scope) -> pd.DataFrame:
    """Contracts fed by a transformer with their suspicion score, suspects first."""
    where, parameters = agency_filter("contracts.agency_id", scope)
    sql = CUSTOMERS_SQL.format(where=where, limit=CUSTOMER_LIMIT)
    return numbers(fetch(sql, transformer_id=int(transformer_id), **parameters), NUMBERS)


def transformer_suspects(transformer_id: int, scope: Scope) -> pd.DataFrame:
    """The suspects of a transformer, by their rank on it."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(SUSPECTS_SQL.format(where=where), transformer_id=int(transformer_id), **parameters)
    return numbers(frame, NUMBERS)
