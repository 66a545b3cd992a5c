{{ config(materialized="table") }}

-- Contracts of every billing batch not yet issued, chosen by the batch's criteria (an empty criterion takes
-- all) among contracts active during the billing month. A contract is billed once per month: when batches
-- overlap, the oldest batch takes it, and a contract already invoiced for the month stays out.
with batches as (
    select * from {{ ref('stg_operational__billing_batches') }}
    where batch_status in ('open', 'simulated', 'rejected', 'approved')
),

contracts as (
    select
        contracts.*,
        points.agency_id,
        rounds.reading_day
    from {{ ref('stg_operational__contracts') }} as contracts
    inner join {{ ref('stg_operational__delivery_points') }} as points
        on contracts.delivery_point_id = points.delivery_point_id
    left join {{ ref('stg_operational__reading_rounds') }} as rounds
        on contracts.reading_round_id = rounds.reading_round_id
),

matched as (
    select
        batches.batch_id,
        batches.billing_month,
        cast({{ dbt.dateadd('month', 1, 'batches.billing_month') }} as date) as month_end,
        contracts.contract_id,
        contracts.customer_id,
        contracts.agency_id,
        contracts.reading_round_id,
        contracts.reading_day,
        contracts.commodity,
        contracts.category,
        contracts.billing_cycle,
        contracts.cycle_months,
        contracts.payment_mode,
        contracts.subscribed_power,
        contracts.power_unit,
        contracts.contract_status,
        contracts.start_date,
        contracts.end_date
    from batches
    inner join contracts
        -- A round's batch carries the round's agency (who may see and decide it); the round alone selects.
        on (
            batches.agency_id is null
            or batches.reading_round_id is not null
            or contracts.agency_id = batches.agency_id
        )
        and (batches.reading_round_id is null or contracts.reading_round_id = batches.reading_round_id)
        and (batches.category is null or contracts.category = batches.category)
        and (batches.billing_cycle is null or contracts.billing_cycle = batches.billing_cycle)
        and (batches.commodity is null or contracts.commodity = batches.commodity)
        and contracts.start_date < {{ dbt.dateadd('month', 1, 'batches.billing_month') }}
        and (contracts.end_date is null or contracts.end_date >= batches.billing_month)
),

first_batches as (
    select contract_id, billing_month, min(batch_id) as batch_id
    from matched
    group by contract_id, billing_month
),

already_invoiced as (
    select distinct contract_id, billing_month
    from {{ ref('stg_operational__invoices') }}
    where invoice_kind in ('invoice', 'final') and batch_id is not null
),

meters as (
    -- The meter on the contract at the end of the billing month decides its fixed charge.
    select batch_id, contract_id, meter_type
    from (
        select
            matched.batch_id,
            matched.contract_id,
            meters.meter_type,
            row_number() over (
                partition by matched.batch_id, matched.contract_id
                order by installations.installed_on desc, installations.meter_installation_id desc
            ) as recency
        from matched
        inner join {{ ref('stg_operational__meter_installations') }} as installations
            on matched.contract_id = installations.contract_id
            and installations.installed_on < matched.month_end
        inner join {{ ref('stg_operational__meters') }} as meters on installations.meter_id = meters.meter_id
    ) as ranked
    where recency = 1
)

select
    matched.batch_id,
    matched.billing_month,
    matched.month_end,
    matched.contract_id,
    matched.customer_id,
    matched.agency_id,
    matched.reading_round_id,
    matched.reading_day,
    matched.commodity,
    matched.category,
    matched.billing_cycle,
    matched.cycle_months,
    matched.payment_mode,
    matched.subscribed_power,
    matched.power_unit,
    matched.contract_status,
    matched.start_date,
    matched.end_date,
    meters.meter_type,
    {{ bill_key('matched.batch_id', 'matched.contract_id') }} as bill_key,
    case
        when already_invoiced.contract_id is not null then 'ALREADY_INVOICED'
        when matched.batch_id > first_batches.batch_id then 'IN_EARLIER_BATCH'
    end as exclusion_reason
from matched
inner join first_batches
    on matched.contract_id = first_batches.contract_id
    and matched.billing_month = first_batches.billing_month
left join meters
    on matched.batch_id = meters.batch_id
    and matched.contract_id = meters.contract_id
left join already_invoiced
    on matched.contract_id = already_invoiced.contract_id
    and matched.billing_month = already_invoiced.billing_month
