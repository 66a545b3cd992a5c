-- Suspect consumption per contract (consommations suspectes): every active contract evaluated by the suspect
-- rules on the latest readings up to var('as_of_date'), with its score, the rules behind it and their reasons
-- in French and English, its priority weighed by its transformer's non-technical loss, and its rank in its
-- agency and on its transformer. The field list is the contracts flagged is_suspect, by priority.
with rules as (
    select * from {{ ref('int_suspect_rules_evaluated') }}
),

located as (
    select * from {{ ref('int_contracts_located') }}
),

ranks as (
    -- Ranked on narrow rows: sorting the wide ones would carry every column through three sorts.
    select
        rules.contract_id,
        row_number() over (order by rules.priority desc, rules.contract_id) as priority_rank,
        row_number() over (
            partition by located.agency_id order by rules.priority desc, rules.contract_id
        ) as agency_rank,
        row_number() over (
            partition by coalesce(located.transformer_id, -1) order by rules.priority desc, rules.contract_id
        ) as transformer_rank
    from rules
    inner join located on rules.contract_id = located.contract_id
),

reasons as (
    select
        contract_id,
        {{ listagg('rule_code', "','", 'order by rule_weight desc, rule_code') }} as rule_codes,
        {{ listagg('reason_fr', "' ; '", 'order by rule_weight desc, rule_code') }} as reasons_fr,
        {{ listagg('reason_en', "'; '", 'order by rule_weight desc, rule_code') }} as reasons_en
    from {{ ref('fct_suspect_reasons') }}
    group by contract_id
)

select
    rules.contract_id,
    located.contract_reference,
    located.customer_id,
    customers.customer_reference,
    customers.customer_name,
    rules.commodity,
    rules.category,
    rules.subscribed_power,
    located.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    located.reading_round_id,
    located.transformer_id,
    transformers.transformer_code,
    located.feeder_id,
    located.water_district_id,
    located.latitude,
    located.longitude,
    rules.evaluation_date,
    cast(rules.recent_rate as decimal(18, 4)) as recent_daily,
    cast(rules.habit_rate as decimal(18, 4)) as habit_daily,
    cast(rules.season_rate as decimal(18, 4)) as season_daily,
    cast(rules.level_rate as decimal(18, 4)) as level_daily,
    cast(rules.fall_habit as decimal(12, 4)) as fall_habit,
    cast(rules.fall_season as decimal(12, 4)) as fall_season,
    cast(rules.fall_level as decimal(12, 4)) as fall_level,
    cast(rules.peer_ratio as decimal(12, 4)) as peer_ratio,
    cast(rules.rules_fired as integer) as rules_fired,
    reasons.rule_codes,
    reasons.reasons_fr,
    reasons.reasons_en,
    cast(rules.score as decimal(12, 4)) as score,
    cast(rules.place_non_technical_share as decimal(12, 4)) as place_non_technical_share,
    cast(rules.priority as decimal(12, 4)) as priority,
    rules.is_suspect,
    cast(ranks.priority_rank as {{ dbt.type_bigint() }}) as priority_rank,
    cast(ranks.agency_rank as {{ dbt.type_bigint() }}) as agency_rank,
    cast(ranks.transformer_rank as {{ dbt.type_bigint() }}) as transformer_rank
from rules
inner join located on rules.contract_id = located.contract_id
inner join {{ ref('stg_operational__customers') }} as customers on located.customer_id = customers.customer_id
left join {{ ref('stg_operational__agencies') }} as agencies on located.agency_id = agencies.agency_id
left join {{ ref('stg_operational__transformers') }} as transformers on located.transformer_id = transformers.transformer_id
left join reasons on rules.contract_id = reasons.contract_id
inner join ranks on rules.contract_id = ranks.contract_id
