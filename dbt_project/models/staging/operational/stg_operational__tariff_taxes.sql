with source as (
    {{ latest_version(source('operational', 'tariff_tax')) }}
)

select
    id as tariff_tax_id,
    version_id,
    code as tax_code,
    label_fr,
    label_en,
    base as tax_base,
    rate,
    threshold,
    rounding,
    position,
    source as legal_source,
    updated_at
from source
