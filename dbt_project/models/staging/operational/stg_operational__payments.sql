with source as (
    {{ latest_version(source('operational', 'payment')) }}
)

select
    id as payment_id,
    receipt_number,
    series,
    sequence_number,
    customer_id,
    contract_id,
    agency_id,
    amount as amount_minor,
    currency,
    method as payment_method,
    purpose as payment_purpose,
    channel,
    received_at,
    business_date,
    cash_session_id,
    partner,
    partner_reference,
    status as payment_status,
    status_reason,
    created_by,
    created_at,
    updated_at
from source
