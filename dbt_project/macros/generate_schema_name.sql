{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Layers land in fixed schemas (staging, intermediate, marts, reference) on every engine, so that apps and
        exports find the marts at the same place whatever the target. -#}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
