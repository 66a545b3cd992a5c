with source as (
    {{ latest_version(source('operational', 'reading')) }}
)

select
    id as reading_id,
    contract_id,
    meter_id,
    reading_date,
    index_value,
    source as reading_source,
    {{ as_flag("source = 'estimate'") }} as is_estimate,
    anomaly_code,
    created_at,
    updated_at
from source
