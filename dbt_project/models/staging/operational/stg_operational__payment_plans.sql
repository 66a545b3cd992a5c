with source as (
    {{ latest_version(source('operational', 'payment_plan')) }}
)

select
    id as payment_plan_id,
    customer_id,
    contract_id,
    start_date,
    end_date,
    total_amount as total_minor,
    installments,
    status as plan_status,
    created_by,
    created_at,
    updated_at
from source
