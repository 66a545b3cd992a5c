-- Every row held back from a file taken in, with its file, line, reason and what became of it: what the people who
-- fix partners' files work from (`yeelen intake show`, `fix`, `replay`, `discard`).
with quarantined as (
    select * from {{ ref('stg_operational__intake_quarantine_rows') }}
),

files as (
    select * from {{ ref('stg_operational__intake_files') }}
)

select
    quarantined.quarantine_row_id,
    quarantined.file_id,
    files.file_kind,
    files.file_name,
    files.received_at as file_received_at,
    quarantined.line_number,
    quarantined.reason,
    quarantined.content,
    quarantined.row_status,
    {{ as_flag("quarantined.row_status = 'open'") }} as is_open,
    quarantined.attempts,
    quarantined.created_at as quarantined_at,
    quarantined.fixed_by,
    quarantined.resolved_by,
    quarantined.resolved_at,
    quarantined.resolution_note,
    cast({{ dbt.datediff('quarantined.created_at',
        "case when quarantined.resolved_at is null then cast(" ~ dbt.current_timestamp() ~ " as "
        ~ dbt.type_timestamp() ~ ") else quarantined.resolved_at end", 'day') }} as bigint) as days_in_quarantine
from quarantined
inner join files on quarantined.file_id = files.file_id
