-- The blocks of each tariff version cut at every tax threshold, each segment with its price per unit taxes
-- included: what a prepaid purchase buys, segment after segment (see yeelen/tariffs/vending.py).
with blocks as (
    select * from {{ ref('int_tariff_blocks_bounded') }}
),

taxes as (
    select * from {{ ref('int_tariff_taxes_prepared') }}
),

cuts as (
    select blocks.version_id, blocks.block_number, blocks.from_milli as low_milli
    from blocks

    union

    select blocks.version_id, blocks.block_number, taxes.threshold_milli as low_milli
    from blocks
    inner join taxes
        on blocks.version_id = taxes.version_id
        and taxes.threshold_milli > blocks.from_milli
        and (blocks.up_to_milli is null or taxes.threshold_milli < blocks.up_to_milli)
),

segments as (
    select
        cuts.version_id,
        cuts.block_number,
        cuts.low_milli,
        coalesce(
            lead(cuts.low_milli) over (partition by cuts.version_id order by cuts.low_milli),
            blocks.up_to_milli
        ) as high_milli,
        blocks.price
    from cuts
    inner join blocks on cuts.version_id = blocks.version_id and cuts.block_number = blocks.block_number
)

select
    segments.version_id,
    segments.block_number,
    segments.low_milli,
    segments.high_milli,
    segments.price,
    -- One exact type on every engine: prices have four decimals and rates six, so ten decimals lose nothing.
    cast(segments.price * (1 + coalesce(sum(
        case
            when taxes.base in ('energy_amount', 'all_lines') then taxes.rate
            when taxes.base = 'consumption_above' and segments.low_milli >= taxes.threshold_milli then taxes.rate
            else 0
        end
    ), 0)) + coalesce(sum(
        case
            when taxes.base = 'per_unit' and segments.low_milli >= coalesce(taxes.threshold_milli, 0) then taxes.rate
            else 0
        end
    ), 0) as decimal(28, 10)) as unit_cost
from segments
left join taxes on segments.version_id = taxes.version_id
group by segments.version_id, segments.block_number, segments.low_milli, segments.high_milli, segments.price
