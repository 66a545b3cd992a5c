{#-
    The energy balance of every transformer, feeder, source substation and water district per delivery period:
    energy delivered (network meters) against energy consumed downstream (readings shared by days, prepaid
    purchases, unmetered loads), the loss, its technical estimate and non-technical remainder, and the average
    billed price that values it. A substation has no meter of its own: it delivers what its feeders' meters
    count over the same period. Formulas and a worked example: docs/losses.md.
-#}
{%- set shares = var('losses_technical_share_by_level') -%}
{%- set unmetered = var('losses_unmetered_kwh_per_day') -%}

with periods as (
    select * from {{ ref('int_network_periods_measured') }}
),

deliveries as (
    select
        equipment_kind as balance_level,
        equipment_id,
        period_start,
        period_end,
        period_days,
        sum(delivered) as delivered,
        max({{ flag_to_int('has_missing_reading') }}) as missing_reading,
        max(case when delivered is null then 1 else 0 end) as unmeasured,
        count(*) as meters
    from periods
    group by equipment_kind, equipment_id, period_start, period_end, period_days
),

feeders as (
    select * from {{ ref('stg_operational__feeders') }}
),

substation_deliveries as (
    -- A substation's delivery is complete only when every one of its feeders was read over the same period.
    select
        'substation' as balance_level,
        feeders.substation_id as equipment_id,
        deliveries.period_start,
        deliveries.period_end,
        deliveries.period_days,
        sum(deliveries.delivered) as delivered,
        case
            when max(deliveries.missing_reading) = 1 or count(distinct deliveries.equipment_id) < max(feeder_counts.feeders)
                then 1
            else 0
        end as missing_reading,
        max(deliveries.unmeasured) as unmeasured,
        count(*) as meters
    from deliveries
    inner join feeders on deliveries.equipment_id = feeders.feeder_id
    inner join (
        select substation_id, count(*) as feeders from feeders group by substation_id
    ) as feeder_counts on feeders.substation_id = feeder_counts.substation_id
    where deliveries.balance_level = 'feeder'
    group by feeders.substation_id, deliveries.period_start, deliveries.period_end, deliveries.period_days
),

all_deliveries as (
    select * from deliveries
    union all
    select * from substation_deliveries
),

prorated as (
    select * from {{ ref('int_consumptions_prorated') }}
),

place_consumption as (
    {%- for level, key, condition in [
        ('transformer', 'transformer_id', "commodity = 'electricity'"),
        ('feeder', 'feeder_id', "commodity = 'electricity'"),
        ('substation', 'substation_id', "commodity = 'electricity'"),
        ('water_district', 'water_district_id', "commodity = 'water'"),
    ] %}
    select
        '{{ level }}' as balance_level,
        {{ key }} as equipment_id,
        period_start,
        period_end,
        sum(metered_consumption) as metered_consumption,
        sum(estimated_consumption) as estimated_consumption,
        sum(prepaid_energy) as prepaid_energy,
        sum(unmetered_lighting) as unmetered_lighting,
        sum(covered_contract_days) as covered_contract_days,
        sum(estimated_contract_days) as estimated_contract_days,
        sum(expected_contract_days) as expected_contract_days,
        sum(active_contracts) as active_contracts,
        sum(prepaid_contracts) as prepaid_contracts
    from prorated
    where {{ key }} is not null and {{ condition }}
    group by {{ key }}, period_start, period_end
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

transformers as (
    select
        transformers.transformer_id,
        transformers.feeder_id,
        feeders.substation_id,
        transformers.rating_kva,
        -- Other unmetered loads (var losses_unmetered_kwh_per_day, by transformer code).
        {% if unmetered | length > (1 if 'default' in unmetered else 0) -%}
        case transformers.transformer_code
            {%- for code, value in unmetered.items() if code != 'default' %}
            when '{{ code }}' then {{ value }}
            {%- endfor %}
            else {{ unmetered.get('default', 0) }}
        end
        {%- else -%}
        {{ unmetered.get('default', 0) }}
        {%- endif %} as unmetered_kwh_per_day
    from {{ ref('stg_operational__transformers') }} as transformers
    left join feeders on transformers.feeder_id = feeders.feeder_id
),

unmetered_loads as (
    select 'transformer' as balance_level, transformer_id as equipment_id, unmetered_kwh_per_day from transformers
    union all
    select 'feeder', feeder_id, sum(unmetered_kwh_per_day) from transformers group by feeder_id
    union all
    select 'substation', substation_id, sum(unmetered_kwh_per_day) from transformers group by substation_id
),

invoice_months as (
    select
        located.transformer_id,
        located.feeder_id,
        located.substation_id,
        located.water_district_id,
        located.commodity,
        invoices.billing_month,
        sum(cast(invoices.total_minor as {{ type_double() }})) as billed_minor,
        sum(cast(invoices.consumption as {{ type_double() }})) as billed_consumption
    from {{ ref('stg_operational__invoices') }} as invoices
    inner join {{ ref('int_contracts_located') }} as located on invoices.contract_id = located.contract_id
    where invoices.invoice_kind in ('invoice', 'final') and invoices.consumption > 0
    group by
        located.transformer_id,
        located.feeder_id,
        located.substation_id,
        located.water_district_id,
        located.commodity,
        invoices.billing_month
),

place_prices as (
    {%- for level, key in [('transformer', 'transformer_id'), ('feeder', 'feeder_id'),
                           ('substation', 'substation_id'), ('water_district', 'water_district_id')] %}
    select '{{ level }}' as balance_level, {{ key }} as equipment_id, billing_month,
        sum(billed_minor) as billed_minor, sum(billed_consumption) as billed_consumption
    from invoice_months
    where {{ key }} is not null
    group by {{ key }}, billing_month
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

utility_prices as (
    select
        commodity,
        billing_month,
        sum(billed_minor) as billed_minor,
        sum(billed_consumption) as billed_consumption
    from invoice_months
    group by commodity, billing_month
),

balances as (
    select
        deliveries.balance_level,
        deliveries.equipment_id,
        case when deliveries.balance_level = 'water_district' then 'water' else 'electricity' end as commodity,
        deliveries.period_start,
        deliveries.period_end,
        deliveries.period_days,
        deliveries.meters,
        deliveries.missing_reading,
        deliveries.unmeasured,
        cast(deliveries.delivered as {{ type_double() }}) as delivered,
        coalesce(consumption.metered_consumption, 0) as metered_consumption,
        coalesce(consumption.estimated_consumption, 0) as estimated_consumption,
        coalesce(consumption.prepaid_energy, 0) as prepaid_energy,
        coalesce(consumption.unmetered_lighting, 0)
            + coalesce(loads.unmetered_kwh_per_day, 0) * deliveries.period_days as unmetered_estimate,
        coalesce(consumption.covered_contract_days, 0) as covered_contract_days,
        coalesce(consumption.estimated_contract_days, 0) as estimated_contract_days,
        coalesce(consumption.expected_contract_days, 0) as expected_contract_days,
        coalesce(consumption.active_contracts, 0) as active_contracts,
        coalesce(consumption.prepaid_contracts, 0) as prepaid_contracts
    from all_deliveries as deliveries
    left join place_consumption as consumption
        on deliveries.balance_level = consumption.balance_level
        and deliveries.equipment_id = consumption.equipment_id
        and deliveries.period_start = consumption.period_start
        and deliveries.period_end = consumption.period_end
    left join unmetered_loads as loads
        on deliveries.balance_level = loads.balance_level
        and deliveries.equipment_id = loads.equipment_id
),

losses as (
    select
        balances.*,
        balances.metered_consumption + balances.prepaid_energy + balances.unmetered_estimate as consumed,
        balances.delivered
            - (balances.metered_consumption + balances.prepaid_energy + balances.unmetered_estimate) as loss,
        transformers.rating_kva,
        -- Load factor: the energy delivered against what the rating could deliver at the power factor.
        case
            when balances.balance_level = 'transformer' and transformers.rating_kva > 0 and balances.period_days > 0
                then balances.delivered
                    / (transformers.rating_kva * {{ var('losses_power_factor') }} * 24.0 * balances.period_days)
        end as load_factor
    from balances
    left join transformers
        on balances.balance_level = 'transformer' and balances.equipment_id = transformers.transformer_id
),

transformer_technical as (
    select
        losses.*,
        case
            {% if var('losses_technical_method') == 'load' -%}
            when losses.load_factor is not null then
                case
                    when {{ var('losses_technical_base_share') }} + {{ var('losses_technical_load_coefficient') }}
                        * losses.load_factor > {{ var('losses_technical_max_share') }}
                        then {{ var('losses_technical_max_share') }}
                    else {{ var('losses_technical_base_share') }} + {{ var('losses_technical_load_coefficient') }}
                        * losses.load_factor
                end
            {% endif -%}
            when losses.balance_level = 'transformer' then {{ shares.get('lv', 0) }}
            when losses.balance_level = 'water_district' then {{ shares.get('water', 0) }}
            else {{ shares.get('mv', 0) }}
        end as technical_share_rate
    from losses
),

downstream_technical as (
    -- Feeders lose their medium-voltage share plus what their transformers lose over the same period;
    -- substations what their feeders lose.
    select
        transformers.feeder_id,
        technical.period_start,
        technical.period_end,
        sum(technical.delivered * technical.technical_share_rate) as technical_loss
    from transformer_technical as technical
    inner join transformers on technical.equipment_id = transformers.transformer_id
    where technical.balance_level = 'transformer'
    group by transformers.feeder_id, technical.period_start, technical.period_end
),

technical as (
    select
        technical.*,
        case
            when technical.balance_level = 'feeder'
                then technical.delivered * technical.technical_share_rate + coalesce(downstream.technical_loss, 0)
            else technical.delivered * technical.technical_share_rate
        end as technical_loss
    from transformer_technical as technical
    left join downstream_technical as downstream
        on technical.balance_level = 'feeder'
        and technical.equipment_id = downstream.feeder_id
        and technical.period_start = downstream.period_start
        and technical.period_end = downstream.period_end
),

with_substations as (
    select
        technical.balance_level,
        technical.equipment_id,
        technical.period_start,
        technical.period_end,
        case
            when technical.balance_level = 'substation' then coalesce(feeder_technical.technical_loss, 0)
            else technical.technical_loss
        end as technical_loss
    from technical
    left join (
        select
            feeders.substation_id,
            feeder_balances.period_start,
            feeder_balances.period_end,
            sum(feeder_balances.technical_loss) as technical_loss
        from technical as feeder_balances
        inner join feeders on feeder_balances.equipment_id = feeders.feeder_id
        where feeder_balances.balance_level = 'feeder'
        group by feeders.substation_id, feeder_balances.period_start, feeder_balances.period_end
    ) as feeder_technical
        on technical.balance_level = 'substation'
        and technical.equipment_id = feeder_technical.substation_id
        and technical.period_start = feeder_technical.period_start
        and technical.period_end = feeder_technical.period_end
),

priced as (
    select
        technical.balance_level,
        technical.equipment_id,
        technical.period_start,
        technical.period_end,
        sum(place_prices.billed_minor) as place_billed_minor,
        sum(place_prices.billed_consumption) as place_billed_consumption
    from technical
    inner join place_prices
        on technical.balance_level = place_prices.balance_level
        and technical.equipment_id = place_prices.equipment_id
        and place_prices.billing_month >= {{ month_start('technical.period_start') }}
        and place_prices.billing_month < technical.period_end
    group by technical.balance_level, technical.equipment_id, technical.period_start, technical.period_end
),

utility_priced as (
    select
        periods.commodity,
        periods.period_start,
        periods.period_end,
        sum(utility_prices.billed_minor) as billed_minor,
        sum(utility_prices.billed_consumption) as billed_consumption
    from (select distinct commodity, period_start, period_end from technical) as periods
    inner join utility_prices
        on periods.commodity = utility_prices.commodity
        and utility_prices.billing_month >= {{ month_start('periods.period_start') }}
        and utility_prices.billing_month < periods.period_end
    group by periods.commodity, periods.period_start, periods.period_end
),

overall_prices as (
    select
        commodity,
        sum(billed_minor) / nullif(sum(billed_consumption), 0) as average_price
    from utility_prices
    group by commodity
)

select
    technical.balance_level,
    technical.equipment_id,
    technical.commodity,
    technical.period_start,
    technical.period_end,
    technical.period_days,
    technical.meters,
    cast(technical.delivered as decimal(18, 3)) as delivered,
    cast(technical.metered_consumption as decimal(18, 3)) as metered_consumption,
    cast(technical.estimated_consumption as decimal(18, 3)) as estimated_consumption,
    cast(technical.prepaid_energy as decimal(18, 3)) as prepaid_energy,
    cast(technical.unmetered_estimate as decimal(18, 3)) as unmetered_estimate,
    cast(technical.consumed as decimal(18, 3)) as consumed,
    cast(technical.loss as decimal(18, 3)) as loss,
    technical.rating_kva,
    cast(technical.load_factor as decimal(12, 4)) as load_factor,
    cast(with_substations.technical_loss as decimal(18, 3)) as technical_loss,
    cast(technical.loss - with_substations.technical_loss as decimal(18, 3)) as non_technical_loss,
    -- Average billed price (minor units per kWh or m3): the place's issued invoices of the period's months,
    -- else the utility's over the same months, else the utility's over all months.
    cast(case
        when priced.place_billed_consumption > 0 then priced.place_billed_minor / priced.place_billed_consumption
        when utility_priced.billed_consumption > 0 then utility_priced.billed_minor / utility_priced.billed_consumption
        else overall_prices.average_price
    end as decimal(18, 4)) as average_price,
    case
        when priced.place_billed_consumption > 0 then 'place'
        when utility_priced.billed_consumption > 0 then 'utility_period'
        when overall_prices.average_price is not null then 'utility'
    end as price_source,
    technical.covered_contract_days,
    technical.estimated_contract_days,
    technical.expected_contract_days,
    technical.active_contracts,
    technical.prepaid_contracts,
    {{ as_flag('technical.missing_reading = 1') }} as has_missing_reading,
    {{ as_flag('technical.unmeasured = 1') }} as has_unmeasured_delivery
from technical
inner join with_substations
    on technical.balance_level = with_substations.balance_level
    and technical.equipment_id = with_substations.equipment_id
    and technical.period_start = with_substations.period_start
    and technical.period_end = with_substations.period_end
left join priced
    on technical.balance_level = priced.balance_level
    and technical.equipment_id = priced.equipment_id
    and technical.period_start = priced.period_start
    and technical.period_end = priced.period_end
left join utility_priced
    on technical.commodity = utility_priced.commodity
    and technical.period_start = utility_priced.period_start
    and technical.period_end = utility_priced.period_end
left join overall_prices on technical.commodity = overall_prices.commodity
