select
    agency_id,
    agency_code,
    agency_name,
    city
from {{ ref('stg_operational__agencies') }}
