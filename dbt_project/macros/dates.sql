{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{% macro days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro as_of_date() -%}
    {#- The date aged balances and collection lists are computed for: var('as_of_date'), or today. -#}
    {%- if var('as_of_date', none) -%}cast('{{ var("as_of_date") }}' as date){%- else -%}{{ dbt.current_timestamp() }}{%- endif -%}
{%- endmacro %}
