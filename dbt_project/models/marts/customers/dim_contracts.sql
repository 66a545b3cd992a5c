with contracts as (
    select * from {{ ref('stg_operational__contracts') }}
),

points as (
    select * from {{ ref('stg_operational__delivery_points') }}
),

rounds as (
    select * from {{ ref('stg_operational__reading_rounds') }}
),

current_meters as (
    select
        installations.contract_id,
        installations.meter_id,
        row_number() over (
            partition by installations.contract_id order by installations.installed_on desc, installations.meter_installation_id desc
        ) as recency
    from {{ ref('stg_operational__meter_installations') }} as installations
)

select
    contracts.contract_id,
    contracts.contract_reference,
    contracts.customer_id,
    customers.customer_reference,
    customers.customer_name,
    contracts.commodity,
    contracts.category,
    contracts.subscribed_power,
    contracts.power_unit,
    contracts.billing_cycle,
    contracts.cycle_months,
    contracts.payment_mode,
    contracts.contract_status,
    contracts.start_date,
    contracts.end_date,
    points.delivery_point_id,
    points.delivery_point_reference,
    points.address,
    points.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    contracts.reading_round_id,
    rounds.reading_round_code,
    rounds.reading_day,
    points.feeder_id,
    points.transformer_id,
    points.water_district_id,
    points.latitude,
    points.longitude,
    meters.meter_id,
    meters.meter_serial,
    meters.meter_type
from contracts
inner join points on contracts.delivery_point_id = points.delivery_point_id
inner join {{ ref('stg_operational__agencies') }} as agencies on points.agency_id = agencies.agency_id
inner join {{ ref('stg_operational__customers') }} as customers on contracts.customer_id = customers.customer_id
left join rounds on contracts.reading_round_id = rounds.reading_round_id
left join current_meters on contracts.contract_id = current_meters.contract_id and current_meters.recency = 1
left join {{ ref('stg_operational__meters') }} as meters on current_meters.meter_id = meters.meter_id
