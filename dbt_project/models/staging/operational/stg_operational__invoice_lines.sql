with source as (
    {{ latest_version(source('operational', 'invoice_line')) }}
)

select
    id as invoice_line_id,
    invoice_id,
    line_number,
    kind as line_kind,
    code as line_code,
    label,
    quantity,
    unit_price,
    base as base_amount,
    amount as amount_minor,
    part_start,
    part_end,
    updated_at
from source
