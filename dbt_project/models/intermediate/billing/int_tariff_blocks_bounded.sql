-- Blocks with both bounds per month, in thousandths of a unit: a block starts where the previous one ends.
select
    version_id,
    block_number,
    coalesce(
        lag(cast(up_to * 1000 as bigint)) over (partition by version_id order by block_number), 0
    ) as from_milli,
    cast(up_to * 1000 as bigint) as up_to_milli,
    price
from {{ ref('stg_operational__tariff_blocks') }}
