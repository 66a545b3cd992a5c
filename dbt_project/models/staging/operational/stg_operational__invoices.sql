with source as (
    {{ latest_version(source('operational', 'invoice')) }}
)

select
    id as invoice_id,
    number as invoice_number,
    series,
    sequence_number,
    kind as invoice_kind,
    batch_id,
    contract_id,
    customer_id,
    agency_id,
    billing_month,
    period_start,
    period_end,
    consumption,
    unit,
    is_estimated,
    grid_code,
    issue_date,
    due_date,
    currency,
    total as total_minor,
    corrects_invoice_id,
    reason,
    issued_by,
    created_at,
    updated_at
from source
