with source as (
    {{ latest_version(source('operational', 'delivery_point')) }}
)

select
    id as delivery_point_id,
    reference as delivery_point_reference,
    agency_id,
    commodity,
    address,
    latitude,
    longitude,
    feeder_id,
    transformer_id,
    water_district_id,
    updated_at
from source
