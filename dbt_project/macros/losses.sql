{#-
    Helpers of the loss, suspect and collection models (docs/losses.md).
-#}

{% macro distance_m(latitude_a, longitude_a, latitude_b, longitude_b) -%}
    {#- Metres between two GPS points, by the equirectangular approximation: exact to a few metres over the
        distances of a distribution network, and made of functions every engine has (cos, sqrt, power). -#}
    sqrt(
        power(({{ latitude_b }} - {{ latitude_a }}) * 111195.0, 2)
        + power(
            ({{ longitude_b }} - {{ longitude_a }}) * 111195.0
            * cos(({{ latitude_a }} + {{ latitude_b }}) * 0.00872664625997165),
            2
        )
    )
{%- endmacro %}

{% macro power_kva(power, unit) -%}
    {#- Subscribed power in kVA: amperes at 230 V are 0.23 kVA each; a water connection (mm) has none. -#}
    case
        when {{ unit }} = 'kVA' then cast({{ power }} as {{ type_double() }})
        when {{ unit }} = 'A' then cast({{ power }} as {{ type_double() }}) * 0.23
    end
{%- endmacro %}

{% macro months_before(months, date_expression) -%}
    {#- The date ``months`` months before a date, as a date on every engine. -#}
    cast({{ dbt.dateadd('month', -1 * months, date_expression) }} as date)
{%- endmacro %}

{% macro suspect_rule_catalog() -%}
    {#- Every suspect rule: its code, weight (var suspect_rule_weights) and reason in French and English. The
        reasons are shown beside the figures that made the rule fire (see int_suspect_rules_evaluated). -#}
    {%- set weights = var('suspect_rule_weights') -%}
    {%- set rules = [
        ("FALL_HABIT", "Chute par rapport aux habitudes du client", "Fall against the customer's own habit"),
        ("FALL_SEASON", "Chute par rapport à la même saison l'an dernier", "Fall against the same season a year earlier"),
        ("FALL_LEVEL", "Chute par rapport au niveau habituel sur tout l'historique", "Fall against the usual level over the whole history"),
        ("ZERO_ACTIVE", "Consommation nulle sur un abonnement actif", "Zero consumption on an active contract"),
        ("INDEX_STUCK", "Index bloqué sur plusieurs relevés", "Index not moving over several readings"),
        ("LOW_FOR_POWER", "Consommation trop faible pour la puissance souscrite", "Consumption too low for the subscribed power"),
        ("ABOVE_POWER", "Consommation supérieure à ce que la puissance souscrite permet", "Consumption above what the subscribed power can deliver"),
        ("AFTER_INTERVENTION", "Chute après une intervention sur le compteur", "Fall after a meter intervention"),
        ("AFTER_REPLACEMENT", "Chute après un remplacement de compteur", "Fall after a meter replacement"),
        ("TAMPERING", "Scellé cassé ou anomalie de fraude relevée", "Seal found broken or tampering reported by a reader"),
        ("BELOW_PEERS", "Très en dessous des clients comparables du même poste", "Far below similar customers on the same transformer"),
        ("REPEATED_ESTIMATES", "Estimations répétées", "Repeated estimates"),
    ] -%}
    {%- set catalog = [] -%}
    {%- for code, label_fr, label_en in rules -%}
        {%- do catalog.append({'code': code, 'weight': weights.get(code, 0), 'label_fr': label_fr, 'label_en': label_en}) -%}
    {%- endfor -%}
    {{ return(catalog) }}
{%- endmacro %}

{% macro suspect_rule_rows() -%}
    {#- The rule catalog as rows (rule_code, rule_weight, label_fr, label_en), portable to every engine. -#}
    {%- for rule in suspect_rule_catalog() %}
    select
        '{{ rule.code }}' as rule_code,
        cast({{ rule.weight }} as {{ type_double() }}) as rule_weight,
        {{ text_literal(rule.label_fr) }} as label_fr,
        {{ text_literal(rule.label_en) }} as label_en
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{% macro sql_list(values) -%}
    {#- A list of strings as a SQL list of literals: ('A', 'B'); an empty list gives (null) so that "in" matches
        nothing. -#}
    {%- if values | length == 0 -%}(null){%- else -%}({% for value in values %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %}){%- endif -%}
{%- endmacro %}

{% macro share_of(part, whole) -%}
    {#- part / whole as a float, null when the whole is zero or null. -#}
    (cast({{ part }} as {{ type_double() }}) / nullif(cast({{ whole }} as {{ type_double() }}), 0))
{%- endmacro %}

{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'yeelen')(value)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro sqlserver__text_literal(value) -%}
    {#- French reasons keep their accents in SQL Server's national character literals. -#}
    N'{{ value | replace("'", "''") }}'
{%- endmacro %}

{% macro float_to_minor(amount) -%}
    {#- An amount in minor units computed in floating point (a quantity valued at an average price), rounded half
        away from zero to a whole minor unit; through decimal, as PostgreSQL rounds no float to a scale. -#}
    cast(round(cast({{ amount }} as decimal(38, 6)), 0) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro as_text(expression) -%}
    cast({{ expression }} as varchar(40))
{%- endmacro %}

{% macro whole_text(expression) -%}
    {#- A non-negative figure rounded to a whole number, as text for a reason. -#}
    cast(cast(floor({{ expression }} + 0.5) as {{ dbt.type_bigint() }}) as varchar(40))
{%- endmacro %}

{% macro morton_key(x, y, bits) -%}
    {#- The Morton (Z-order) key of two non-negative integers below 2^bits: their bits interleaved (x on the even
        bits, y on the odd ones), so that points close on the ground get close keys. Integer arithmetic only
        (a bit of n is floor(n / 2^i) mod 2), which every engine runs the same way. -#}
    ({% for i in range(bits) -%}
        (cast(floor({{ x }} / {{ 2 ** i }}) as {{ dbt.type_bigint() }}) % 2) * {{ 2 ** (2 * i) }}
        + (cast(floor({{ y }} / {{ 2 ** i }}) as {{ dbt.type_bigint() }}) % 2) * {{ 2 ** (2 * i + 1) }}
        {%- if not loop.last %} + {% endif %}
    {%- endfor %})
{%- endmacro %}

{% macro type_double() -%}
    {#- Double precision on every engine (dbt's type_float is single precision on DuckDB). -#}
    double precision
{%- endmacro %}

{% macro quantiles_by(relation, keys, value, measures, extra_aggregates=[]) -%}
    {#- One row per group of ``keys`` with, for each measure (dict: name, condition, quantile 'median' or
        'upper_quartile'), the quantile of ``value`` over the rows meeting its condition (column ``name``) and
        how many they are (``name``_count), and the ``extra_aggregates`` ("expression as name") of the same
        groups. The median of an even count is the mean of the two middle values; the upper quartile is the
        value three quarters of the way up (the ceil(3n/4)-th). Engines with an ordered-set aggregate use it;
        the others rank the rows. -#}
    {{ return(adapter.dispatch('quantiles_by', 'yeelen')(relation, keys, value, measures, extra_aggregates)) }}
{%- endmacro %}

{% macro default__quantiles_by(relation, keys, value, measures, extra_aggregates=[]) -%}
    select
        {{ keys | join(', ') }},
        {%- for aggregate in extra_aggregates %}
        {{ aggregate }},
        {%- endfor %}
        {%- for measure in measures %}
        {{ quantile_aggregate('case when ' ~ measure.condition ~ ' then ' ~ value ~ ' end', measure.quantile) }}
            as {{ measure.name }},
        sum(case when {{ measure.condition }} then 1 else 0 end) as {{ measure.name }}_count{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}

{% macro sqlserver__quantiles_by(relation, keys, value, measures, extra_aggregates=[]) -%}
    {#- No ordered-set aggregate: each row's position among the rows of its measure, by a running count along
        one ordering of the group by value. -#}
    select
        {{ keys | join(', ') }},
        {%- for aggregate in extra_aggregates %}
        {{ aggregate }},
        {%- endfor %}
        {%- for measure in measures %}
        {%- if measure.quantile == 'median' %}
        avg(case when {{ measure.condition }} and 2 * {{ measure.name }}_position
            between {{ measure.name }}_total and {{ measure.name }}_total + 2 then {{ value }} end) as {{ measure.name }},
        {%- else %}
        min(case when {{ measure.condition }} and 4 * {{ measure.name }}_position >= 3 * {{ measure.name }}_total
            then {{ value }} end) as {{ measure.name }},
        {%- endif %}
        max({{ measure.name }}_total) as {{ measure.name }}_count{% if not loop.last %},{% endif %}
        {%- endfor %}
    from (
        select
            ranked_source.*,
            {%- for measure in measures %}
            sum(case when {{ measure.condition }} then 1 else 0 end) over (
                partition by {{ keys | join(', ') }} order by {{ value }}
                rows between unbounded preceding and current row
            ) as {{ measure.name }}_position,
            sum(case when {{ measure.condition }} then 1 else 0 end) over (partition by {{ keys | join(', ') }})
                as {{ measure.name }}_total{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ relation }} as ranked_source
    ) as ranked
    group by {{ keys | join(', ') }}
{%- endmacro %}

{% macro quantile_aggregate(expression, quantile) -%}
    {{ return(adapter.dispatch('quantile_aggregate', 'yeelen')(expression, quantile)) }}
{%- endmacro %}

{% macro default__quantile_aggregate(expression, quantile) -%}
    {%- if quantile == 'median' -%}
    percentile_cont(0.5) within group (order by {{ expression }})
    {%- else -%}
    percentile_disc(0.75) within group (order by {{ expression }})
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__quantile_aggregate(expression, quantile) -%}
    {%- if quantile == 'median' -%}
    median({{ expression }})
    {%- else -%}
    quantile_disc({{ expression }}, 0.75)
    {%- endif -%}
{%- endmacro %}

{% macro day_count(start_date, end_date) -%}
    {#- Days from one date to another: date subtraction where the engine has it (DuckDB, PostgreSQL), which is
        much cheaper than dbt's datediff (DuckDB's goes through timestamps) on the tens of millions of reading
        periods the loss models cut; dbt's datediff elsewhere. -#}
    {{ return(adapter.dispatch('day_count', 'yeelen')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_count(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}

{% macro sqlserver__day_count(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}
