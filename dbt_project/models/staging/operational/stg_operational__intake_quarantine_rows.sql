with source as (
    {{ latest_version(source('operational', 'intake_quarantine')) }}
)

select
    id as quarantine_row_id,
    file_id,
    line_number,
    content,
    original_content,
    reason,
    status as row_status,
    attempts,
    fixed_by,
    fixed_at,
    resolved_by,
    resolved_at,
    resolution_note,
    created_at,
    updated_at
from source
