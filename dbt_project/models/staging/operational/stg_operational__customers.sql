with source as (
    {{ latest_version(source('operational', 'customer')) }}
)

select
    id as customer_id,
    reference as customer_reference,
    kind as customer_kind,
    name as customer_name,
    first_name as customer_first_name,
    phone,
    email,
    grouping_code,
    agency_id as home_agency_id,
    language,
    created_at,
    updated_at
from source
