with source as (
    {{ latest_version(source('operational', 'feeder')) }}
)

select
    id as feeder_id,
    substation_id,
    code as feeder_code,
    name as feeder_name,
    voltage_kv,
    updated_at
from source
