{{ config(materialized='table') }}
{#-
    What the customers downstream of each place of the network (transformer, feeder, substation, water district)
    consumed during each delivery period of the network meters.

    Customer consumption comes per reading period (fct_consumption, the materialised consumption, rather than
    recomputing it from the index events), on the customer's own dates and cycle; each period is shared onto
    the delivery periods it overlaps in proportion of the days (a 61-day bimonthly period with 20 days in a
    delivery period puts 20/61 of its consumption there). As network meters are read on the 1st, periods are cut
    at month boundaries by arithmetic and summed per place and month first, which needs no join of every reading
    period with the calendar; months are then summed onto the delivery periods (a month's share of days when a
    delivery period does not follow months). A contract's place is one key (its transformer, else its feeder for
    medium voltage, else its water district), expanded back to every level at the end.

    Coverage: the contract-days of the delivery period covered by a consumption (read, or estimated for the
    days not read yet), against the days the place's metered contracts were active. Prepaid contracts count
    their purchases (var losses_prepaid_source), unmetered public lighting its estimate; neither enters the
    coverage. A table: the balances of every level read it several times.
-#}
{%- set prepaid_by_readings = var('losses_prepaid_source') == 'readings' -%}
{%- set month_days = days_between('months.month', dbt.dateadd('month', 1, 'months.month')) -%}

with delivery_periods as (
    select distinct
        period_start,
        period_end
    from {{ ref('int_network_periods_measured') }}
    where period_days > 0
),

bounds as (
    select
        min(period_start) as first_start,
        max(period_end) as last_end
    from delivery_periods
),

months as (
    -- The calendar months the delivery periods cover.
    select {{ month_start('period_start') }} as month from delivery_periods
    union
    select {{ month_start(dbt.dateadd('day', -1, 'period_end')) }} from delivery_periods
),

located as (
    select
        located.*,
        case
            when located.commodity = 'electricity' and located.transformer_id is not null
                then 4 * located.transformer_id
            when located.commodity = 'electricity' and located.feeder_id is not null then 4 * located.feeder_id + 1
            when located.commodity = 'water' and located.water_district_id is not null
                then 4 * located.water_district_id + 2
        end as place_key
    from {{ ref('int_contracts_located') }} as located
),

places as (
    select distinct
        place_key,
        case when commodity = 'electricity' then transformer_id end as transformer_id,
        case when commodity = 'electricity' then feeder_id end as feeder_id,
        case when commodity = 'electricity' then substation_id end as substation_id,
        case when commodity = 'water' then water_district_id end as water_district_id,
        commodity
    from located
    where place_key is not null
),

read_contracts as (
    select * from located
    where {{ is_true('is_metered') }} and place_key is not null
        {% if not prepaid_by_readings %}and (payment_mode is null or payment_mode <> 'prepaid'){% endif %}
),

consumptions as (
    select
        read_contracts.place_key,
        computed.period_start,
        computed.period_end,
        computed.period_days,
        cast(computed.consumption as {{ type_double() }}) as consumption,
        case when {{ is_true('computed.is_estimated') }} then 1 else 0 end as is_estimated,
        {{ month_start('computed.period_start') }} as first_month,
        cast({{ dbt.dateadd('month', 1, month_start('computed.period_start')) }} as date) as second_month,
        {{ month_start(dbt.dateadd('day', -1, 'computed.period_end')) }} as last_month
    from {{ ref('fct_consumption') }} as computed
    inner join read_contracts on computed.contract_id = read_contracts.contract_id
    cross join bounds
    where computed.consumption is not null
        and computed.period_end >= bounds.first_start
        and computed.period_start < bounds.last_end
),

edges as (
    -- Days not yet read at the end of the horizon (after a contract's last reading) and not read at its start
    -- (before its first measured period) are estimated from the daily consumption of its nearest period, for at
    -- most var('losses_extrapolation_max_days'): the latest balances stay usable while the readings of the next
    -- round come in. They count as estimated consumption. One pass finds each contract's first and last period
    -- with its daily consumption: the rate (in thousandths) is packed under the date in one integer, so that the
    -- maximum (minimum) of the packed values is the latest (earliest) period's (a negative correction of an
    -- estimate counts as none).
    select
        contract_id,
        max({{ day_count("cast('2000-01-01' as date)", 'period_end') }} * 1000000000000
            + case
                when consumption > 0 then cast(floor(1000 * cast(consumption as {{ type_double() }}) / period_days) as {{ dbt.type_bigint() }})
                else 0
            end) as last_packed,
        min({{ day_count("cast('2000-01-01' as date)", 'period_start') }} * 1000000000000
            + case
                when consumption > 0 then cast(floor(1000 * cast(consumption as {{ type_double() }}) / period_days) as {{ dbt.type_bigint() }})
                else 0
            end) as first_packed
    from {{ ref('fct_consumption') }} as computed
    cross join bounds
    -- Read straight from the table (not from the consumptions above), so that neither is materialised twice.
    where computed.consumption is not null
        and computed.period_days > 0
        and computed.period_end >= bounds.first_start
        and computed.period_start < bounds.last_end
    group by contract_id
),

