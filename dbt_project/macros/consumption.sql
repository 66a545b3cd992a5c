{#-
    Consumption per closing reading from the index events of meter installations; see
    models/intermediate/metering/int_consumptions_computed.sql. The caller defines the CTEs named by
    ``installations`` and ``readings`` (readings with an index only). With ``windowed``, the installations carry
    a ``window_start`` column and the readings are restricted to the window by the caller: installation and
    removal indexes before the window are ignored too, so a reading whose previous index falls before the
    window has no consumption row (rather than counting from an index far in the past).
    Emits CTEs ending with ``consumptions``.
-#}
{% macro consumption_ctes(installations, readings, meters, contracts, windowed=false) -%}
consumption_installations as (
    -- Each installation with what its events need from the meter and the contract, joined once per
    -- installation rather than once per event.
    select
        installations.meter_installation_id,
        installations.contract_id,
        installations.meter_id,
        installations.installed_on,
        installations.removed_on,
        installations.initial_index,
        installations.final_index,
        {% if windowed %}installations.window_start,{% endif %}
        meters.multiplier,
        contracts.cycle_months,
        cast(power(10, meters.digits) as bigint) as meter_range
    from {{ installations }} as installations
    inner join {{ meters }} as meters on installations.meter_id = meters.meter_id
    inner join {{ contracts }} as contracts on installations.contract_id = contracts.contract_id
),

events as (
    -- The index events of each installation, with only what their ordering and differences need: the window
    -- below sorts every column it carries, so the installation's attributes are joined back after it.
    select
        meter_installation_id,
        installed_on as event_date,
        0 as event_order,
        cast(null as bigint) as reading_id,
        initial_index as index_value,
        {{ as_flag('1 = 0') }} as is_estimate
    from consumption_installations as installations
    {% if windowed %}where installations.installed_on >= installations.window_start{% endif %}

    union all

    select
        installations.meter_installation_id,
        readings.reading_date as event_date,
        1 as event_order,
        readings.reading_id,
        readings.index_value,
        readings.is_estimate
    from {{ readings }} as readings
    inner join consumption_installations as installations
        on readings.contract_id = installations.contract_id
        and readings.meter_id = installations.meter_id
        and readings.reading_date >= installations.installed_on
        and (installations.removed_on is null or readings.reading_date <= installations.removed_on)

    union all

    select
        meter_installation_id,
        removed_on as event_date,
        2 as event_order,
        cast(null as bigint) as reading_id,
        final_index as index_value,
        {{ as_flag('1 = 0') }} as is_estimate
    from consumption_installations as installations
    where removed_on is not null and final_index is not null
    {% if windowed %}and installations.removed_on >= installations.window_start{% endif %}
),

previous_events as (
    select
        events.*,
        lag(events.index_value) over (
            partition by events.meter_installation_id
            order by events.event_date, events.event_order, events.reading_id
        ) as previous_index,
        lag(events.event_date) over (
            partition by events.meter_installation_id
            order by events.event_date, events.event_order, events.reading_id
        ) as previous_date,
        lag(events.event_order) over (
            partition by events.meter_installation_id
            order by events.event_date, events.event_order, events.reading_id
        ) as previous_order,
        lag(events.is_estimate) over (
            partition by events.meter_installation_id
            order by events.event_date, events.event_order, events.reading_id
        ) as previous_is_estimate
    from events
),

sequenced as (
    -- Events of the installation (0), readings (1) and removal (2), named.
    select
        events.meter_installation_id,
        installations.contract_id,
        installations.meter_id,
        installations.installed_on,
        installations.multiplier,
        installations.cycle_months,
        installations.meter_range,
        events.event_date,
        events.event_order,
        case events.event_order when 0 then 'installation' when 1 then 'reading' else 'removal' end as event_kind,
        events.reading_id,
        events.index_value,
        events.is_estimate,
        events.previous_index,
        events.previous_date,
        case events.previous_order when 0 then 'installation' when 1 then 'reading' when 2 then 'removal' end
            as previous_kind,
        events.previous_is_estimate
    from previous_events as events
    inner join consumption_installations as installations
        on events.meter_installation_id = installations.meter_installation_id
),

segments as (
    select
        events.*,
        events.index_value - events.previous_index as raw_difference,
        {{ as_flag(
            "events.previous_kind = 'installation' and "
            ~ days_between('events.previous_date', 'events.event_date')
            ~ " > " ~ var('opening_gap_cycles') ~ " * events.cycle_months * 31"
        ) }} as is_opening
    from sequenced as events
    where events.previous_index is not null
),

unwrapped as (
    -- A lower index after a reading is a roll-over when the wrap is plausible; after an estimate it corrects an
    -- overstated estimate (negative consumption); otherwise it is impossible data.
    select
        segments.*,
        case
            when raw_difference >= 0 then raw_difference
            when raw_difference + meter_range <= {{ var('rollover_max_share') }} * meter_range
                then raw_difference + meter_range
            when {{ is_true('previous_is_estimate') }} then raw_difference
        end as index_difference,
        {{ as_flag(
            "raw_difference < 0 and raw_difference + meter_range <= "
            ~ var('rollover_max_share') ~ " * meter_range"
        ) }} as is_rollover,
        {{ as_flag(
            "raw_difference < 0 and raw_difference + meter_range > "
            ~ var('rollover_max_share') ~ " * meter_range and " ~ is_true('previous_is_estimate')
        ) }} as is_estimate_correction,
        {{ as_flag(
            "raw_difference < 0 and raw_difference + meter_range > "
            ~ var('rollover_max_share') ~ " * meter_range and not (" ~ is_true('previous_is_estimate') ~ ")"
        ) }} as is_index_backwards
    from segments
),

changed_contracts as (
    -- Contracts whose meter was removed inside the window: a closing reading there may gather several segments
    -- (the old meter's last one and the new meter's first one).
    select distinct contract_id from unwrapped where event_kind = 'removal'
),

ordered as (
    -- Number each event of those contracts by the closing reading it belongs to: the first reading at or after it.
    select
        unwrapped.*,
        coalesce(sum(case when event_kind = 'reading' then 1 else 0 end) over (
            partition by unwrapped.contract_id
            order by event_date, installed_on, event_order, reading_id
            rows between unbounded preceding and 1 preceding
        ), 0) + 1 as reading_ordinal
    from unwrapped
    inner join changed_contracts on unwrapped.contract_id = changed_contracts.contract_id
),

grouped as (
    select
        contract_id,
        max(case when event_kind = 'reading' then reading_id end) as reading_id,
        max(case when event_kind = 'reading' then event_date end) as period_end,
        min(previous_date) as period_start,
        max(case when event_kind = 'reading' then meter_id end) as meter_id,
        sum(index_difference * multiplier) as consumption,
        max({{ flag_to_int('is_opening') }}) as has_opening,
        max({{ flag_to_int('is_rollover') }}) as has_rollover,
        max({{ flag_to_int('is_index_backwards') }}) as has_index_backwards,
        max({{ flag_to_int('is_estimate_correction') }}) as has_estimate_correction,
        count(distinct meter_installation_id) as installations,
        max(case when event_kind = 'reading' and {{ is_true('is_estimate') }} then 1 else 0 end) as closes_on_estimate,
        max(case when {{ is_true('previous_is_estimate') }} then 1 else 0 end) as follows_estimate,
        sum(case when event_kind = 'reading' then 1 else 0 end) as closing_readings
    from ordered
    group by contract_id, reading_ordinal

    union all

    -- Every other contract: each segment is a reading with its own previous index, a closing reading of its own.
    select
        unwrapped.contract_id,
        unwrapped.reading_id,
        unwrapped.event_date as period_end,
        unwrapped.previous_date as period_start,
        unwrapped.meter_id,
        unwrapped.index_difference * unwrapped.multiplier as consumption,
        {{ flag_to_int('unwrapped.is_opening') }} as has_opening,
        {{ flag_to_int('unwrapped.is_rollover') }} as has_rollover,
        {{ flag_to_int('unwrapped.is_index_backwards') }} as has_index_backwards,
        {{ flag_to_int('unwrapped.is_estimate_correction') }} as has_estimate_correction,
        1 as installations,
        case when {{ is_true('unwrapped.is_estimate') }} then 1 else 0 end as closes_on_estimate,
        case when {{ is_true('unwrapped.previous_is_estimate') }} then 1 else 0 end as follows_estimate,
        1 as closing_readings
    from unwrapped
    left join changed_contracts on unwrapped.contract_id = changed_contracts.contract_id
    where changed_contracts.contract_id is null
),

consumptions as (
    select
        contract_id,
        reading_id,
        meter_id,
        period_start,
        period_end,
        {{ days_between('period_start', 'period_end') }} as period_days,
        case
            when has_opening = 1 or has_index_backwards = 1 then null
            else cast(consumption as bigint)
        end as consumption,
        {{ as_flag('has_opening = 1') }} as is_opening,
        {{ as_flag('has_rollover = 1') }} as has_rollover,
        {{ as_flag('has_index_backwards = 1') }} as has_index_backwards,
        {{ as_flag('has_estimate_correction = 1') }} as corrects_estimate,
        {{ as_flag('installations > 1') }} as has_meter_change,
        {{ as_flag('closes_on_estimate = 1') }} as is_estimated,
        {{ as_flag('follows_estimate = 1') }} as follows_estimate
    from grouped
    where closing_readings = 1
)
{%- endmacro %}
