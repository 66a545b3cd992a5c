{{ config(materialized="table") }}

-- For every contract of an open batch: bill it (on its readings, or on an estimate when a due reading is
-- missing), hold it with the reason a clerk must look at, or leave it unbilled with the reason. Every selected
-- contract gets exactly one row.
with selected as (
    select * from {{ ref('int_batch_contracts_selected') }}
    where exclusion_reason is null
),

consumptions as (
    select * from {{ ref('int_batch_consumptions_computed') }}
),

closing as (
    select
        selected.bill_key,
        sum(case when {{ is_true('consumptions.is_opening') }} then 0 else 1 end) as real_rows,
        sum(case when {{ is_true('consumptions.is_opening') }} then 0 else consumptions.consumption end)
            as consumption,
        min(case when {{ is_true('consumptions.is_opening') }} then null else consumptions.period_start end)
            as period_start,
        max(consumptions.period_end) as period_end,
        max({{ flag_to_int('consumptions.is_estimated') }}) as closes_on_estimate,
        max({{ flag_to_int('consumptions.follows_estimate') }}) as follows_estimate,
        max({{ flag_to_int('consumptions.has_index_backwards') }}) as has_index_backwards,
        max({{ flag_to_int('consumptions.has_meter_change') }}) as has_meter_change,
        max({{ flag_to_int('consumptions.has_rollover') }}) as has_rollover
    from selected
    inner join consumptions
        on selected.contract_id = consumptions.contract_id
        and selected.billing_month = consumptions.closing_month
    group by selected.bill_key
),

readings_in_month as (
    select
        selected.bill_key,
        count(*) as readings
    from selected
    inner join {{ ref('stg_operational__readings') }} as readings
        on selected.contract_id = readings.contract_id
        and readings.reading_date >= selected.billing_month
        and readings.reading_date < selected.month_end
        and readings.index_value is not null
    group by selected.bill_key
),

earlier as (
    -- The periods closed before the billing month, newest first; real ones (read, not estimated) numbered apart
    -- for the estimate's history, in the same pass.
    select
        selected.bill_key,
        consumptions.period_end,
        consumptions.period_days,
        consumptions.consumption,
        consumptions.is_estimated,
        consumptions.is_opening,
        row_number() over (
            partition by selected.bill_key order by consumptions.period_end desc, consumptions.reading_id desc
        ) as recency,
        sum(
            case
                when consumptions.consumption is not null and not ({{ is_true('consumptions.is_estimated') }})
                    then 1
                else 0
            end
        ) over (
            partition by selected.bill_key order by consumptions.period_end desc, consumptions.reading_id desc
            rows between unbounded preceding and current row
        ) as real_recency
    from selected
    inner join consumptions
        on selected.contract_id = consumptions.contract_id
        and consumptions.period_end < selected.billing_month
),

last_earlier as (
    select * from earlier where recency = 1
),

real_history as (
    -- The customer's own recent real consumption, for an estimate per day.
    select
        bill_key,
        sum(consumption) as consumption,
        sum(period_days) as days
    from earlier
    where consumption is not null
        and not ({{ is_true('is_estimated') }})
        and real_recency <= {{ var('estimate_history_periods') }}
    group by bill_key
),

assembled as (
    select
        selected.*,
        closing.real_rows,
        closing.consumption as read_consumption,
        closing.period_start as read_period_start,
        closing.period_end as read_period_end,
        coalesce(closing.closes_on_estimate, 0) as closes_on_estimate,
        coalesce(closing.follows_estimate, 0) as follows_estimate,
        coalesce(closing.has_index_backwards, 0) as has_index_backwards,
        coalesce(closing.has_meter_change, 0) as has_meter_change,
        coalesce(closing.has_rollover, 0) as has_rollover,
        case when closing.bill_key is not null then 1 else 0 end as has_closing,
        coalesce(readings_in_month.readings, 0) as readings_in_month,
        last_earlier.period_end as last_reading_date,
        case when {{ is_true('last_earlier.is_estimated') }} then 1 else 0 end as last_was_estimated,
        real_history.consumption as history_consumption,
        real_history.days as history_days,
        -- The day the round reads in the billing month: the end of an estimated period.
        cast({{ dbt.dateadd('day', 'coalesce(selected.reading_day, 15) - 1', 'selected.billing_month') }} as date)
            as expected_reading_date
    from selected
    left join closing on selected.bill_key = closing.bill_key
    left join readings_in_month on selected.bill_key = readings_in_month.bill_key
    left join last_earlier on selected.bill_key = last_earlier.bill_key
    left join real_history on selected.bill_key = real_history.bill_key
),

