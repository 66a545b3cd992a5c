with source as (
    {{ latest_version(source('operational', 'network_reading')) }}
)

select
    id as network_reading_id,
    network_meter_id,
    reading_date,
    index_value,
    source as reading_source,
    updated_at
from source