edge_spans as (
    select
        edges.contract_id,
        read_contracts.place_key,
        cast({{ dbt.dateadd('day', 'cast(floor(edges.last_packed / 1000000000000) as integer)', "cast('2000-01-01' as date)") }}
            as date) as last_end,
        cast({{ dbt.dateadd('day', 'cast(floor(edges.first_packed / 1000000000000) as integer)', "cast('2000-01-01' as date)") }}
            as date) as first_start,
        (edges.last_packed - 1000000000000 * floor(edges.last_packed / 1000000000000)) / 1000.0 as last_daily,
        (edges.first_packed - 1000000000000 * floor(edges.first_packed / 1000000000000)) / 1000.0 as first_daily
    from edges
    inner join read_contracts on edges.contract_id = read_contracts.contract_id
),

extrapolated as (
    select
        place_key,
        span_start as period_start,
        span_end as period_end,
        {{ day_count('span_start', 'span_end') }} as period_days,
        sum(daily_consumption) * {{ day_count('span_start', 'span_end') }} as consumption,
        1 as is_estimated,
        count(*) as contract_periods
    from (
        -- Never beyond the contract's own dates.
        select
            spans.place_key,
            {{ greatest_of('spans.span_start', 'read_contracts.start_date') }} as span_start,
            case
                when read_contracts.end_date is not null and read_contracts.end_date < spans.span_end
                    then read_contracts.end_date
                else spans.span_end
            end as span_end,
            spans.daily_consumption
        from (
        select
            edges.contract_id,
            edges.place_key,
            edges.last_end as span_start,
            case
                when {{ dbt.dateadd('day', var('losses_extrapolation_max_days'), 'edges.last_end') }} < bounds.last_end
                    then cast({{ dbt.dateadd('day', var('losses_extrapolation_max_days'), 'edges.last_end') }} as date)
                else bounds.last_end
            end as span_end,
            edges.last_daily as daily_consumption
        from edge_spans as edges
        cross join bounds
        where edges.last_end < bounds.last_end
        union all
        select
            edges.contract_id,
            edges.place_key,
            case
                when {{ dbt.dateadd('day', -1 * var('losses_extrapolation_max_days'), 'edges.first_start') }}
                    > bounds.first_start
                    then cast({{ dbt.dateadd('day', -1 * var('losses_extrapolation_max_days'), 'edges.first_start') }} as date)
                else bounds.first_start
            end,
            edges.first_start,
            edges.first_daily
        from edge_spans as edges
        cross join bounds
        where edges.first_start > bounds.first_start
        ) as spans
        inner join read_contracts on spans.contract_id = read_contracts.contract_id
        where spans.span_start < spans.span_end
            and (read_contracts.end_date is null or spans.span_start < read_contracts.end_date)
            and spans.span_end > read_contracts.start_date
    ) as clamped
    group by place_key, span_start, span_end
),

periods as (
    select
        place_key, period_start, period_end, period_days, consumption, is_estimated, 1 as contract_periods,
        first_month, second_month, last_month
    from consumptions
    union all
    select
        place_key, period_start, period_end, period_days, consumption, is_estimated, contract_periods,
        {{ month_start('period_start') }},
        cast({{ dbt.dateadd('month', 1, month_start('period_start')) }} as date),
        {{ month_start(dbt.dateadd('day', -1, 'period_end')) }}
    from extrapolated
),

month_groups as (
    -- One pass over the periods: per place, pair of first and last months and estimated or not, what falls in
    -- the first month and the daily consumption that fills the whole months between (bimonthly periods); the
    -- last month gets the rest. A period within one month falls in it whole.
    select
        place_key,
        first_month,
        last_month,
        is_estimated,
        max(second_month) as second_month,
        sum(consumption) as consumption,
        sum(contract_periods * period_days) as days,
        sum(case when last_month > first_month
            then consumption * {{ day_count('period_start', 'second_month') }} / period_days end) as first_consumption,
        sum(case when last_month > first_month
            then contract_periods * {{ day_count('period_start', 'second_month') }} end) as first_days,
        sum(case when last_month > second_month then consumption / period_days end) as middle_daily,
        sum(case when last_month > second_month then contract_periods end) as middle_periods
    from periods
    group by place_key, first_month, last_month, is_estimated
),

