with source as (
    {{ latest_version(source('operational', 'billing_batch')) }}
)

select
    id as batch_id,
    reference as batch_reference,
    name as batch_name,
    billing_month,
    agency_id,
    reading_round_id,
    category,
    billing_cycle,
    commodity,
    status as batch_status,
    status_reason,
    created_by,
    decided_by,
    decided_at,
    issued_at,
    invoice_count,
    invoiced_amount as invoiced_amount_minor,
    created_at,
    updated_at
from source
