-- What each prepaid purchase should have bought under the tariff in force on its day: the blocks counted over
-- the calendar month from the energy bought earlier that month, the month's fixed charges taken from its
-- first purchase. The SQL twin of yeelen.tariffs.vending.vend (same segments, steps of 0.1 kWh, line rounding).
with purchases as (
    select
        purchases.*,
        purchases.energy as vended_energy,
        row_number() over (
            partition by purchases.contract_id, {{ month_start('purchases.purchase_date') }}
            order by purchases.purchased_at, purchases.prepaid_purchase_id
        ) as rank_in_month,
        coalesce(sum(purchases.energy) over (
            partition by purchases.contract_id, {{ month_start('purchases.purchase_date') }}
            order by purchases.purchased_at, purchases.prepaid_purchase_id
            rows between unbounded preceding and 1 preceding
        ), 0) as earlier_energy
    from {{ ref('stg_operational__prepaid_purchases') }} as purchases
),

meters as (
    select
        purchases.prepaid_purchase_id,
        meters.meter_type,
        row_number() over (
            partition by purchases.prepaid_purchase_id
            order by installations.installed_on desc, installations.meter_installation_id desc
        ) as recency
    from purchases
    inner join {{ ref('stg_operational__meter_installations') }} as installations
        on purchases.contract_id = installations.contract_id
        and installations.installed_on <= purchases.purchase_date
    inner join {{ ref('stg_operational__meters') }} as meters on installations.meter_id = meters.meter_id
),

scoped as (
    select
        purchases.prepaid_purchase_id,
        purchases.contract_id,
        purchases.purchase_date,
        purchases.amount_minor,
        purchases.vended_energy,
        purchases.grid_code,
        case when purchases.rank_in_month = 1 then 1 else 0 end as is_first,
        cast(purchases.earlier_energy * 1000 as bigint) as start_milli,
        versions.version_id,
        versions.energy_rounding,
        contracts.subscribed_power,
        meters.meter_type
    from purchases
    inner join {{ ref('int_tariff_versions_prepared') }} as versions
        on purchases.grid_code = versions.grid_code
        and versions.valid_from <= purchases.purchase_date
        and (versions.valid_to is null or versions.valid_to > purchases.purchase_date)
    inner join {{ ref('stg_operational__contracts') }} as contracts on purchases.contract_id = contracts.contract_id
    left join meters on purchases.prepaid_purchase_id = meters.prepaid_purchase_id and meters.recency = 1
),

fee_lines as (
    -- The month's fixed and demand charges, on its first purchase only.
    select
        scoped.prepaid_purchase_id,
        case
            when charges.kind = 'demand'
                then {{ round_to_minor('scoped.subscribed_power * charges.amount', 'charges.rounding') }}
            else {{ round_to_minor('charges.amount', 'charges.rounding') }}
        end as amount_minor
    from scoped
    inner join {{ ref('int_tariff_charges_prepared') }} as charges
        on scoped.version_id = charges.version_id
        and (
            charges.charged_by in ('flat', 'per_power_unit')
            or (charges.charged_by = 'meter_type' and charges.meter_type = scoped.meter_type)
            or (
                charges.charged_by = 'power'
                and (charges.power_from is null or scoped.subscribed_power > charges.power_from)
                and (charges.power_up_to is null or scoped.subscribed_power <= charges.power_up_to)
            )
        )
    where scoped.is_first = 1
),

fees as (
    select
        scoped.prepaid_purchase_id,
        coalesce(sum(fee_lines.amount_minor), 0) as charges_minor
    from scoped
    left join fee_lines on scoped.prepaid_purchase_id = fee_lines.prepaid_purchase_id
    group by scoped.prepaid_purchase_id
),

fee_totals as (
    select
        fees.prepaid_purchase_id,
        fees.charges_minor + coalesce(sum(case
            when taxes.base = 'all_lines' and fees.charges_minor > 0
                then {{ round_to_minor('cast(fees.charges_minor as decimal(31, 0)) * ' ~ major_units_factor()
                                       ~ ' * taxes.rate', 'taxes.rounding') }}
            else 0
        end), 0) as fee_minor
    from fees
    inner join scoped on fees.prepaid_purchase_id = scoped.prepaid_purchase_id
    left join {{ ref('int_tariff_taxes_prepared') }} as taxes on scoped.version_id = taxes.version_id
    group by fees.prepaid_purchase_id, fees.charges_minor
),

