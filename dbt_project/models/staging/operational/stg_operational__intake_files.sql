with source as (
    {{ latest_version(source('operational', 'intake_file')) }}
)

select
    id as file_id,
    kind as file_kind,
    file_name,
    content_hash,
    size_bytes,
    status as file_status,
    reason as rejection_reason,
    rows_total,
    rows_loaded,
    rows_quarantined,
    rows_skipped,
    received_at,
    processed_at,
    taken_by,
    created_at,
    updated_at
from source
