{{ config(materialized='table') }}
{#-
    What the suspect rules look at, per contract active on the evaluation date: the latest reading date up to
    var('as_of_date') (today when empty), so that a list computed for a past date sees only what was known then.

    Levels are daily consumption (kWh or m3 a day) of real reading periods: estimated periods, and the real
    period that follows an estimate (it corrects it), are left out. Medians and quartiles come from the
    quantiles_by macro (an ordered-set aggregate where the engine has one, a ranking elsewhere).
    Windows, counted back from the evaluation date:
      recent   the periods closed in the last suspect_recent_months;
      habit    the periods closed in the suspect_habit_months before the recent ones;
      season   the same months as the recent ones, a year earlier;
      history  every period before the recent ones, back to suspect_history_months (for the usual level, its
               upper quartile: the level the customer keeps most of the time when not on holiday);
      before / after each meter intervention of the last suspect_intervention_months;
      stuck    the real readings of the last suspect_stuck_months: how many of the latest ones in a row show the
               same index on the same meter (estimates in between are left out: they do not read the meter).
-#}
{%- set recent = var('suspect_recent_months') -%}

with evaluation as (
    select
        evaluation_date,
        {{ months_before(recent, 'evaluation_date') }} as recent_from,
        {{ months_before(recent + var('suspect_habit_months'), 'evaluation_date') }} as habit_from,
        {{ months_before(12, 'evaluation_date') }} as season_to,
        {{ months_before(12 + recent, 'evaluation_date') }} as season_from,
        {{ months_before(var('suspect_history_months'), 'evaluation_date') }} as history_from,
        {{ months_before(var('suspect_intervention_months'), 'evaluation_date') }} as intervention_from,
        {{ months_before(var('suspect_tamper_months'), 'evaluation_date') }} as tamper_from,
        {{ months_before(var('suspect_stuck_months'), 'evaluation_date') }} as stuck_from,
        {{ months_before(var('suspect_estimate_months'), 'evaluation_date') }} as estimate_from,
        {{ months_before([recent, var('suspect_tamper_months')] | max, 'evaluation_date') }} as readings_from
    from (
        select max(period_end) as evaluation_date
        from {{ ref('fct_consumption') }}
        where period_end <= {{ as_of_date() }}
    ) as latest
),

contracts as (
    -- The columns the features need (the contracts are read twice: for the peers and for the result).
    select
        located.contract_id,
        located.commodity,
        located.category,
        located.subscribed_power,
        located.power_kva,
        located.transformer_id,
        located.water_district_id
    from {{ ref('int_contracts_located') }} as located
    cross join evaluation
    where located.start_date < evaluation.evaluation_date
        and (located.end_date is null or located.end_date > evaluation.evaluation_date)
),

periods as (
    select
        consumption.contract_id,
        consumption.period_start,
        consumption.period_end,
        consumption.consumption,
        cast(consumption.consumption as {{ type_double() }}) / consumption.period_days as daily_rate,
        case
            when {{ is_true('consumption.is_estimated') }} or {{ is_true('consumption.follows_estimate') }} then 0
            else 1
        end as is_real,
        case when {{ is_true('consumption.is_estimated') }} then 1 else 0 end as is_estimated,
        case when consumption.period_end > evaluation.recent_from then 1 else 0 end as in_recent,
        case
            when consumption.period_end <= evaluation.recent_from and consumption.period_end > evaluation.habit_from
                then 1
            else 0
        end as in_habit,
        case
            when consumption.period_end <= evaluation.season_to and consumption.period_end > evaluation.season_from
                then 1
            else 0
        end as in_season,
        case when consumption.period_end <= evaluation.recent_from then 1 else 0 end as in_history,
        case when consumption.period_end > evaluation.estimate_from then 1 else 0 end as in_estimate_window
    from {{ ref('fct_consumption') }} as consumption
    cross join evaluation
    where consumption.consumption is not null
        and consumption.period_days > 0
        and consumption.period_end <= evaluation.evaluation_date
        and consumption.period_end > evaluation.history_from
),

interventions as (
    select
        interventions.meter_intervention_id,
        interventions.contract_id,
        interventions.intervention_date,
        case when interventions.intervention_kind = 'replacement' then 'replacement' else 'intervention' end
            as intervention_group
    from {{ ref('stg_operational__meter_interventions') }} as interventions
    cross join evaluation
    where interventions.intervention_date > evaluation.intervention_from
        and interventions.intervention_date < evaluation.evaluation_date
        and interventions.intervention_kind in {{ sql_list(var('suspect_intervention_kinds') + ['replacement']) }}
),

real_periods as (
    select * from periods where is_real = 1
),

contract_levels as (
    -- Levels of the real periods only; the estimated ones are counted apart (estimates below).
    {{ quantiles_by('real_periods', ['contract_id'], 'daily_rate', [
        {'name': 'recent_rate', 'condition': 'in_recent = 1', 'quantile': 'median'},
        {'name': 'habit_rate', 'condition': 'in_habit = 1', 'quantile': 'median'},
        {'name': 'season_rate', 'condition': 'in_season = 1', 'quantile': 'median'},
        {'name': 'level_rate', 'condition': 'in_history = 1', 'quantile': 'upper_quartile'},
    ], [
        'max(case when in_recent = 1 then daily_rate end) as recent_max_rate',
        'sum(case when in_recent = 1 and consumption = 0 then 1 else 0 end) as recent_zero_periods',
    ]) }}
),

estimates as (
    select
        contract_id,
        count(*) as estimated_periods
    from periods
    where is_estimated = 1 and in_estimate_window = 1
    group by contract_id
),

latest_periods as (
    -- The latest real period of the recent window: a whole reading cycle without consumption is a meter that
    -- stopped, whatever the periods before it.
    select
        contract_id,
        consumption,
        row_number() over (partition by contract_id order by period_end desc, period_start desc) as recency
    from periods
    where is_real = 1 and in_recent = 1
),

windowed as (
    -- Around each recent intervention: the habit before it and the periods after it (read from the table, so
    -- that the periods above are read once).
    select
        interventions.meter_intervention_id as event_id,
        case when consumption.period_end <= interventions.intervention_date then 'before' else 'after' end
            as window_kind,
        cast(consumption.consumption as {{ type_double() }}) / consumption.period_days as daily_rate
    from {{ ref('fct_consumption') }} as consumption
    inner join interventions on consumption.contract_id = interventions.contract_id
    cross join evaluation
    where consumption.consumption is not null
        and consumption.period_days > 0
        and not ({{ is_true('consumption.is_estimated') }})
        and not ({{ is_true('consumption.follows_estimate') }})
        and consumption.period_end <= evaluation.evaluation_date
        and (
            (consumption.period_end <= interventions.intervention_date
                and consumption.period_end
                > {{ months_before(var('suspect_habit_months'), 'interventions.intervention_date') }})
            or consumption.period_start >= interventions.intervention_date
        )
),

levels as (
    {{ quantiles_by('windowed', ['event_id'], 'daily_rate', [
        {'name': 'before_rate', 'condition': "window_kind = 'before'", 'quantile': 'median'},
        {'name': 'after_rate', 'condition': "window_kind = 'after'", 'quantile': 'median'},
    ]) }}
),

intervention_falls as (
    -- The fall across each intervention: the median after it against the median of the habit before it.
    select
        interventions.contract_id,
        interventions.intervention_group,
        interventions.intervention_date,
        1 - levels.after_rate / levels.before_rate as fall
    from interventions
    inner join levels on interventions.meter_intervention_id = levels.event_id
    where levels.before_rate > 0
        and levels.before_rate_count >= {{ var('suspect_min_reference_periods') }}
        and levels.after_rate_count > 0
),

largest_falls as (
    select
        contract_id,
        intervention_group,
        fall,
        intervention_date,
        row_number() over (
            partition by contract_id, intervention_group order by fall desc, intervention_date desc
        ) as fall_rank
    from intervention_falls
),

stuck_readings as (
    -- The real readings of the stuck window, latest first: failed visits have no index, estimates do not read
    -- the meter.
    select
        readings.contract_id,
        readings.meter_id,
        readings.index_value,
        row_number() over (
            partition by readings.contract_id order by readings.reading_date desc, readings.reading_id desc
        ) as recency
    from {{ ref('stg_operational__readings') }} as readings
    cross join evaluation
    where readings.index_value is not null
        and not ({{ is_true('readings.is_estimate') }})
        and readings.reading_date > evaluation.stuck_from
        and readings.reading_date <= evaluation.evaluation_date
),

index_runs as (
    -- How many of the latest real readings in a row show the latest one's index on the latest one's meter: those
    -- before the first (latest first) that differs, or all of them.
    select
        stuck_readings.contract_id,
        coalesce(
            min(case
                when stuck_readings.meter_id <> latest.meter_id or stuck_readings.index_value <> latest.index_value
                    then stuck_readings.recency
            end) - 1,
            count(*)
        ) as same_index_readings
    from stuck_readings
    inner join stuck_readings as latest
        on stuck_readings.contract_id = latest.contract_id
        and latest.recency = 1
    group by stuck_readings.contract_id
),

reading_signals as (
    -- The readers' anomaly codes of the last months: those that point at tampering, and those that explain a
    -- low consumption.
    select
        readings.contract_id,
        sum(case when readings.reading_date > evaluation.tamper_from
            and readings.anomaly_code in {{ sql_list(var('suspect_tamper_anomalies')) }} then 1 else 0 end)
            as tamper_readings,
        max(case when readings.reading_date > evaluation.tamper_from
            and readings.anomaly_code in {{ sql_list(var('suspect_tamper_anomalies')) }} then readings.reading_date end)
            as last_tamper_reading,
        max(case when readings.reading_date > evaluation.recent_from
            and readings.anomaly_code in {{ sql_list(var('suspect_explaining_anomalies')) }} then 1 else 0 end)
            as is_explained
    from {{ ref('stg_operational__readings') }} as readings
    cross join evaluation
    where readings.anomaly_code in {{ sql_list(var('suspect_tamper_anomalies') + var('suspect_explaining_anomalies')) }}
        and readings.reading_date > evaluation.readings_from
        and readings.reading_date <= evaluation.evaluation_date
    group by readings.contract_id
),

broken_seals as (
    select
        interventions.contract_id,
        count(*) as broken_seals,
        max(interventions.intervention_date) as last_broken_seal
    from {{ ref('stg_operational__meter_interventions') }} as interventions
    cross join evaluation
    where interventions.intervention_date > evaluation.tamper_from
        and interventions.intervention_date <= evaluation.evaluation_date
        and (interventions.intervention_kind = 'seal_broken'
            or (interventions.seal_ok is not null and not ({{ is_true('interventions.seal_ok') }})))
    group by interventions.contract_id
),

peer_groups as (
    select
        contracts.contract_id,
        contracts.category,
        coalesce(contracts.transformer_id, contracts.water_district_id) as peer_place_id,
        contracts.subscribed_power,
        contract_levels.recent_rate
    from contracts
    inner join contract_levels on contracts.contract_id = contract_levels.contract_id
    where contract_levels.recent_rate is not null
        and coalesce(contracts.transformer_id, contracts.water_district_id) is not null
),

peer_levels as (
    -- The category fixes the commodity, so transformer and water district ids never share a group.
    {{ quantiles_by('peer_groups', ['category', 'peer_place_id', 'subscribed_power'], 'recent_rate', [
        {'name': 'peer_rate', 'condition': '1 = 1', 'quantile': 'median'},
    ]) }}
)

select
    contracts.contract_id,
    evaluation.evaluation_date,
    contracts.commodity,
    contracts.category,
    contracts.subscribed_power,
    contracts.power_kva,
    contracts.transformer_id,
    contracts.water_district_id,
    contract_levels.recent_rate,
    contract_levels.recent_max_rate,
    cast(coalesce(contract_levels.recent_rate_count, 0) as integer) as recent_periods,
    contract_levels.habit_rate,
    cast(coalesce(contract_levels.habit_rate_count, 0) as integer) as habit_periods,
    contract_levels.season_rate,
    cast(coalesce(contract_levels.season_rate_count, 0) as integer) as season_periods,
    contract_levels.level_rate,
    cast(coalesce(contract_levels.level_rate_count, 0) as integer) as history_periods,
    cast(coalesce(contract_levels.recent_rate_count, 0) as integer) as recent_real_periods,
    cast(coalesce(contract_levels.recent_zero_periods, 0) as integer) as recent_zero_periods,
    latest_periods.consumption as latest_consumption,
    cast(coalesce(estimates.estimated_periods, 0) as integer) as estimated_periods,
    -- The latest real readings in a row at the same index on the same meter (1 when the index moved at the last
    -- one, 0 without a real reading in the window).
    cast(coalesce(index_runs.same_index_readings, 0) as integer) as same_index_readings,
    intervention_fall.fall as intervention_fall,
    intervention_fall.intervention_date,
    replacement_fall.fall as replacement_fall,
    replacement_fall.intervention_date as replacement_date,
    cast(coalesce(reading_signals.tamper_readings, 0) + coalesce(broken_seals.broken_seals, 0) as integer)
        as tamper_events,
    case
        when broken_seals.last_broken_seal is null then reading_signals.last_tamper_reading
        when reading_signals.last_tamper_reading is null then broken_seals.last_broken_seal
        when broken_seals.last_broken_seal > reading_signals.last_tamper_reading then broken_seals.last_broken_seal
        else reading_signals.last_tamper_reading
    end as last_tamper_date,
    coalesce(reading_signals.is_explained, 0) as is_explained,
    peer_levels.peer_rate,
    cast(coalesce(peer_levels.peer_rate_count, 0) as integer) as peers
from contracts
cross join evaluation
left join contract_levels on contracts.contract_id = contract_levels.contract_id
left join estimates on contracts.contract_id = estimates.contract_id
left join latest_periods
    on contracts.contract_id = latest_periods.contract_id
    and latest_periods.recency = 1
left join index_runs on contracts.contract_id = index_runs.contract_id
left join reading_signals on contracts.contract_id = reading_signals.contract_id
left join broken_seals on contracts.contract_id = broken_seals.contract_id
left join largest_falls as intervention_fall
    on contracts.contract_id = intervention_fall.contract_id
    and intervention_fall.intervention_group = 'intervention'
    and intervention_fall.fall_rank = 1
left join largest_falls as replacement_fall
    on contracts.contract_id = replacement_fall.contract_id
    and replacement_fall.intervention_group = 'replacement'
    and replacement_fall.fall_rank = 1
left join peer_groups on contracts.contract_id = peer_groups.contract_id
left join peer_levels
    on peer_groups.category = peer_levels.category
    and peer_groups.peer_place_id = peer_levels.peer_place_id
    and peer_groups.subscribed_power = peer_levels.subscribed_power
