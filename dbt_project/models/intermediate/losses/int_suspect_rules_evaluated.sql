{{ config(materialized='table') }}
{#-
    Each suspect rule on every active contract: the figure it looks at, whether it fires, and the combined score.
    A rule fires on its threshold (a fall of 50 % fires, 49 % does not). The score adds the weights of the rules
    that fire (var suspect_rule_weights) and the depth of the deepest fall (suspect_fall_weight x the fall, so
    that among contracts with the same rules the deeper fall comes first); a reader's note that the premises are
    empty divides it (suspect_explained_factor). The priority weighs the score by the non-technical loss of the
    contract's transformer (or water district) over its last trusted balances: a suspect where energy is missing
    is worth a visit first. Rules and parameters: docs/losses.md.
    priority = (score + suspect_base_score) x (1 + suspect_ntl_weight x max(0, non-technical loss share))
-#}
{%- set weights = var('suspect_rule_weights') -%}
{%- set threshold = var('suspect_fall_threshold') -%}
{%- set min_reference = var('suspect_min_reference_periods') -%}

with features as (
    select * from {{ ref('int_suspect_features_computed') }}
),

falls as (
    select
        features.*,
        case
            when habit_periods >= {{ min_reference }} and habit_rate > 0 and recent_periods > 0
                then 1 - recent_rate / habit_rate
        end as fall_habit,
        case
            when season_periods > 0 and season_rate > 0 and recent_periods > 0 then 1 - recent_rate / season_rate
        end as fall_season,
        case
            when history_periods >= {{ min_reference }} and level_rate > 0 and recent_periods > 0
                then 1 - recent_rate / level_rate
        end as fall_level,
        case when peers >= {{ var('suspect_min_peers') }} and peer_rate > 0 then recent_rate / peer_rate end
            as peer_ratio,
        -- Daily consumption the subscribed power allows around the clock.
        power_kva * 24.0 as power_daily_capacity
    from features
),

rules as (
    select
        falls.*,
        case when fall_habit >= {{ threshold }} then 1 else 0 end as rule_fall_habit,
        case when fall_season >= {{ threshold }} then 1 else 0 end as rule_fall_season,
        case when fall_level >= {{ threshold }} then 1 else 0 end as rule_fall_level,
        case when latest_consumption = 0 then 1 else 0 end as rule_zero_active,
        case when same_index_readings >= {{ var('suspect_stuck_readings') }} then 1 else 0 end as rule_index_stuck,
        case
            when recent_periods > 0
                and recent_rate < {{ var('suspect_min_load_factor') }} * power_daily_capacity then 1
            else 0
        end as rule_low_for_power,
        case
            when recent_max_rate > {{ var('physical_max_load_factor') }} * power_daily_capacity then 1 else 0
        end as rule_above_power,
        case when intervention_fall >= {{ threshold }} then 1 else 0 end as rule_after_intervention,
        case when replacement_fall >= {{ threshold }} then 1 else 0 end as rule_after_replacement,
        case when tamper_events > 0 then 1 else 0 end as rule_tampering,
        case when peer_ratio < {{ var('suspect_peer_ratio') }} then 1 else 0 end as rule_below_peers,
        case when estimated_periods >= {{ var('suspect_max_estimates') }} then 1 else 0 end as rule_repeated_estimates
    from falls
),

scored as (
    select
        rules.*,
        rule_fall_habit + rule_fall_season + rule_fall_level + rule_zero_active + rule_index_stuck
            + rule_low_for_power + rule_above_power + rule_after_intervention + rule_after_replacement
            + rule_tampering + rule_below_peers + rule_repeated_estimates as rules_fired,
        cast((
            {{ weights.get('FALL_HABIT', 0) }} * rule_fall_habit
            + {{ weights.get('FALL_SEASON', 0) }} * rule_fall_season
            + {{ weights.get('FALL_LEVEL', 0) }} * rule_fall_level
            + {{ weights.get('ZERO_ACTIVE', 0) }} * rule_zero_active
            + {{ weights.get('INDEX_STUCK', 0) }} * rule_index_stuck
            + {{ weights.get('LOW_FOR_POWER', 0) }} * rule_low_for_power
            + {{ weights.get('ABOVE_POWER', 0) }} * rule_above_power
            + {{ weights.get('AFTER_INTERVENTION', 0) }} * rule_after_intervention
            + {{ weights.get('AFTER_REPLACEMENT', 0) }} * rule_after_replacement
            + {{ weights.get('TAMPERING', 0) }} * rule_tampering
            + {{ weights.get('BELOW_PEERS', 0) }} * rule_below_peers
            + {{ weights.get('REPEATED_ESTIMATES', 0) }} * rule_repeated_estimates
            + {{ var('suspect_fall_weight') }} * case
                when coalesce(fall_habit, 0) >= coalesce(fall_season, 0)
                    and coalesce(fall_habit, 0) >= coalesce(fall_level, 0) then {{ least_of(greatest_of('coalesce(fall_habit, 0)', 0), 1) }}
                when coalesce(fall_season, 0) >= coalesce(fall_level, 0) then {{ least_of(greatest_of('coalesce(fall_season, 0)', 0), 1) }}
                else {{ least_of(greatest_of('coalesce(fall_level, 0)', 0), 1) }}
            end
        ) * case when is_explained = 1 then {{ var('suspect_explained_factor') }} else 1 end as decimal(12, 4)) as score
    from rules
),

balances as (
    select
        balances.balance_level,
        balances.equipment_id,
        balances.delivered,
        balances.non_technical_loss,
        row_number() over (
            partition by balances.balance_level, balances.equipment_id order by balances.period_start desc
        ) as recency
    from {{ ref('fct_energy_balance') }} as balances
    where balances.balance_level in ('transformer', 'water_district')
        and {{ is_true('balances.is_trusted') }}
        and balances.period_end <= (select max(evaluation_date) from features)
),

place_losses as (
    select
        balance_level,
        equipment_id,
        {{ share_of('sum(non_technical_loss)', 'sum(delivered)') }} as non_technical_share
    from balances
    where recency <= {{ var('suspect_ntl_periods') }}
    group by balance_level, equipment_id
)

select
    scored.*,
    place_losses.non_technical_share as place_non_technical_share,
    -- A contract with no rule fired still ranks by where it is: a customer under a transformer that loses
    -- energy is likelier to steal than one under a transformer that does not (var suspect_base_score).
    cast((scored.score + {{ var('suspect_base_score') }}) * (1 + {{ var('suspect_ntl_weight') }} * case
        when place_losses.non_technical_share > 0 then place_losses.non_technical_share
        else 0
    end) as decimal(12, 4)) as priority,
    {{ as_flag('scored.score >= ' ~ var('suspect_min_score')) }} as is_suspect
from scored
left join place_losses
    on place_losses.balance_level = case when scored.transformer_id is not null then 'transformer' else 'water_district' end
    and place_losses.equipment_id = coalesce(scored.transformer_id, scored.water_district_id)
