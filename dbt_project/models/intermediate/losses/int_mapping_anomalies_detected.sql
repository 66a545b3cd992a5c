-- Customers mapped to a transformer farther than var('losses_max_customer_distance_m'): usually a wrong
-- electrical address. Each comes with the nearest transformer, the likely right one; both transformers' balances
-- are then flagged, since the customer's consumption is counted on one and missing from the other.
with far as (
    select *
    from {{ ref('int_contracts_located') }}
    where transformer_distance_m > {{ var('losses_max_customer_distance_m') }}
),

transformers as (
    select * from {{ ref('stg_operational__transformers') }}
    where latitude is not null and longitude is not null
),

candidates as (
    select
        far.contract_id,
        transformers.transformer_id as nearest_transformer_id,
        {{ distance_m('far.latitude', 'far.longitude', 'transformers.latitude', 'transformers.longitude') }}
            as nearest_distance_m
    from far
    cross join transformers
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.contract_id order by candidates.nearest_distance_m, candidates.nearest_transformer_id
        ) as nearness
    from candidates
)

select
    far.contract_id,
    far.contract_reference,
    far.customer_id,
    far.category,
    far.contract_status,
    far.agency_id,
    far.delivery_point_id,
    far.latitude,
    far.longitude,
    far.transformer_id,
    far.transformer_distance_m,
    ranked.nearest_transformer_id,
    ranked.nearest_distance_m
from far
inner join ranked on far.contract_id = ranked.contract_id and ranked.nearness = 1
