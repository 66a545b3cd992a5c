{{ config(materialized='table') }}

-- Every contract at its place in the network: delivery point (GPS), transformer, feeder (the transformer's when
-- there is one, the delivery point's for medium-voltage customers), source substation, water district, and how
-- far it sits from its transformer. The mapping is the current one: a corrected mapping re-balances history.
with contracts as (
    select * from {{ ref('stg_operational__contracts') }}
),

points as (
    select * from {{ ref('stg_operational__delivery_points') }}
),

transformers as (
    select * from {{ ref('stg_operational__transformers') }}
),

metered as (
    select distinct contract_id
    from {{ ref('stg_operational__meter_installations') }}
)

select
    contracts.contract_id,
    contracts.contract_reference,
    contracts.customer_id,
    contracts.commodity,
    contracts.category,
    contracts.subscribed_power,
    contracts.power_unit,
    {{ power_kva('contracts.subscribed_power', 'contracts.power_unit') }} as power_kva,
    contracts.payment_mode,
    contracts.billing_cycle,
    contracts.cycle_months,
    contracts.contract_status,
    contracts.start_date,
    contracts.end_date,
    contracts.reading_round_id,
    points.delivery_point_id,
    points.agency_id,
    points.latitude,
    points.longitude,
    points.transformer_id,
    coalesce(transformers.feeder_id, points.feeder_id) as feeder_id,
    feeders.substation_id,
    points.water_district_id,
    {{ as_flag('metered.contract_id is not null') }} as is_metered,
    case
        when transformers.transformer_id is not null and points.latitude is not null
            then {{ distance_m('points.latitude', 'points.longitude', 'transformers.latitude', 'transformers.longitude') }}
    end as transformer_distance_m
from contracts
inner join points on contracts.delivery_point_id = points.delivery_point_id
left join transformers on points.transformer_id = transformers.transformer_id
left join {{ ref('stg_operational__feeders') }} as feeders
    on coalesce(transformers.feeder_id, points.feeder_id) = feeders.feeder_id
left join metered on contracts.contract_id = metered.contract_id
