with source as (
    {{ latest_version(source('operational', 'network_meter')) }}
)

select
    id as network_meter_id,
    serial as network_meter_serial,
    kind as equipment_kind,
    feeder_id,
    transformer_id,
    water_district_id,
    unit,
    digits,
    multiplier,
    installed_on,
    updated_at
from source
