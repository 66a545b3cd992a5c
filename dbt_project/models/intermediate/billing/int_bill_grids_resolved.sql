{{ config(materialized="table") }}

-- The grid that bills each billable period: the grid assigned to the contract's category on the period's last
-- day, or its fallback when the grid's eligibility rule (average monthly consumption of the last N periods,
-- this one included, at or under a limit) is not met.
with bills as (
    select * from {{ ref('int_bill_decisions_made') }}
    where bill_status = 'billable'
),

versions as (
    select * from {{ ref('int_tariff_versions_prepared') }}
),

assignments as (
    select
        bills.bill_key,
        categories.grid_code,
        row_number() over (partition by bills.bill_key order by categories.valid_from desc) as recency
    from bills
    inner join {{ ref('stg_operational__tariff_categories') }} as categories
        on bills.category = categories.category
        and categories.valid_from < bills.period_end
),

requested as (
    select
        bills.*,
        assignments.grid_code as requested_grid_code,
        versions.eligibility_periods,
        versions.eligibility_max_milli,
        versions.eligibility_fallback_grid
    from bills
    left join assignments on bills.bill_key = assignments.bill_key and assignments.recency = 1
    left join versions
        on assignments.grid_code = versions.grid_code
        and versions.valid_from < bills.period_end
        and (versions.valid_to is null or versions.valid_to >= bills.period_end)
),

ranked_history as (
    select
        requested.bill_key,
        cast(consumptions.consumption as bigint) * 1000
            * case when requested.cycle_months = 2 then 1 else 2 end as doubled_milli,
        row_number() over (partition by requested.bill_key order by consumptions.period_end desc) as recency,
        requested.eligibility_periods
    from requested
    inner join {{ ref('int_batch_consumptions_computed') }} as consumptions
        on requested.contract_id = consumptions.contract_id
        and consumptions.period_end < requested.billing_month
        and consumptions.consumption is not null
    where requested.eligibility_periods is not null
),

eligibility as (
    select
        bill_key,
        sum(doubled_milli) as doubled_milli,
        count(*) as periods
    from ranked_history
    where recency < eligibility_periods
    group by bill_key
)

-- What pricing needs of each bill, and nothing more: the decisions keep the rest.
select
    requested.bill_key,
    requested.batch_id,
    requested.contract_id,
    requested.consumption_milli,
    requested.period_start,
    requested.period_end,
    requested.cycle_months,
    requested.meter_type,
    requested.subscribed_power,
    requested.requested_grid_code,
    case
        when requested.eligibility_periods is null then requested.requested_grid_code
        when coalesce(eligibility.doubled_milli, 0)
            + requested.consumption_milli * case when requested.cycle_months = 2 then 1 else 2 end
            <= 2 * (coalesce(eligibility.periods, 0) + 1) * requested.eligibility_max_milli
            then requested.requested_grid_code
        else requested.eligibility_fallback_grid
    end as grid_code
from requested
left join eligibility on requested.bill_key = eligibility.bill_key
