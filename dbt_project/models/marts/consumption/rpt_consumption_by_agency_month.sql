-- Consumption per agency, month and commodity for supervision; opening readings and impossible indexes are
-- left out because they carry no consumption.
with consumption as (
    select * from {{ ref('fct_consumption') }}
    where consumption is not null
)

select
    consumption.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    consumption.billing_month as month,
    consumption.commodity,
    consumption.unit,
    cast(count(distinct consumption.customer_id) as bigint) as customers,
    cast(count(distinct consumption.contract_id) as bigint) as contracts,
    cast(sum(consumption.consumption) as decimal(18, 3)) as consumption,
    cast(
        sum(case when {{ is_true('consumption.is_estimated') }} then consumption.consumption else 0 end)
        as decimal(18, 3)
    ) as estimated_consumption,
    cast(
        count(distinct case when {{ is_true('consumption.is_estimated') }} then consumption.contract_id end)
        as bigint
    ) as estimated_contracts
from consumption
inner join {{ ref('dim_agencies') }} as agencies on consumption.agency_id = agencies.agency_id
group by
    consumption.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    consumption.billing_month,
    consumption.commodity,
    consumption.unit
