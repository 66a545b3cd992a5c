with source as (
    {{ latest_version(source('operational', 'agency')) }}
)

select
    id as agency_id,
    code as agency_code,
    name as agency_name,
    city,
    updated_at
from source
