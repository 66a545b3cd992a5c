with source as (
    {{ latest_version(source('operational', 'tariff_version')) }}
)

select
    id as version_id,
    grid_id as tariff_grid_id,
    valid_from,
    valid_to,
    source as legal_source,
    pricing,
    energy_rounding,
    eligibility_periods,
    eligibility_max_monthly_average,
    eligibility_fallback_grid,
    definition_hash,
    updated_at
from source
