with source as (
    {{ latest_version(source('operational', 'complaint')) }}
)

select
    id as complaint_id,
    customer_id,
    contract_id,
    opened_on,
    closed_on,
    category as complaint_category,
    status as complaint_status,
    description,
    created_by,
    created_at,
    updated_at
from source
