with source as (
    {{ latest_version(source('operational', 'tariff_grid')) }}
)

select
    id as tariff_grid_id,
    code as grid_code,
    name as grid_name,
    commodity,
    unit,
    scaling,
    days_per_month,
    updated_at
from source
