with source as (
    {{ latest_version(source('operational', 'notification')) }}
)

select
    id as notification_id,
    channel,
    purpose,
    invoice_id,
    customer_id,
    batch_id,
    language,
    status as notification_status,
    attempts,
    last_error,
    queued_at,
    sent_at,
    created_at,
    updated_at
from source
