{{ config(meta={'dagster': {'ref': {'name': 'fct_disconnection_candidates'}}}) }}
-- Each agent's round is one route: its eligible contracts numbered 1..n without a gap or a repeat, and no
-- contract kept connected on it.
with routes as (
    select
        collection_agent,
        reading_round_id,
        count(*) as stops,
        count(distinct route_order) as distinct_orders,
        min(route_order) as first_order,
        max(route_order) as last_order
    from {{ ref('fct_disconnection_candidates') }}
    where {{ is_true('is_eligible') }}
    group by collection_agent, reading_round_id
)

select collection_agent, reading_round_id
from routes
where distinct_orders <> stops or first_order <> 1 or last_order <> stops
union all
select collection_agent, reading_round_id
from {{ ref('fct_disconnection_candidates') }}
where not ({{ is_true('is_eligible') }}) and route_order is not null
