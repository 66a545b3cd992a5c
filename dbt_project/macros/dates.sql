{% macro month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{% macro days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro as_of_date() -%}
    {#- The date aged balances and collection lists are computed for: var('as_of_date'), or today — a date either
        way, so that a due date of today is not yet overdue whichever is used, and dates compare as dates (against
        a timestamp with time zone every row of a table would be cast). -#}
    {%- if var('as_of_date', none) -%}cast('{{ var("as_of_date") }}' as date){%- else -%}cast({{ dbt.current_timestamp() }} as date){%- endif -%}
{%- endmacro %}
