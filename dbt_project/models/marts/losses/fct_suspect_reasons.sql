{#-
    One row per suspect rule that fires on a contract, with its weight and a reason in French and English that
    carries the figures behind it (the fall, the levels compared, the dates). Monthly figures are daily ones
    times 30.4. The list of a contract's reasons is in fct_suspect_contracts.
-#}
{%- set month = '30.4' -%}
{%- set catalog = suspect_rule_catalog() -%}
{%- set labels = {} -%}
{%- for rule in catalog -%}{%- do labels.update({rule.code: rule}) -%}{%- endfor -%}

with rules as (
    select
        evaluated.*,
        case when evaluated.commodity = 'water' then 'm3' else 'kWh' end as unit
    from {{ ref('int_suspect_rules_evaluated') }} as evaluated
),

reasons as (
    {%- set fall_rules = [
        ('FALL_HABIT', 'rule_fall_habit', 'fall_habit', 'habit_rate', "d'habitude", 'usually'),
        ('FALL_SEASON', 'rule_fall_season', 'fall_season', 'season_rate', "l'an dernier", 'a year earlier'),
        ('FALL_LEVEL', 'rule_fall_level', 'fall_level', 'level_rate', 'au niveau habituel', 'at the usual level'),
    ] %}
    {%- for code, flag, fall, reference, then_fr, then_en in fall_rules %}
    select
        contract_id,
        '{{ code }}' as rule_code,
        {{ fall }} as figure,
        {{ dbt.concat([text_literal(labels[code].label_fr ~ ' : -'), whole_text('100 * ' ~ fall), "' % ('",
            whole_text(month ~ ' * recent_rate'), "' contre '", whole_text(month ~ ' * ' ~ reference), "' '", 'unit',
            text_literal(' par mois ' ~ then_fr ~ ')')]) }} as reason_fr,
        {{ dbt.concat([text_literal(labels[code].label_en ~ ': -'), whole_text('100 * ' ~ fall), "'% ('",
            whole_text(month ~ ' * recent_rate'), "' against '", whole_text(month ~ ' * ' ~ reference), "' '", 'unit',
            text_literal(' a month ' ~ then_en ~ ')')]) }} as reason_en
    from rules
    where {{ flag }} = 1
    union all
    {%- endfor %}
    select
        contract_id,
        'ZERO_ACTIVE',
        cast(recent_zero_periods as {{ type_double() }}),
        {{ dbt.concat([text_literal(labels['ZERO_ACTIVE'].label_fr ~ ' : '), as_text('recent_zero_periods'),
            text_literal(' période(s) relevée(s) à zéro')]) }},
        {{ dbt.concat([text_literal(labels['ZERO_ACTIVE'].label_en ~ ': '), as_text('recent_zero_periods'),
            "' period(s) read at zero'"]) }}
    from rules
    where rule_zero_active = 1
    union all
    select
        contract_id,
        'INDEX_STUCK',
        cast(same_index_readings as {{ type_double() }}),
        {{ dbt.concat([text_literal(labels['INDEX_STUCK'].label_fr ~ ' : '), as_text('same_index_readings'),
            text_literal(' relevés au même index')]) }},
        {{ dbt.concat([text_literal(labels['INDEX_STUCK'].label_en ~ ': '), as_text('same_index_readings'),
            "' readings at the same index'"]) }}
    from rules
    where rule_index_stuck = 1
    union all
    {%- for code, flag, figure in [('LOW_FOR_POWER', 'rule_low_for_power', 'recent_rate'),
                                   ('ABOVE_POWER', 'rule_above_power', 'recent_max_rate')] %}
    select
        contract_id,
        '{{ code }}',
        {{ figure }} / nullif(power_daily_capacity, 0),
        {{ dbt.concat([text_literal(labels[code].label_fr ~ ' : '), whole_text(month ~ ' * ' ~ figure), "' '", 'unit',
            text_literal(' par mois pour '), as_text('subscribed_power'), "' kVA'"]) }},
        {{ dbt.concat([text_literal(labels[code].label_en ~ ': '), whole_text(month ~ ' * ' ~ figure), "' '", 'unit',
            "' a month for '", as_text('subscribed_power'), "' kVA'"]) }}
    from rules
    where {{ flag }} = 1
    union all
    {%- endfor %}
    {%- for code, flag, fall, day in [('AFTER_INTERVENTION', 'rule_after_intervention', 'intervention_fall', 'intervention_date'),
                                      ('AFTER_REPLACEMENT', 'rule_after_replacement', 'replacement_fall', 'replacement_date')] %}
    select
        contract_id,
        '{{ code }}',
        {{ fall }},
        {{ dbt.concat([text_literal(labels[code].label_fr ~ ' du '), as_text(day), "' : -'", whole_text('100 * ' ~ fall),
            "' %'"]) }},
        {{ dbt.concat([text_literal(labels[code].label_en ~ ' of '), as_text(day), "': -'", whole_text('100 * ' ~ fall),
            "'%'"]) }}
    from rules
    where {{ flag }} = 1
    union all
    {%- endfor %}
    select
        contract_id,
        'TAMPERING',
        cast(tamper_events as {{ type_double() }}),
        {{ dbt.concat([text_literal(labels['TAMPERING'].label_fr ~ ' : '), as_text('tamper_events'),
            text_literal(' fois, la dernière le '), as_text('last_tamper_date')]) }},
        {{ dbt.concat([text_literal(labels['TAMPERING'].label_en ~ ': '), as_text('tamper_events'),
            "' time(s), last on '", as_text('last_tamper_date')]) }}
    from rules
    where rule_tampering = 1
    union all
    select
        contract_id,
        'BELOW_PEERS',
        peer_ratio,
        {{ dbt.concat([text_literal(labels['BELOW_PEERS'].label_fr ~ ' : '), whole_text('100 * peer_ratio'),
            text_literal(' % de la médiane de '), as_text('peers'), text_literal(' clients')]) }},
        {{ dbt.concat([text_literal(labels['BELOW_PEERS'].label_en ~ ': '), whole_text('100 * peer_ratio'),
            "'% of the median of '", as_text('peers'), "' customers'"]) }}
    from rules
    where rule_below_peers = 1
    union all
    select
        contract_id,
        'REPEATED_ESTIMATES',
        cast(estimated_periods as {{ type_double() }}),
        {{ dbt.concat([text_literal(labels['REPEATED_ESTIMATES'].label_fr ~ ' : '), as_text('estimated_periods'),
            text_literal(' périodes estimées en ' ~ var('suspect_estimate_months') ~ ' mois')]) }},
        {{ dbt.concat([text_literal(labels['REPEATED_ESTIMATES'].label_en ~ ': '), as_text('estimated_periods'),
            "' estimated periods in " ~ var('suspect_estimate_months') ~ " months'"]) }}
    from rules
    where rule_repeated_estimates = 1
),

catalog as (
    {{ suspect_rule_rows() }}
)

select
    reasons.contract_id,
    rules.evaluation_date,
    rules.transformer_id,
    located.agency_id,
    located.latitude,
    located.longitude,
    reasons.rule_code,
    catalog.rule_weight,
    catalog.label_fr as rule_label_fr,
    catalog.label_en as rule_label_en,
    cast(reasons.figure as decimal(18, 4)) as figure,
    reasons.reason_fr,
    reasons.reason_en
from reasons
inner join rules on reasons.contract_id = rules.contract_id
inner join catalog on reasons.rule_code = catalog.rule_code
inner join {{ ref('int_contracts_located') }} as located on reasons.contract_id = located.contract_id