money as (
    select
        scoped.*,
        fee_totals.fee_minor,
        cast(cast(scoped.amount_minor - fee_totals.fee_minor as decimal(31, 0)) * {{ major_units_factor() }}
            as decimal(38, 10)) as money_left
    from scoped
    inner join fee_totals on scoped.prepaid_purchase_id = fee_totals.prepaid_purchase_id
),

segment_costs as (
    select
        money.prepaid_purchase_id,
        money.money_left,
        money.start_milli,
        segments.low_milli,
        segments.high_milli,
        segments.unit_cost,
        {{ greatest_of('segments.low_milli', 'money.start_milli') }} as from_milli,
        cast(case
            when segments.high_milli is null then null
            else {{ milli_to_quantity('segments.high_milli - ' ~ greatest_of('segments.low_milli', 'money.start_milli'))
                }} * segments.unit_cost
        end as decimal(38, 13)) as full_cost
    from money
    inner join {{ ref('int_tariff_vending_segments') }} as segments
        on money.version_id = segments.version_id
        and (segments.high_milli is null or segments.high_milli > money.start_milli)
    where money.money_left >= 0
),

cumulated as (
    select
        segment_costs.*,
        coalesce(sum(full_cost) over (
            partition by prepaid_purchase_id order by low_milli rows between unbounded preceding and 1 preceding
        ), 0) as cost_before,
        sum(full_cost) over (
            partition by prepaid_purchase_id order by low_milli rows between unbounded preceding and current row
        ) as cost_through
    from segment_costs
),

stopping as (
    -- The segment where the money runs out: the first not bought whole (or the open last one).
    select
        cumulated.*,
        row_number() over (partition by prepaid_purchase_id order by low_milli) as stop_rank
    from cumulated
    where cumulated.high_milli is null or cumulated.cost_through > cumulated.money_left
),

bought as (
    select
        prepaid_purchase_id,
        start_milli,
        from_milli - start_milli
            + 100 * {{ floor_div('money_left - cost_before', '0.1 * unit_cost') }} as bought_milli
    from stopping
    where stop_rank = 1
),

candidates as (
    -- Line rounding can take a purchase a few francs over what was paid: one step of 0.1 kWh less is sold.
    select
        bought.prepaid_purchase_id,
        steps_back.steps,
        bought.start_milli,
        bought.bought_milli - 100 * steps_back.steps as energy_milli
    from bought
    cross join (select 0 as steps union all select 1 union all select 2 union all select 3) as steps_back
    where bought.bought_milli - 100 * steps_back.steps >= 0
),

energy_lines as (
    select
        candidates.prepaid_purchase_id,
        candidates.steps,
        blocks.price,
        blocks.from_milli,
        blocks.up_to_milli,
        candidates.start_milli,
        candidates.start_milli + candidates.energy_milli as end_milli,
        {{ round_to_minor(
            milli_to_quantity(
                least_of("case when blocks.up_to_milli is null then candidates.start_milli + candidates.energy_milli"
                         ~ " else blocks.up_to_milli end", "candidates.start_milli + candidates.energy_milli")
                ~ " - " ~ greatest_of('blocks.from_milli', 'candidates.start_milli')
            ) ~ ' * blocks.price',
            'money.energy_rounding') }} as amount_minor
    from candidates
    inner join money on candidates.prepaid_purchase_id = money.prepaid_purchase_id
    inner join {{ ref('int_tariff_blocks_bounded') }} as blocks
        on money.version_id = blocks.version_id
        and (blocks.up_to_milli is null or blocks.up_to_milli > candidates.start_milli)
        and blocks.from_milli < candidates.start_milli + candidates.energy_milli
),

energy_totals as (
    select
        candidates.prepaid_purchase_id,
        candidates.steps,
        candidates.start_milli,
        candidates.energy_milli,
        coalesce(sum(energy_lines.amount_minor), 0) as energy_minor
    from candidates
    left join energy_lines
        on candidates.prepaid_purchase_id = energy_lines.prepaid_purchase_id
        and candidates.steps = energy_lines.steps
    group by candidates.prepaid_purchase_id, candidates.steps, candidates.start_milli, candidates.energy_milli
),

