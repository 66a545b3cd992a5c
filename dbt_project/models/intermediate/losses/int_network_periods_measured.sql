-- Energy (or water) delivered by each network meter between two consecutive indexed reads: the delivery periods
-- every balance is computed on. A read without an index, or a gap longer than a normal period, marks the period
-- as missing a reading: its energy is right but it cannot be compared with a month.
with meters as (
    select * from {{ ref('stg_operational__network_meters') }}
),

reads as (
    select
        network_meter_id,
        network_reading_id,
        reading_date,
        index_value,
        -- A read without an index belongs to the period that ends at the next indexed read.
        sum(case when index_value is not null then 1 else 0 end) over (
            partition by network_meter_id
            order by reading_date, network_reading_id
            rows between unbounded preceding and current row
        ) as indexed_ordinal
    from {{ ref('stg_operational__network_readings') }}
),

indexed as (
    select
        network_meter_id,
        reading_date,
        index_value,
        indexed_ordinal,
        lag(reading_date) over (partition by network_meter_id order by reading_date, network_reading_id) as previous_date,
        lag(index_value) over (partition by network_meter_id order by reading_date, network_reading_id) as previous_index
    from reads
    where index_value is not null
),

unindexed as (
    select
        network_meter_id,
        indexed_ordinal + 1 as indexed_ordinal,
        count(*) as missing_reads
    from reads
    where index_value is null
    group by network_meter_id, indexed_ordinal
),

differences as (
    select
        meters.network_meter_id,
        meters.equipment_kind,
        meters.feeder_id,
        meters.transformer_id,
        meters.water_district_id,
        meters.unit,
        meters.multiplier,
        indexed.previous_date as period_start,
        indexed.reading_date as period_end,
        {{ days_between('indexed.previous_date', 'indexed.reading_date') }} as period_days,
        indexed.previous_index as start_index,
        indexed.index_value as end_index,
        indexed.index_value - indexed.previous_index as raw_difference,
        cast(power(10, meters.digits) as {{ dbt.type_bigint() }}) as meter_range,
        coalesce(unindexed.missing_reads, 0) as missing_reads
    from indexed
    inner join meters on indexed.network_meter_id = meters.network_meter_id
    left join unindexed
        on indexed.network_meter_id = unindexed.network_meter_id
        and indexed.indexed_ordinal = unindexed.indexed_ordinal
    where indexed.previous_date is not null
)

select
    network_meter_id,
    equipment_kind,
    case equipment_kind
        when 'transformer' then transformer_id
        when 'feeder' then feeder_id
        else water_district_id
    end as equipment_id,
    unit,
    period_start,
    period_end,
    period_days,
    start_index,
    end_index,
    -- A backward index is a roll-over when the wrap stays plausible (var rollover_max_share); otherwise the
    -- period has no delivered energy and is flagged.
    cast(case
        when raw_difference >= 0 then raw_difference * multiplier
        when raw_difference + meter_range <= {{ var('rollover_max_share') }} * meter_range
            then (raw_difference + meter_range) * multiplier
    end as decimal(18, 3)) as delivered,
    {{ as_flag('raw_difference < 0 and raw_difference + meter_range <= ' ~ var('rollover_max_share') ~ ' * meter_range') }}
        as has_rollover,
    {{ as_flag('raw_difference < 0 and raw_difference + meter_range > ' ~ var('rollover_max_share') ~ ' * meter_range') }}
        as has_index_backwards,
    {{ as_flag('missing_reads > 0 or period_days > ' ~ var('losses_delivery_period_max_days')) }} as has_missing_reading
from differences
