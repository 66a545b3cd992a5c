{% macro latest_version(relation, key='id') -%}
    {#- Raw tables keep every version of a row that ingestion saw; the latest by updated_at is the current one. -#}
    select *
    from (
        select
            versions.*,
            row_number() over (
                partition by versions.{{ key }} order by versions.updated_at desc, versions._loaded_at desc
            ) as version_rank
        from {{ relation }} as versions
    ) as ranked
    where ranked.version_rank = 1
{%- endmacro %}
