with source as (
    {{ latest_version(source('operational', 'contract')) }}
)

select
    id as contract_id,
    reference as contract_reference,
    customer_id,
    delivery_point_id,
    commodity,
    category,
    subscribed_power,
    power_unit,
    billing_cycle,
    case when billing_cycle = 'bimonthly' then 2 else 1 end as cycle_months,
    payment_mode,
    reading_round_id,
    status as contract_status,
    start_date,
    end_date,
    created_at,
    updated_at
from source
