-- Files taken in per kind and day: how many, their rows loaded, quarantined and skipped, and files refused.
with files as (
    select * from {{ ref('stg_operational__intake_files') }}
)

select
    file_kind,
    cast(received_at as date) as received_on,
    count(*) as files,
    sum(case when file_status = 'rejected' then 1 else 0 end) as files_refused,
    sum(rows_total) as rows_total,
    sum(rows_loaded) as rows_loaded,
    sum(rows_quarantined) as rows_quarantined,
    sum(rows_skipped) as rows_skipped
from files
group by file_kind, cast(received_at as date)
