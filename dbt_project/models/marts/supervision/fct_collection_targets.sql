-- Every target of a disconnection campaign with its place on the map, its agent, the amount it owed when the
-- campaign was made and what happened in the field (pending until an agent reports).
with targets as (
    select * from {{ ref('stg_operational__collection_targets') }}
),

campaigns as (
    select * from {{ ref('stg_operational__collection_campaigns') }}
)

select
    targets.collection_target_id,
    targets.collection_campaign_id,
    campaigns.campaign_reference,
    campaigns.campaign_name,
    campaigns.campaign_status,
    campaigns.created_on as campaign_created_on,
    coalesce(campaigns.agency_id, contracts.agency_id) as agency_id,
    targets.contract_id,
    contracts.contract_reference,
    contracts.customer_reference,
    contracts.customer_name,
    contracts.reading_round_code,
    contracts.latitude,
    contracts.longitude,
    coalesce(targets.collection_agent, '-') as collection_agent,
    cast(targets.route_order as integer) as route_order,
    cast(targets.amount_due_minor as {{ dbt.type_bigint() }}) as amount_due_minor,
    targets.target_status,
    targets.status_on,
    cast(targets.index_at_disconnection as {{ dbt.type_bigint() }}) as index_at_disconnection,
    cast(targets.reconnection_fee_minor as {{ dbt.type_bigint() }}) as reconnection_fee_minor,
    {{ as_flag("targets.target_status in ('paid', 'disconnected', 'refused', 'reconnected')") }} as is_settled
from targets
inner join campaigns on targets.collection_campaign_id = campaigns.collection_campaign_id
left join {{ ref('dim_contracts') }} as contracts on targets.contract_id = contracts.contract_id
