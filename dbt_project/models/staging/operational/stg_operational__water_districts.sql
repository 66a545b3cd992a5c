with source as (
    {{ latest_version(source('operational', 'water_district')) }}
)

select
    id as water_district_id,
    agency_id,
    code as water_district_code,
    name as water_district_name,
    latitude,
    longitude,
    updated_at
from source
