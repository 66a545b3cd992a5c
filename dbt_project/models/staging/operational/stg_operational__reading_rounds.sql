with source as (
    {{ latest_version(source('operational', 'reading_round')) }}
)

select
    id as reading_round_id,
    agency_id,
    code as reading_round_code,
    name as reading_round_name,
    reading_day,
    updated_at
from source
