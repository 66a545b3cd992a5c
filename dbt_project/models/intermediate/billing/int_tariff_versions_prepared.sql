-- Tariff versions with their grid's attributes, limits in thousandths of a unit (the pricing macro's input).
select
    versions.version_id,
    grids.grid_code,
    grids.commodity,
    grids.unit,
    grids.scaling,
    grids.days_per_month,
    versions.valid_from,
    versions.valid_to,
    versions.pricing,
    versions.energy_rounding,
    versions.eligibility_periods,
    cast(versions.eligibility_max_monthly_average * 1000 as bigint) as eligibility_max_milli,
    versions.eligibility_fallback_grid,
    versions.legal_source
from {{ ref('stg_operational__tariff_versions') }} as versions
inner join {{ ref('stg_operational__tariff_grids') }} as grids on versions.tariff_grid_id = grids.tariff_grid_id
