with source as (
    {{ latest_version(source('operational', 'billing_batch_event')) }}
)

select
    id as batch_event_id,
    batch_id,
    status_from,
    status_to,
    actor,
    reason,
    details,
    created_at,
    updated_at
from source
