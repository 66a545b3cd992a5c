with source as (
    {{ latest_version(source('operational', 'collection_campaign')) }}
)

select
    id as collection_campaign_id,
    reference as campaign_reference,
    name as campaign_name,
    agency_id,
    created_on,
    status as campaign_status,
    criteria,
    created_by,
    created_at,
    updated_at
from source
