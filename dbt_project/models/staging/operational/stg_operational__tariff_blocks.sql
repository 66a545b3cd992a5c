with source as (
    {{ latest_version(source('operational', 'tariff_block')) }}
)

select
    id as tariff_block_id,
    version_id,
    block_number,
    up_to,
    price,
    updated_at
from source
