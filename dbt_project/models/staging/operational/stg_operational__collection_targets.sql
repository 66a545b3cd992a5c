with source as (
    {{ latest_version(source('operational', 'collection_target')) }}
)

select
    id as collection_target_id,
    campaign_id as collection_campaign_id,
    contract_id,
    agent as collection_agent,
    route_order,
    amount_due as amount_due_minor,
    status as target_status,
    status_on,
    index_at_disconnection,
    reconnection_fee as reconnection_fee_minor,
    notes,
    created_at,
    updated_at
from source
