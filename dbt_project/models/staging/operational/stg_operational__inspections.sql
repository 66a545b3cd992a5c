with source as (
    {{ latest_version(source('operational', 'inspection')) }}
)

select
    id as inspection_id,
    contract_id,
    requested_on,
    requested_by,
    suspect_rules,
    suspect_score,
    route_order,
    inspected_on,
    inspector,
    outcome as inspection_outcome,
    energy_recovered,
    notes,
    created_at,
    updated_at
from source
