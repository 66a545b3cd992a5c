{#-
    Disconnection lists (listes de coupure): every active contract the collection criteria select, eligible or
    kept connected (exclusion_reason), grouped per collection agent and round and ordered for a route on the
    ground.

    Agents: a contract that is a target of an open campaign (draft or in progress) goes to the agent the
    campaign gave it; any other contract to its reading round, one agent per round (the round's agent is
    named after the round until someone is assigned in a campaign). Route: inside each agent's round, eligible
    contracts are ordered by the Morton (Z-order) key of their GPS point over the round's bounding box, which
    keeps neighbours together on the list (var collection_route_bits).
-#}
{%- set bits = var('collection_route_bits') -%}

with candidates as (
    select * from {{ ref('int_disconnection_candidates_screened') }}
),

campaign_targets as (
    select
        targets.contract_id,
        targets.collection_campaign_id,
        campaigns.campaign_reference,
        targets.collection_agent,
        row_number() over (
            partition by targets.contract_id order by campaigns.created_on desc, targets.collection_target_id desc
        ) as recency
    from {{ ref('stg_operational__collection_targets') }} as targets
    inner join {{ ref('stg_operational__collection_campaigns') }} as campaigns
        on targets.collection_campaign_id = campaigns.collection_campaign_id
    where campaigns.campaign_status in ('draft', 'in_progress')
        and targets.collection_agent is not null
),

assigned as (
    select
        candidates.*,
        campaign_targets.collection_campaign_id,
        campaign_targets.campaign_reference,
        case when campaign_targets.contract_id is not null then 'campaign' else 'round' end as assigned_by,
        coalesce(
            campaign_targets.collection_agent,
            {{ dbt.concat(["'TOURNEE-'", "coalesce(candidates.reading_round_code, 'SANS')"]) }}
        ) as collection_agent
    from candidates
    left join campaign_targets on candidates.contract_id = campaign_targets.contract_id and campaign_targets.recency = 1
),

boxed as (
    select
        assigned.*,
        min(latitude) over (partition by collection_agent, reading_round_id) as box_south,
        max(latitude) over (partition by collection_agent, reading_round_id) as box_north,
        min(longitude) over (partition by collection_agent, reading_round_id) as box_west,
        max(longitude) over (partition by collection_agent, reading_round_id) as box_east
    from assigned
),

gridded as (
    -- The point on a 2^bits x 2^bits grid over the round's box (a box of one point puts it at the corner).
    select
        boxed.*,
        case
            when box_east > box_west
                then cast(floor((longitude - box_west) / (box_east - box_west) * {{ 2 ** bits - 1 }}) as {{ dbt.type_bigint() }})
            else 0
        end as grid_x,
        case
            when box_north > box_south
                then cast(floor((latitude - box_south) / (box_north - box_south) * {{ 2 ** bits - 1 }}) as {{ dbt.type_bigint() }})
            else 0
        end as grid_y
    from boxed
    where latitude is not null and longitude is not null
    union all
    select boxed.*, cast(null as {{ dbt.type_bigint() }}), cast(null as {{ dbt.type_bigint() }})
    from boxed
    where latitude is null or longitude is null
),

keyed as (
    select
        gridded.*,
        case when grid_x is not null then {{ morton_key('grid_x', 'grid_y', bits) }} end as route_key
    from gridded
)

select
    keyed.contract_id,
    keyed.contract_reference,
    keyed.customer_id,
    keyed.category,
    keyed.grouping_code,
    keyed.agency_id,
    keyed.reading_round_id,
    keyed.reading_round_code,
    keyed.transformer_id,
    keyed.latitude,
    keyed.longitude,
    keyed.collection_agent,
    keyed.assigned_by,
    keyed.collection_campaign_id,
    keyed.campaign_reference,
    cast(keyed.open_minor as {{ dbt.type_bigint() }}) as open_minor,
    cast(keyed.overdue_minor as {{ dbt.type_bigint() }}) as overdue_minor,
    cast(keyed.credit_minor as {{ dbt.type_bigint() }}) as credit_minor,
    cast(keyed.amount_due_minor as {{ dbt.type_bigint() }}) as amount_due_minor,
    cast(keyed.unpaid_bills as integer) as unpaid_bills,
    keyed.oldest_due_date,
    cast(keyed.days_overdue as integer) as days_overdue,
    keyed.last_payment_date,
    cast({{ as_of_date() }} as date) as as_of,
    keyed.exclusion_reason,
    {{ as_flag('keyed.exclusion_reason is null') }} as is_eligible,
    cast(keyed.route_key as {{ dbt.type_bigint() }}) as route_key,
    cast(case when keyed.exclusion_reason is null then row_number() over (
        partition by keyed.collection_agent, keyed.reading_round_id,
            case when keyed.exclusion_reason is null then 0 else 1 end
        order by keyed.route_key, keyed.contract_id
    ) end as integer) as route_order
from keyed
