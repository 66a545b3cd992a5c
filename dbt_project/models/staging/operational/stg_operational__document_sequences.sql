with source as (
    {{ latest_version(source('operational', 'document_sequence')) }}
)

select
    id as document_sequence_id,
    series,
    last_number,
    updated_at
from source
