with source as (
    {{ latest_version(source('operational', 'prepaid_purchase')) }}
)

select
    id as prepaid_purchase_id,
    contract_id,
    customer_id,
    purchased_at,
    purchase_date,
    amount as amount_minor,
    energy,
    month_energy_before,
    fee_taken,
    grid_code,
    token,
    channel,
    partner,
    partner_reference,
    created_at,
    updated_at
from source
