with source as (
    {{ latest_version(source('operational', 'meter_installation')) }}
)

select
    id as meter_installation_id,
    meter_id,
    contract_id,
    installed_on,
    removed_on,
    initial_index,
    final_index,
    reason as installation_reason,
    updated_at
from source