above_threshold as (
    select
        lines.prepaid_purchase_id,
        lines.steps,
        taxes.code,
        sum({{ milli_to_quantity(greatest_of(
            least_of("case when lines.up_to_milli is null then lines.end_milli else lines.up_to_milli end",
                     "lines.end_milli")
            ~ " - " ~ greatest_of(greatest_of('lines.from_milli', 'lines.start_milli'), 'taxes.threshold_milli'),
            0)) }} * lines.price) as above_amount
    from energy_lines as lines
    inner join money on lines.prepaid_purchase_id = money.prepaid_purchase_id
    inner join {{ ref('int_tariff_taxes_prepared') }} as taxes
        on money.version_id = taxes.version_id
        and taxes.base = 'consumption_above'
    group by lines.prepaid_purchase_id, lines.steps, taxes.code
),

tax_bases as (
    select
        energy_totals.prepaid_purchase_id,
        energy_totals.steps,
        taxes.rate,
        taxes.rounding,
        -- Every branch at the same exact scale, so no engine narrows the base when unifying them.
        case taxes.base
            when 'per_unit' then cast({{ milli_to_quantity(greatest_of(
                'energy_totals.start_milli + energy_totals.energy_milli - '
                ~ greatest_of('energy_totals.start_milli', 'coalesce(taxes.threshold_milli, 0)'), 0)) }}
                as decimal(38, 7))
            when 'consumption_above' then cast(coalesce(above_threshold.above_amount, 0) as decimal(38, 7))
            else cast(cast(energy_totals.energy_minor as decimal(31, 0)) * {{ major_units_factor() }} as decimal(38, 7))
        end as base_amount
    from energy_totals
    inner join money on energy_totals.prepaid_purchase_id = money.prepaid_purchase_id
    inner join {{ ref('int_tariff_taxes_prepared') }} as taxes on money.version_id = taxes.version_id
    left join above_threshold
        on energy_totals.prepaid_purchase_id = above_threshold.prepaid_purchase_id
        and energy_totals.steps = above_threshold.steps
        and taxes.code = above_threshold.code
),

tax_lines as (
    select
        prepaid_purchase_id,
        steps,
        {{ round_to_minor('base_amount * rate', 'rounding') }} as amount_minor
    from tax_bases
    where base_amount > 0
),

priced as (
    select
        energy_totals.prepaid_purchase_id,
        energy_totals.steps,
        energy_totals.energy_milli,
        energy_totals.energy_minor + coalesce(sum(tax_lines.amount_minor), 0) as purchase_minor
    from energy_totals
    left join tax_lines
        on energy_totals.prepaid_purchase_id = tax_lines.prepaid_purchase_id
        and energy_totals.steps = tax_lines.steps
    group by energy_totals.prepaid_purchase_id, energy_totals.steps, energy_totals.energy_milli,
        energy_totals.energy_minor
),

chosen as (
    select
        priced.*,
        row_number() over (partition by priced.prepaid_purchase_id order by priced.steps) as choice
    from priced
    inner join money on priced.prepaid_purchase_id = money.prepaid_purchase_id
    where money.fee_minor + priced.purchase_minor <= money.amount_minor
)

select
    money.prepaid_purchase_id,
    money.contract_id,
    money.purchase_date,
    money.grid_code,
    money.amount_minor,
    money.fee_minor,
    {{ as_flag('money.is_first = 1') }} as is_first_of_month,
    {{ milli_to_quantity('money.start_milli') }} as month_energy_before,
    cast({{ milli_to_quantity('coalesce(chosen.energy_milli, 0)') }} as decimal(15, 3)) as expected_energy,
    money.vended_energy,
    case when money.money_left < 0 then null else money.fee_minor + chosen.purchase_minor end as charged_minor,
    {{ as_flag('money.money_left < 0') }} as fee_not_covered
from money
left join chosen on money.prepaid_purchase_id = chosen.prepaid_purchase_id and chosen.choice = 1
