{#-
    Readings are the one source that grows by tens of millions of rows: staged incrementally, each run merging
    the raw rows loaded since the last one (a corrected reading replaces its earlier version), so billing and
    analytics read a table they can filter by date instead of de-duplicating the whole history every time.
-#}
{{ config(
    materialized='incremental',
    unique_key='reading_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}

with source as (
    select *
    from (
        select
            versions.*,
            row_number() over (
                partition by versions.id order by versions.updated_at desc, versions._loaded_at desc
            ) as version_rank
        from {{ source('operational', 'reading') }} as versions
        {#- Compiling offline for a server (var offline_compile) cannot ask whether the table exists. -#}
        {% if not var('offline_compile', false) and is_incremental() %}
        where versions._loaded_at > (select max(loaded_at) from {{ this }})
        {% endif %}
    ) as ranked
    where ranked.version_rank = 1
)

select
    id as reading_id,
    contract_id,
    meter_id,
    reading_date,
    index_value,
    source as reading_source,
    {{ as_flag("source = 'estimate'") }} as is_estimate,
    anomaly_code,
    created_at,
    updated_at,
    _loaded_at as loaded_at
from source
