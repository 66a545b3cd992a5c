{#-
    A draft bill's key: its batch and its contract in one integer, so that the billing models join and group on
    one column. The lines recover both parts by arithmetic instead of a join back to the bills.
-#}
{% macro bill_key(batch_id, contract_id) -%}
    (cast({{ batch_id }} as bigint) * 10000000000 + {{ contract_id }})
{%- endmacro %}

{% macro bill_key_batch(bill_key) -%}
    {{ return(adapter.dispatch('bill_key_batch', 'yeelen')(bill_key)) }}
{%- endmacro %}

{% macro default__bill_key_batch(bill_key) -%}
    cast({{ bill_key }} / 10000000000 as bigint)
{%- endmacro %}

{% macro duckdb__bill_key_batch(bill_key) -%}
    cast({{ bill_key }} // 10000000000 as bigint)
{%- endmacro %}

{% macro bill_key_contract(bill_key) -%}
    cast({{ bill_key }} % 10000000000 as bigint)
{%- endmacro %}
