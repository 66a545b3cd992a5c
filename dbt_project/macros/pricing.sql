{#-
    Pricing of billing periods under tariff grids: the SQL twin of yeelen/tariffs/engine.py.
    Both use the same exact arithmetic (quantities in thousandths, integer divisions rounded half up, each line
    rounded once by its own rule), and a differential test holds them to the franc.
-#}

{% macro div_half_up(numerator, denominator) -%}
    {{ return(adapter.dispatch('div_half_up', 'yeelen')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__div_half_up(numerator, denominator) -%}
    ((2 * cast({{ numerator }} as bigint) + cast({{ denominator }} as bigint))
        / (2 * cast({{ denominator }} as bigint)))
{%- endmacro %}

{% macro duckdb__div_half_up(numerator, denominator) -%}
    ((2 * cast({{ numerator }} as bigint) + cast({{ denominator }} as bigint))
        // (2 * cast({{ denominator }} as bigint)))
{%- endmacro %}

{% macro milli_to_quantity(milli) -%}
    (cast({{ milli }} as decimal(38, 0)) * 0.001)
{%- endmacro %}

{% macro minor_units_factor() -%}
    {%- set precision = var('currency_precision') | int -%}
    {{ '1' if precision == 0 else '1' ~ ('0' * precision) }}
{%- endmacro %}

{% macro major_units_factor() -%}
    {%- set precision = var('currency_precision') | int -%}
    {{ '1' if precision == 0 else '0.' ~ ('0' * (precision - 1)) ~ '1' }}
{%- endmacro %}

{% macro round_to_minor(exact, rule) -%}
    {#- An exact non-negative amount rounded to the currency's precision, returned in minor units. -#}
    cast(case {{ rule }}
        when 'down' then floor({{ exact }} * {{ minor_units_factor() }})
        when 'up' then ceiling({{ exact }} * {{ minor_units_factor() }})
        else round({{ exact }} * {{ minor_units_factor() }}, 0)
    end as bigint)
{%- endmacro %}

{% macro least_of(a, b) -%}
    case when {{ a }} < {{ b }} then {{ a }} else {{ b }} end
{%- endmacro %}

{% macro greatest_of(a, b) -%}
    case when {{ a }} > {{ b }} then {{ a }} else {{ b }} end
{%- endmacro %}

{% macro tariff_period_parts(periods, versions) -%}
    {#-
        periods: bill_key, grid_code, consumption_milli, period_start, period_end, cycle_months, meter_type,
                 subscribed_power
        versions: version_id, grid_code, valid_from, valid_to, pricing, energy_rounding, scaling, days_per_month
        One row per bill and tariff version in force, with the consumption and the months that part bills.
    -#}
    select
        parts.*,
        {{ div_half_up('parts.consumption_milli * parts.days_through', 'parts.total_days') }}
            - {{ div_half_up('parts.consumption_milli * parts.days_before', 'parts.total_days') }} as quantity_milli,
        case
            when parts.scaling = 'days' then
                {{ div_half_up('1000 * parts.days_through', 'parts.days_per_month') }}
                - {{ div_half_up('1000 * parts.days_before', 'parts.days_per_month') }}
            else
                {{ div_half_up('parts.cycle_months * 1000 * parts.days_through', 'parts.total_days') }}
                - {{ div_half_up('parts.cycle_months * 1000 * parts.days_before', 'parts.total_days') }}
        end as months_milli
    from (
        select
            bounded.*,
            {#- A period that opens and closes on the same day (two readings that day) is one day long. -#}
            case
                when bounded.period_end = bounded.period_start then 1
                else {{ days_between('bounded.period_start', 'bounded.period_end') }}
            end as total_days,
            {{ days_between('bounded.period_start', 'bounded.part_start') }} as days_before,
            case
                when bounded.period_end = bounded.period_start then 1
                else {{ days_between('bounded.period_start', 'bounded.part_end') }}
            end as days_through
        from (
            select
                periods.bill_key,
                periods.grid_code,
                periods.consumption_milli,
                periods.period_start,
                periods.period_end,
                periods.cycle_months,
                periods.meter_type,
                periods.subscribed_power,
                versions.version_id,
                versions.valid_from as version_from,
                versions.pricing,
                versions.energy_rounding,
                versions.scaling,
                versions.days_per_month,
                {{ greatest_of('versions.valid_from', 'periods.period_start') }} as part_start,
                case
                    when versions.valid_to is null or versions.valid_to > periods.period_end then periods.period_end
                    else versions.valid_to
                end as part_end
            from {{ periods }} as periods
            inner join {{ versions }} as versions
                on periods.grid_code = versions.grid_code
                and versions.valid_from < periods.period_end
                and (versions.valid_to is null or versions.valid_to > periods.period_start)
        ) as bounded
    ) as parts
{%- endmacro %}

{% macro pricing_ctes(periods, versions, blocks, charges, taxes) -%}
    {#-
        blocks: version_id, block_number, from_milli, up_to_milli (null: open), price
        charges: version_id, kind (fixed|demand), code, label_fr, label_en, charged_by
                 (meter_type|power|flat|per_power_unit), meter_type, power_from, power_up_to, amount, rounding,
                 position
        taxes: version_id, code, label_fr, label_en, base, rate, threshold_milli, rounding, position
        Emits CTEs (so that callers on every engine can add their own before and after) ending with
        ``priced_lines``: one row per bill line: bill_key, version_id, version_from, part_start, part_end,
        line_kind, line_code, line_order, quantity, unit_price, base_amount, amount_minor, lower_milli and
        upper_milli (the block's bounds, for energy lines).
    -#}
    pricing_parts as (
        {{ tariff_period_parts(periods, versions) }}
    ),

    pricing_block_rows as (
        select
            parts.bill_key,
            parts.version_id,
            parts.version_from,
            parts.part_start,
            parts.part_end,
            parts.pricing,
            parts.energy_rounding,
            parts.quantity_milli,
            parts.months_milli,
            blocks.block_number,
            blocks.price,
            {{ div_half_up('blocks.from_milli * parts.months_milli', 1000) }} as lower_milli,
            case
                when blocks.up_to_milli is not null
                    then {{ div_half_up('blocks.up_to_milli * parts.months_milli', 1000) }}
            end as upper_milli
        from pricing_parts as parts
        inner join {{ blocks }} as blocks on parts.version_id = blocks.version_id
    ),

    pricing_block_quantities as (
        select
            block_rows.*,
            case
                when block_rows.pricing = 'by_level' then
                    case
                        when block_rows.quantity_milli > block_rows.lower_milli
                            and (block_rows.upper_milli is null or block_rows.quantity_milli <= block_rows.upper_milli)
                            then block_rows.quantity_milli
                        else 0
                    end
                when block_rows.upper_milli is null or block_rows.quantity_milli < block_rows.upper_milli
                    then {{ greatest_of('block_rows.quantity_milli - block_rows.lower_milli', 0) }}
                else block_rows.upper_milli - block_rows.lower_milli
            end as billed_milli
        from pricing_block_rows as block_rows
    ),

    pricing_energy_lines as (
        select
            bill_key,
            version_id,
            version_from,
            part_start,
            part_end,
            'energy' as line_kind,
            {{ dbt.concat(["case when pricing = 'by_level' then 'N' else 'T' end",
                           "cast(block_number as varchar(20))"]) }} as line_code,
            block_number as line_order,
            {{ milli_to_quantity('billed_milli') }} as quantity,
            price as unit_price,
            cast(null as decimal(38, 7)) as base_amount,
            {{ round_to_minor(milli_to_quantity('billed_milli') ~ ' * price', 'energy_rounding') }} as amount_minor,
            lower_milli,
            upper_milli,
            pricing
        from pricing_block_quantities as block_quantities
        where billed_milli > 0
    ),

    pricing_charge_lines as (
        select
            parts.bill_key,
            parts.version_id,
            parts.version_from,
            parts.part_start,
            parts.part_end,
            charges.kind as line_kind,
            charges.code as line_code,
            100 + charges.position as line_order,
            case
                when charges.kind = 'demand'
                    then cast(parts.subscribed_power * {{ milli_to_quantity('parts.months_milli') }} as decimal(38, 3))
                else {{ milli_to_quantity('parts.months_milli') }}
            end as quantity,
            charges.amount as unit_price,
            cast(null as decimal(38, 7)) as base_amount,
            case
                when charges.kind = 'demand' then {{ round_to_minor(
                    'parts.subscribed_power * charges.amount * ' ~ milli_to_quantity('parts.months_milli'),
                    'charges.rounding') }}
                else {{ round_to_minor('charges.amount * ' ~ milli_to_quantity('parts.months_milli'), 'charges.rounding') }}
            end as amount_minor
        from pricing_parts as parts
        inner join {{ charges }} as charges
            on parts.version_id = charges.version_id
            and (
                charges.charged_by in ('flat', 'per_power_unit')
                or (charges.charged_by = 'meter_type' and charges.meter_type = parts.meter_type)
                or (
                    charges.charged_by = 'power'
                    and (charges.power_from is null or parts.subscribed_power > charges.power_from)
                    and (charges.power_up_to is null or parts.subscribed_power <= charges.power_up_to)
                )
            )
        where charges.kind = 'fixed' or parts.subscribed_power is not null
    ),

    pricing_part_totals as (
        select
            parts.bill_key,
            parts.version_id,
            parts.part_start,
            coalesce(energy.amount_minor, 0) as energy_minor,
            coalesce(energy.amount_minor, 0) + coalesce(fees.amount_minor, 0) as all_lines_minor
        from pricing_parts as parts
        left join (
            select bill_key, version_id, part_start, sum(amount_minor) as amount_minor
            from pricing_energy_lines group by bill_key, version_id, part_start
        ) as energy
            on parts.bill_key = energy.bill_key
            and parts.version_id = energy.version_id
            and parts.part_start = energy.part_start
        left join (
            select bill_key, version_id, part_start, sum(amount_minor) as amount_minor
            from pricing_charge_lines group by bill_key, version_id, part_start
        ) as fees
            on parts.bill_key = fees.bill_key
            and parts.version_id = fees.version_id
            and parts.part_start = fees.part_start
    ),

    pricing_above_threshold as (
        -- Exact energy amount of the units above each threshold tax's (scaled) threshold.
        select
            block_overlaps.bill_key,
            block_overlaps.version_id,
            block_overlaps.part_start,
            block_overlaps.code,
            sum({{ milli_to_quantity(greatest_of('block_overlaps.top_milli - block_overlaps.floor_milli', 0)) }} * block_overlaps.price)
                as above_amount
        from (
            select
                block_quantities.bill_key,
                block_quantities.version_id,
                block_quantities.part_start,
                block_quantities.price,
                taxes.code,
                case
                    when block_quantities.pricing = 'by_level' then block_quantities.billed_milli
                    when block_quantities.upper_milli is null
                        or block_quantities.quantity_milli < block_quantities.upper_milli
                        then block_quantities.quantity_milli
                    else block_quantities.upper_milli
                end as top_milli,
                case
                    when block_quantities.pricing = 'by_level'
                        then {{ div_half_up('taxes.threshold_milli * block_quantities.months_milli', 1000) }}
                    else {{ greatest_of(
                        'block_quantities.lower_milli',
                        div_half_up('taxes.threshold_milli * block_quantities.months_milli', 1000)) }}
                end as floor_milli
            from pricing_block_quantities as block_quantities
            inner join {{ taxes }} as taxes
                on block_quantities.version_id = taxes.version_id
                and taxes.base = 'consumption_above'
        ) as block_overlaps
        group by block_overlaps.bill_key, block_overlaps.version_id, block_overlaps.part_start, block_overlaps.code
    ),

    pricing_tax_bases as (
        select
            parts.bill_key,
            parts.version_id,
            parts.version_from,
            parts.part_start,
            parts.part_end,
            taxes.code,
            taxes.rate,
            taxes.rounding,
            taxes.position,
            -- Every branch at the same exact scale, so no engine narrows the base when unifying them.
            cast(case taxes.base
                when 'energy_amount'
                    then cast(cast(part_totals.energy_minor as decimal(31, 0)) * {{ major_units_factor() }} as decimal(38, 7))
                when 'all_lines'
                    then cast(cast(part_totals.all_lines_minor as decimal(31, 0)) * {{ major_units_factor() }} as decimal(38, 7))
                when 'consumption_above' then cast(coalesce(above_threshold.above_amount, 0) as decimal(38, 7))
                else cast({{ milli_to_quantity(greatest_of(
                    'parts.quantity_milli - ' ~ div_half_up('coalesce(taxes.threshold_milli, 0) * parts.months_milli', 1000),
                    0)) }} as decimal(38, 7))
            end as decimal(38, 7)) as base_amount
        from pricing_parts as parts
        inner join {{ taxes }} as taxes on parts.version_id = taxes.version_id
        inner join pricing_part_totals as part_totals
            on parts.bill_key = part_totals.bill_key
            and parts.version_id = part_totals.version_id
            and parts.part_start = part_totals.part_start
        left join pricing_above_threshold as above_threshold
            on parts.bill_key = above_threshold.bill_key
            and parts.version_id = above_threshold.version_id
            and parts.part_start = above_threshold.part_start
            and taxes.code = above_threshold.code
    ),

    pricing_tax_lines as (
        select
            bill_key,
            version_id,
            version_from,
            part_start,
            part_end,
            'tax' as line_kind,
            code as line_code,
            200 + position as line_order,
            cast(null as decimal(38, 3)) as quantity,
            rate as unit_price,
            base_amount,
            {{ round_to_minor('base_amount * rate', 'rounding') }} as amount_minor
        from pricing_tax_bases as tax_bases
        where base_amount > 0
    ),

    priced_lines as (
        select bill_key, version_id, version_from, part_start, part_end, line_kind, line_code, line_order,
            quantity, unit_price, base_amount, amount_minor, lower_milli, upper_milli
        from pricing_energy_lines
        union all
        select bill_key, version_id, version_from, part_start, part_end, line_kind, line_code, line_order,
            quantity, unit_price, base_amount, amount_minor,
            cast(null as bigint) as lower_milli, cast(null as bigint) as upper_milli
        from pricing_charge_lines
        union all
        select bill_key, version_id, version_from, part_start, part_end, line_kind, line_code, line_order,
            quantity, unit_price, base_amount, amount_minor,
            cast(null as bigint) as lower_milli, cast(null as bigint) as upper_milli
        from pricing_tax_lines
    )
{%- endmacro %}

{% macro reprice_periods(periods_relation, target_relation) -%}
    {#-
        Tariff simulation: price any set of periods under the stored grids, into a new table. The periods table
        has the columns the pricing takes (bill_key, grid_code, consumption_milli, period_start, period_end,
        cycle_months, meter_type, subscribed_power). Used to compare the mass billing with the real-time
        engine, and to see what a set of bills would cost under a new grid before it comes into force.
        dbt run-operation reprice_periods --args '{periods_relation: main.cases, target_relation: main.priced}'
    -#}
    {% set sql %}
        create table {{ target_relation }} as
        with periods as (
            select * from {{ periods_relation }}
        ),

        {{ pricing_ctes(
            'periods',
            ref('int_tariff_versions_prepared'),
            ref('int_tariff_blocks_bounded'),
            ref('int_tariff_charges_prepared'),
            ref('int_tariff_taxes_prepared')
        ) }}

        select * from priced_lines
    {% endset %}
    {% do run_query(sql) %}
    {{ log("priced " ~ periods_relation ~ " into " ~ target_relation, info=true) }}
{%- endmacro %}

{% macro floor_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('floor_div', 'yeelen')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__floor_div(numerator, denominator) -%}
    {#- Exact integer part of a non-negative decimal quotient (numeric division is exact on PostgreSQL). -#}
    cast(div(cast({{ numerator }} as numeric), cast({{ denominator }} as numeric)) as bigint)
{%- endmacro %}

{% macro duckdb__floor_div(numerator, denominator) -%}
    {#- DuckDB divides decimals in floating point: scale both to integers and divide those. -#}
    cast(
        cast(({{ numerator }}) * 100000000000000 as hugeint) // cast(({{ denominator }}) * 100000000000000 as hugeint)
        as bigint
    )
{%- endmacro %}

{% macro sqlserver__floor_div(numerator, denominator) -%}
    cast(floor(cast({{ numerator }} as decimal(38, 14)) / cast({{ denominator }} as decimal(38, 14))) as bigint)
{%- endmacro %}