middle_months as (
    select
        groups.place_key,
        groups.first_month,
        groups.last_month,
        groups.is_estimated,
        months.month,
        groups.middle_daily * {{ month_days }} as consumption,
        groups.middle_periods * {{ month_days }} as days
    from month_groups as groups
    inner join months on months.month > groups.first_month and months.month < groups.last_month
    where groups.last_month > groups.second_month
),

month_parts as (
    select
        place_key,
        first_month as month,
        is_estimated,
        case when last_month > first_month then first_consumption else consumption end as consumption,
        case when last_month > first_month then first_days else days end as days
    from month_groups
    union all
    select
        groups.place_key,
        groups.last_month,
        groups.is_estimated,
        groups.consumption - groups.first_consumption - coalesce(middle.consumption, 0),
        groups.days - groups.first_days - coalesce(middle.days, 0)
    from month_groups as groups
    left join (
        select place_key, first_month, last_month, is_estimated, sum(consumption) as consumption, sum(days) as days
        from middle_months
        group by place_key, first_month, last_month, is_estimated
    ) as middle
        on groups.place_key = middle.place_key
        and groups.first_month = middle.first_month
        and groups.last_month = middle.last_month
        and groups.is_estimated = middle.is_estimated
    where groups.last_month > groups.first_month
    union all
    select place_key, month, is_estimated, consumption, days
    from middle_months
),

month_totals as (
    select
        place_key,
        month,
        sum(consumption) as consumption,
        sum(case when is_estimated = 1 then consumption else 0 end) as estimated_consumption,
        sum(days) as covered_days,
        sum(case when is_estimated = 1 then days else 0 end) as estimated_days
    from month_parts
    group by place_key, month
),

month_shares as (
    -- The share of each month in each delivery period: 1 or 0 when the periods follow months.
    select
        months.month,
        delivery.period_start,
        delivery.period_end,
        cast({{ days_between(
            greatest_of('months.month', 'delivery.period_start'),
            least_of(dbt.dateadd('month', 1, 'months.month'), 'delivery.period_end')) }} as {{ type_double() }})
            / {{ month_days }} as share
    from months
    inner join delivery_periods as delivery
        on months.month < delivery.period_end
        and {{ dbt.dateadd('month', 1, 'months.month') }} > delivery.period_start
),

measured as (
    select
        totals.place_key,
        shares.period_start as delivery_start,
        shares.period_end as delivery_end,
        sum(totals.consumption * shares.share) as metered_consumption,
        sum(totals.estimated_consumption * shares.share) as estimated_consumption,
        sum(totals.covered_days * shares.share) as covered_contract_days,
        sum(totals.estimated_days * shares.share) as estimated_contract_days
    from month_totals as totals
    inner join month_shares as shares on totals.month = shares.month
    group by totals.place_key, shares.period_start, shares.period_end
),

spans as (
    -- Contracts clamped to the horizon of the delivery periods and counted per identical span, so that the
    -- overlap below runs once per distinct span rather than once per contract.
    select
        place_key,
        span_start,
        span_end,
        count(*) as contracts
    from (
        select
            read_contracts.place_key,
            {{ greatest_of('read_contracts.start_date', 'bounds.first_start') }} as span_start,
            case
                when read_contracts.end_date is null or read_contracts.end_date > bounds.last_end then bounds.last_end
                else read_contracts.end_date
            end as span_end
        from read_contracts
        cross join bounds
    ) as clamped
    where span_start < span_end
    group by place_key, span_start, span_end
),

expected as (
    select
        spans.place_key,
        delivery.period_start as delivery_start,
        delivery.period_end as delivery_end,
        sum(spans.contracts * {{ days_between(
            greatest_of('spans.span_start', 'delivery.period_start'),
            least_of('spans.span_end', 'delivery.period_end')) }}) as expected_contract_days,
        sum(spans.contracts) as active_contracts
    from spans
    inner join delivery_periods as delivery
        on spans.span_start < delivery.period_end and spans.span_end > delivery.period_start
    group by spans.place_key, delivery.period_start, delivery.period_end
),

