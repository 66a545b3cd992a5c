-- Customers probably mapped to the wrong transformer (farther than var('losses_max_customer_distance_m') from
-- it), with the nearest transformer: the list to correct electrical addresses from, and the points of a map
-- (customer, its transformer, the nearest one).
with anomalies as (
    select * from {{ ref('int_mapping_anomalies_detected') }}
),

transformers as (
    select * from {{ ref('stg_operational__transformers') }}
)

select
    anomalies.contract_id,
    anomalies.contract_reference,
    anomalies.customer_id,
    anomalies.category,
    anomalies.contract_status,
    anomalies.agency_id,
    anomalies.delivery_point_id,
    anomalies.latitude,
    anomalies.longitude,
    anomalies.transformer_id,
    mapped.transformer_code,
    mapped.latitude as transformer_latitude,
    mapped.longitude as transformer_longitude,
    cast(anomalies.transformer_distance_m as decimal(12, 1)) as transformer_distance_m,
    anomalies.nearest_transformer_id,
    nearest.transformer_code as nearest_transformer_code,
    nearest.latitude as nearest_transformer_latitude,
    nearest.longitude as nearest_transformer_longitude,
    cast(anomalies.nearest_distance_m as decimal(12, 1)) as nearest_distance_m
from anomalies
inner join transformers as mapped on anomalies.transformer_id = mapped.transformer_id
left join transformers as nearest on anomalies.nearest_transformer_id = nearest.transformer_id
