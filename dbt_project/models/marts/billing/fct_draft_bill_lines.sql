-- The lines of every draft bill of the open batches (the simulation): each block reached, each fixed and
-- demand charge, each tax, per tariff version in force over the period.
with periods as (
    select
        bill_key,
        grid_code,
        consumption_milli,
        period_start,
        period_end,
        cycle_months,
        meter_type,
        subscribed_power
    from {{ ref('int_bill_grids_resolved') }}
    where grid_code is not null
),

{{ pricing_ctes(
    'periods',
    ref('int_tariff_versions_prepared'),
    ref('int_tariff_blocks_bounded'),
    ref('int_tariff_charges_prepared'),
    ref('int_tariff_taxes_prepared')
) }},

charge_labels as (
    select distinct version_id, code, label_fr, label_en
    from {{ ref('int_tariff_charges_prepared') }}
),

numbered as (
    -- Numbered before the labels are joined: the numbering sorts the lines with their columns, fewer is faster.
    select
        priced_lines.*,
        cast(row_number() over (
            partition by priced_lines.bill_key
            order by priced_lines.part_start, priced_lines.line_order
        ) as integer) as line_number
    from priced_lines
)

select
    priced_lines.bill_key,
    {{ bill_key_batch('priced_lines.bill_key') }} as batch_id,
    {{ bill_key_contract('priced_lines.bill_key') }} as contract_id,
    priced_lines.line_number,
    priced_lines.line_kind,
    priced_lines.line_code,
    case
        when priced_lines.line_kind = 'energy'
            then {{ dbt.concat([
                "case when priced_lines.line_code like 'N%' then 'Niveau ' else 'Tranche ' end",
                "cast(priced_lines.line_order as varchar(20))"]) }}
        else coalesce(charge_labels.label_fr, taxes.label_fr)
    end as label_fr,
    case
        when priced_lines.line_kind = 'energy'
            then {{ dbt.concat([
                "case when priced_lines.line_code like 'N%' then 'Level ' else 'Block ' end",
                "cast(priced_lines.line_order as varchar(20))"]) }}
        else coalesce(charge_labels.label_en, taxes.label_en)
    end as label_en,
    cast(priced_lines.quantity as decimal(18, 3)) as quantity,
    priced_lines.unit_price,
    priced_lines.base_amount,
    priced_lines.amount_minor,
    priced_lines.part_start,
    priced_lines.part_end,
    priced_lines.version_from,
    priced_lines.lower_milli,
    priced_lines.upper_milli
from numbered as priced_lines
left join charge_labels
    on priced_lines.version_id = charge_labels.version_id
    and priced_lines.line_code = charge_labels.code
    and priced_lines.line_kind in ('fixed', 'demand')
left join {{ ref('int_tariff_taxes_prepared') }} as taxes
    on priced_lines.version_id = taxes.version_id
    and priced_lines.line_code = taxes.code
    and priced_lines.line_kind = 'tax'
