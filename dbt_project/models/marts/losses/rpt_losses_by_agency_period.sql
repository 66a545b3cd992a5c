-- Losses per agency, commodity and period (month the delivery period starts in): the transformer balances for
-- electricity, the district balances for water, summed over the trusted ones only; the others are counted so
-- that a manager sees how much of the network the figures cover.
with balances as (
    select * from {{ ref('fct_energy_balance') }}
    where balance_level in ('transformer', 'water_district')
)

select
    agency_id,
    agency_code,
    agency_name,
    commodity,
    unit,
    period_month,
    cast(count(*) as {{ dbt.type_bigint() }}) as balances,
    cast(sum(case when {{ is_true('is_trusted') }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as trusted_balances,
    cast(sum(case when {{ is_true('is_mapping_suspect') }} then 1 else 0 end) as {{ dbt.type_bigint() }})
        as mapping_suspects,
    cast(sum(case when {{ is_true('is_trusted') }} then delivered else 0 end) as decimal(18, 3)) as delivered,
    cast(sum(case when {{ is_true('is_trusted') }} then consumed else 0 end) as decimal(18, 3)) as consumed,
    cast(sum(case when {{ is_true('is_trusted') }} then loss else 0 end) as decimal(18, 3)) as loss,
    cast(sum(case when {{ is_true('is_trusted') }} then technical_loss else 0 end) as decimal(18, 3)) as technical_loss,
    cast(sum(case when {{ is_true('is_trusted') }} then non_technical_loss else 0 end) as decimal(18, 3))
        as non_technical_loss,
    cast({{ share_of('sum(case when ' ~ is_true('is_trusted') ~ ' then loss else 0 end)',
                     'sum(case when ' ~ is_true('is_trusted') ~ ' then delivered else 0 end)') }} as decimal(12, 4))
        as loss_share,
    cast({{ share_of('sum(case when ' ~ is_true('is_trusted') ~ ' then non_technical_loss else 0 end)',
                     'sum(case when ' ~ is_true('is_trusted') ~ ' then delivered else 0 end)') }} as decimal(12, 4))
        as non_technical_share,
    cast(sum(case when {{ is_true('is_trusted') }} then loss_value_minor else 0 end) as {{ dbt.type_bigint() }})
        as loss_value_minor,
    cast(sum(case when {{ is_true('is_trusted') }} then non_technical_value_minor else 0 end) as {{ dbt.type_bigint() }})
        as non_technical_value_minor,
    cast(sum(case when {{ is_true('is_trusted') }} then 0 else delivered end) as decimal(18, 3)) as untrusted_delivered,
    -- Where the agency is on a map: the centre of its transformers (water districts).
    avg(latitude) as latitude,
    avg(longitude) as longitude
from balances
group by agency_id, agency_code, agency_name, commodity, unit, period_month
