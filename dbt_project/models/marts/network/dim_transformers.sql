with transformers as (
    select * from {{ ref('stg_operational__transformers') }}
),

active_contracts as (
    select
        points.transformer_id,
        count(*) as active_contracts
    from {{ ref('stg_operational__contracts') }} as contracts
    inner join {{ ref('stg_operational__delivery_points') }} as points
        on contracts.delivery_point_id = points.delivery_point_id
    where contracts.contract_status = 'active' and points.transformer_id is not null
    group by points.transformer_id
)

select
    transformers.transformer_id,
    transformers.transformer_code,
    transformers.transformer_name,
    cast(transformers.rating_kva as integer) as rating_kva,
    transformers.latitude,
    transformers.longitude,
    feeders.feeder_id,
    feeders.feeder_code,
    feeders.feeder_name,
    substations.substation_id,
    substations.substation_code,
    substations.substation_name,
    substations.latitude as substation_latitude,
    substations.longitude as substation_longitude,
    agencies.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    cast(coalesce(active_contracts.active_contracts, 0) as bigint) as active_contracts
from transformers
inner join {{ ref('stg_operational__feeders') }} as feeders on transformers.feeder_id = feeders.feeder_id
inner join {{ ref('stg_operational__substations') }} as substations on feeders.substation_id = substations.substation_id
inner join {{ ref('stg_operational__agencies') }} as agencies on transformers.agency_id = agencies.agency_id
left join active_contracts on transformers.transformer_id = active_contracts.transformer_id
