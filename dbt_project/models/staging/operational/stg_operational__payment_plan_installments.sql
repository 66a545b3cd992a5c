with source as (
    {{ latest_version(source('operational', 'payment_plan_installment')) }}
)

select
    id as payment_plan_installment_id,
    plan_id as payment_plan_id,
    due_date,
    amount as amount_minor,
    updated_at
from source
