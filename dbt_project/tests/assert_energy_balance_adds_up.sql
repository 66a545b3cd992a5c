{{ config(meta={'dagster': {'ref': {'name': 'fct_energy_balance'}}}) }}
-- Every balance adds up (loss = delivered - consumed = technical + non-technical), once per equipment and
-- period, and a substation delivers exactly what its feeders delivered over the same period.
with balances as (
    select * from {{ ref('fct_energy_balance') }}
),

duplicates as (
    select balance_level, equipment_id, period_start, period_end
    from balances
    group by balance_level, equipment_id, period_start, period_end
    having count(*) > 1
),

substations as (
    select
        substations.equipment_id,
        substations.period_start,
        substations.delivered,
        sum(feeders.delivered) as feeders_delivered
    from balances as substations
    inner join balances as feeders
        on feeders.balance_level = 'feeder'
        and feeders.substation_id = substations.equipment_id
        and feeders.period_start = substations.period_start
        and feeders.period_end = substations.period_end
    where substations.balance_level = 'substation'
    group by substations.equipment_id, substations.period_start, substations.delivered
)

select 'sum' as problem, balance_level, equipment_id, period_start
from balances
where abs(loss - (delivered - consumed)) > 0.01
    or abs(technical_loss + non_technical_loss - loss) > 0.01
    or abs(metered_consumption + prepaid_energy + unmetered_estimate - consumed) > 0.01
union all
select 'duplicate', balance_level, equipment_id, period_start
from duplicates
union all
select 'substation', 'substation', equipment_id, period_start
from substations
where abs(delivered - feeders_delivered) > 0.01