measured as (
    select
        assembled.*,
        case
            when has_closing = 1 then read_period_start
            else last_reading_date
        end as period_start,
        case
            when has_closing = 1 then read_period_end
            else expected_reading_date
        end as period_end,
        case
            when has_closing = 1 and real_rows > 0 then cast(read_consumption as bigint) * 1000
            when history_days > 0 and last_reading_date is not null and expected_reading_date > last_reading_date
                then {{ div_half_up(
                    'cast(history_consumption as bigint) * 1000 * '
                    ~ days_between('last_reading_date', 'expected_reading_date'),
                    'history_days') }}
        end as consumption_milli,
        case when has_closing = 1 then closes_on_estimate else 1 end as is_estimated,
        case when has_closing = 1 then 'reading' else 'billing_estimate' end as consumption_source
    from assembled
),

limited as (
    select
        measured.*,
        {{ days_between('period_start', 'period_end') }} as period_days,
        -- The most the connection could physically deliver over the period, in thousandths of a unit.
        cast(
            case
                when power_unit = 'kVA' then subscribed_power
                when power_unit = 'A' then subscribed_power * 0.23
                when power_unit = 'mm' then case
                    {% for diameter, flow in var('water_max_flow_m3_per_hour').items() | sort %}
                    when subscribed_power <= {{ diameter }} then {{ flow }}
                    {% endfor %}
                    else 200
                end
            end * 24 * {{ days_between('period_start', 'period_end') }} * 1000 * {{ var('physical_max_load_factor') }}
            as bigint
        ) as physical_max_milli
    from measured
)

-- The contract's own attributes stay in int_batch_contracts_selected (same bill_key); pricing and the draft bills
-- read these.
select
    bill_key,
    batch_id,
    billing_month,
    contract_id,
    category,
    cycle_months,
    subscribed_power,
    meter_type,
    period_start,
    period_end,
    period_days,
    -- An unbilled contract shows no consumption (an estimate is only drawn for a bill that is due).
    case when reason_code in ('NOT_DUE', 'PREPAID', 'NO_READING_YET') then null else consumption_milli end
        as consumption_milli,
    {{ as_flag('is_estimated = 1') }} as is_estimated,
    consumption_source,
    {{ as_flag('has_meter_change = 1') }} as has_meter_change,
    {{ as_flag('has_rollover = 1') }} as has_rollover,
    physical_max_milli,
    reason_code,
    case
        when reason_code is null then 'billable'
        when reason_code in (
            'INDEX_BACKWARDS', 'ESTIMATE_OVERSTATED', 'SECOND_ESTIMATE', 'ABOVE_PHYSICAL_MAXIMUM',
            'NO_PREVIOUS_READING'
        )
            then 'held'
        else 'not_billed'
    end as bill_status
from (
    select
        limited.*,
        case
            when payment_mode = 'prepaid' then 'PREPAID'
            when has_closing = 1 and has_index_backwards = 1 then 'INDEX_BACKWARDS'
            when has_closing = 1 and real_rows = 0 then 'OPENING_READING'
            when has_closing = 1 and read_consumption < 0 then 'ESTIMATE_OVERSTATED'
            when has_closing = 1 and {{ 'closes_on_estimate = 1 and follows_estimate = 1'
                if var('forbid_consecutive_estimates') else '1 = 0' }} then 'SECOND_ESTIMATE'
            when has_closing = 1 and consumption_milli > physical_max_milli then 'ABOVE_PHYSICAL_MAXIMUM'
            when has_closing = 1 then null
            when readings_in_month > 0 then 'NO_PREVIOUS_READING'
            when last_reading_date is null then 'NO_READING_YET'
            when {{ dbt.datediff(month_start('last_reading_date'), 'billing_month', 'month') }} < cycle_months
                then 'NOT_DUE'
            when {{ 'last_was_estimated = 1' if var('forbid_consecutive_estimates') else '1 = 0' }}
                then 'SECOND_ESTIMATE'
            when consumption_milli is null then 'NO_READING_NO_HISTORY'
            when consumption_milli > physical_max_milli then 'ABOVE_PHYSICAL_MAXIMUM'
        end as reason_code
    from limited
) as decided
