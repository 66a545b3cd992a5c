with source as (
    {{ latest_version(source('operational', 'tariff_category')) }}
)

select
    id as tariff_category_id,
    category,
    grid_code,
    valid_from,
    updated_at
from source
