with source as (
    {{ latest_version(source('operational', 'meter')) }}
)

select
    id as meter_id,
    serial as meter_serial,
    commodity,
    meter_type,
    digits,
    multiplier,
    brand,
    updated_at
from source
