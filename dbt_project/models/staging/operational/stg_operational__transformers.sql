with source as (
    {{ latest_version(source('operational', 'transformer')) }}
)

select
    id as transformer_id,
    feeder_id,
    agency_id,
    code as transformer_code,
    name as transformer_name,
    rating_kva,
    latitude,
    longitude,
    updated_at
from source
