-- Taxes with their thresholds per month in thousandths of a unit.
select
    version_id,
    tax_code as code,
    label_fr,
    label_en,
    tax_base as base,
    rate,
    cast(threshold * 1000 as bigint) as threshold_milli,
    rounding,
    position
from {{ ref('stg_operational__tariff_taxes') }}
