with source as (
    {{ latest_version(source('operational', 'substation')) }}
)

select
    id as substation_id,
    code as substation_code,
    name as substation_name,
    voltage_kv,
    latitude,
    longitude,
    updated_at
from source
