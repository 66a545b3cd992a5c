with source as (
    {{ latest_version(source('operational', 'allocation')) }}
)

select
    id as allocation_id,
    invoice_id,
    payment_id,
    credit_invoice_id,
    amount as amount_minor,
    allocated_on,
    reverses_id,
    created_at,
    updated_at
from source
