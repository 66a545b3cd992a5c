-- One row per closing reading of a contract: the consumption since the previous reading, its period and flags.
with consumptions as (
    select * from {{ ref('int_consumptions_computed') }}
),

contracts as (
    select * from {{ ref('dim_contracts') }}
)

select
    consumptions.reading_id,
    consumptions.contract_id,
    contracts.customer_id,
    contracts.agency_id,
    contracts.reading_round_id,
    contracts.commodity,
    contracts.category,
    contracts.billing_cycle,
    case when contracts.commodity = 'water' then 'm3' else 'kWh' end as unit,
    consumptions.meter_id,
    consumptions.period_start,
    consumptions.period_end,
    {{ month_start('consumptions.period_end') }} as billing_month,
    consumptions.period_days,
    consumptions.consumption,
    consumptions.is_opening,
    consumptions.is_estimated,
    consumptions.follows_estimate,
    consumptions.has_rollover,
    consumptions.has_meter_change,
    consumptions.has_index_backwards,
    consumptions.corrects_estimate
from consumptions
inner join contracts on consumptions.contract_id = contracts.contract_id
