with feeders as (
    select * from {{ ref('stg_operational__feeders') }}
),

transformer_counts as (
    select
        transformers.feeder_id,
        count(*) as transformers
    from {{ ref('stg_operational__transformers') }} as transformers
    group by transformers.feeder_id
),

active_contracts as (
    select
        points.feeder_id,
        count(*) as active_contracts
    from {{ ref('stg_operational__contracts') }} as contracts
    inner join {{ ref('stg_operational__delivery_points') }} as points
        on contracts.delivery_point_id = points.delivery_point_id
    where contracts.contract_status = 'active' and points.feeder_id is not null
    group by points.feeder_id
)

select
    feeders.feeder_id,
    feeders.feeder_code,
    feeders.feeder_name,
    feeders.voltage_kv,
    substations.substation_id,
    substations.substation_code,
    substations.substation_name,
    substations.latitude as substation_latitude,
    substations.longitude as substation_longitude,
    cast(coalesce(transformer_counts.transformers, 0) as bigint) as transformers,
    cast(coalesce(active_contracts.active_contracts, 0) as bigint) as active_contracts
from feeders
inner join {{ ref('stg_operational__substations') }} as substations on feeders.substation_id = substations.substation_id
left join transformer_counts on feeders.feeder_id = transformer_counts.feeder_id
left join active_contracts on feeders.feeder_id = active_contracts.feeder_id