purchases as (
    select
        located.place_key,
        delivery.period_start as delivery_start,
        delivery.period_end as delivery_end,
        sum(cast(purchases.energy as {{ type_double() }})) as prepaid_energy,
        count(distinct purchases.contract_id) as prepaid_contracts
    from {{ ref('stg_operational__prepaid_purchases') }} as purchases
    inner join located on purchases.contract_id = located.contract_id
    inner join delivery_periods as delivery
        on purchases.purchase_date >= delivery.period_start and purchases.purchase_date < delivery.period_end
    where located.place_key is not null
        {% if prepaid_by_readings %}and 1 = 0{% endif %}
    group by located.place_key, delivery.period_start, delivery.period_end
),

lighting as (
    -- Unmetered public lighting burns its subscribed power (kVA x power factor) so many hours a night.
    select
        located.place_key,
        delivery.period_start as delivery_start,
        delivery.period_end as delivery_end,
        sum(
            located.power_kva * {{ var('losses_power_factor') }} * {{ var('losses_lighting_hours_per_day') }}
            * {{ days_between(
                greatest_of('located.start_date', 'delivery.period_start'),
                'case when located.end_date is null or located.end_date > delivery.period_end'
                ~ ' then delivery.period_end else located.end_date end') }}
        ) as unmetered_lighting,
        count(*) as lighting_contracts
    from located
    inner join delivery_periods as delivery
        on located.start_date < delivery.period_end
        and (located.end_date is null or located.end_date > delivery.period_start)
    where located.category in {{ sql_list(var('losses_lighting_categories')) }}
        and not ({{ is_true('located.is_metered') }})
        and located.power_kva is not null
        and located.place_key is not null
    group by located.place_key, delivery.period_start, delivery.period_end
),

parts as (
    select
        place_key, delivery_start, delivery_end,
        metered_consumption, estimated_consumption, covered_contract_days, estimated_contract_days,
        0 as expected_contract_days, 0 as active_contracts,
        0 as prepaid_energy, 0 as prepaid_contracts, 0 as unmetered_lighting, 0 as lighting_contracts
    from measured
    union all
    select place_key, delivery_start, delivery_end, 0, 0, 0, 0, expected_contract_days, active_contracts, 0, 0, 0, 0
    from expected
    union all
    select place_key, delivery_start, delivery_end, 0, 0, 0, 0, 0, 0, prepaid_energy, prepaid_contracts, 0, 0
    from purchases
    union all
    select place_key, delivery_start, delivery_end, 0, 0, 0, 0, 0, 0, 0, 0, unmetered_lighting, lighting_contracts
    from lighting
),

totals as (
    select
        place_key,
        delivery_start,
        delivery_end,
        sum(metered_consumption) as metered_consumption,
        sum(estimated_consumption) as estimated_consumption,
        sum(prepaid_energy) as prepaid_energy,
        sum(unmetered_lighting) as unmetered_lighting,
        sum(covered_contract_days) as covered_contract_days,
        sum(estimated_contract_days) as estimated_contract_days,
        sum(expected_contract_days) as expected_contract_days,
        sum(active_contracts) as active_contracts,
        sum(prepaid_contracts) as prepaid_contracts,
        sum(lighting_contracts) as lighting_contracts
    from parts
    group by place_key, delivery_start, delivery_end
)

select
    places.transformer_id,
    places.feeder_id,
    places.substation_id,
    places.water_district_id,
    places.commodity,
    totals.delivery_start as period_start,
    totals.delivery_end as period_end,
    cast(totals.metered_consumption as decimal(18, 3)) as metered_consumption,
    cast(totals.estimated_consumption as decimal(18, 3)) as estimated_consumption,
    cast(totals.prepaid_energy as decimal(18, 3)) as prepaid_energy,
    cast(totals.unmetered_lighting as decimal(18, 3)) as unmetered_lighting,
    cast(totals.covered_contract_days as {{ dbt.type_bigint() }}) as covered_contract_days,
    cast(totals.estimated_contract_days as {{ dbt.type_bigint() }}) as estimated_contract_days,
    cast(totals.expected_contract_days as {{ dbt.type_bigint() }}) as expected_contract_days,
    cast(totals.active_contracts as {{ dbt.type_bigint() }}) as active_contracts,
    cast(totals.prepaid_contracts as {{ dbt.type_bigint() }}) as prepaid_contracts,
    cast(totals.lighting_contracts as {{ dbt.type_bigint() }}) as lighting_contracts
from totals
inner join places on totals.place_key = places.place_key
