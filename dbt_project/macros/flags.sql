{% macro as_flag(condition) -%}
    cast(case when {{ condition }} then 1 else 0 end as {{ dbt.type_boolean() }})
{%- endmacro %}

{% macro is_true(column) -%}
    {{ return(adapter.dispatch('is_true', 'yeelen')(column)) }}
{%- endmacro %}

{% macro default__is_true(column) -%}
    {{ column }}
{%- endmacro %}

{% macro sqlserver__is_true(column) -%}
    {{ column }} = 1
{%- endmacro %}

{% macro flag_to_int(column) -%}
    case when {{ is_true(column) }} then 1 else 0 end
{%- endmacro %}
