with source as (
    {{ latest_version(source('operational', 'meter_intervention')) }}
)

select
    id as meter_intervention_id,
    contract_id,
    meter_id,
    intervention_date,
    kind as intervention_kind,
    seal_number,
    index_value,
    seal_ok,
    notes,
    updated_at
from source
