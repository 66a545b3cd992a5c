{#-
    Collection and loss indicators per agency (electricity and water) and per feeder (electricity), per month:
      billing efficiency  = energy billed / energy delivered
      collection rate     = amount collected / amount billed
      AT&C loss           = 1 - billing efficiency x collection rate (aggregate technical and commercial loss)
      days sales outstanding = receivables at the month's end / amount billed in the month x days in the month
    Energy delivered comes from the feeder meters (water: the district meters), energy and amounts billed from
    the invoices of the month billed (billing_month, credit notes deducted), amounts collected from the posted
    payments received in the month; receivables are what was billed minus what was collected since the start of
    the history. Payments that name no contract are counted for the agency that received them only. Monthly
    figures swing with bimonthly rounds; the rolling_ ones sum the last var('kpi_rolling_months') months.
-#}
with balances as (
    select * from {{ ref('fct_energy_balance') }}
    where balance_level in ('feeder', 'water_district')
),

located as (
    select * from {{ ref('int_contracts_located') }}
),

delivered as (
    select
        'feeder' as kpi_level,
        equipment_id as kpi_key,
        commodity,
        period_month as month,
        sum(delivered) as energy_delivered
    from balances
    where balance_level = 'feeder'
    group by equipment_id, commodity, period_month
    union all
    select
        'agency',
        agency_id,
        commodity,
        period_month,
        sum(delivered)
    from balances
    group by agency_id, commodity, period_month
),

invoices as (
    select
        located.agency_id,
        located.feeder_id,
        located.commodity,
        invoices.billing_month as month,
        case when invoices.invoice_kind = 'credit_note' then -1 else 1 end
            * cast(coalesce(invoices.consumption, 0) as {{ type_double() }}) as energy,
        case when invoices.invoice_kind = 'credit_note' then -1 else 1 end * invoices.total_minor as amount_minor
    from {{ ref('stg_operational__invoices') }} as invoices
    inner join located on invoices.contract_id = located.contract_id
    where invoices.invoice_kind in ('invoice', 'final', 'credit_note')
),

billed as (
    select 'feeder' as kpi_level, feeder_id as kpi_key, commodity, month,
        sum(energy) as energy_billed, sum(amount_minor) as billed_minor
    from invoices
    where feeder_id is not null and commodity = 'electricity'
    group by feeder_id, commodity, month
    union all
    select 'agency', agency_id, commodity, month, sum(energy), sum(amount_minor)
    from invoices
    group by agency_id, commodity, month
),

payments as (
    select
        coalesce(located.agency_id, payments.agency_id) as agency_id,
        located.feeder_id,
        coalesce(located.commodity, 'electricity') as commodity,
        payments.payment_month as month,
        payments.amount_minor
    from {{ ref('fct_payments') }} as payments
    left join located on payments.contract_id = located.contract_id
    where payments.payment_status = 'posted'
),

collected as (
    select 'feeder' as kpi_level, feeder_id as kpi_key, commodity, month, sum(amount_minor) as collected_minor
    from payments
    where feeder_id is not null and commodity = 'electricity'
    group by feeder_id, commodity, month
    union all
    select 'agency', agency_id, commodity, month, sum(amount_minor)
    from payments
    where agency_id is not null
    group by agency_id, commodity, month
),

parts as (
    select kpi_level, kpi_key, commodity, month, energy_delivered,
        0 as energy_billed, 0 as billed_minor, 0 as collected_minor
    from delivered
    union all
    select kpi_level, kpi_key, commodity, month, 0, energy_billed, billed_minor, 0
    from billed
    union all
    select kpi_level, kpi_key, commodity, month, 0, 0, 0, collected_minor
    from collected
),

monthly as (
    select
        kpi_level,
        kpi_key,
        commodity,
        month,
        sum(energy_delivered) as energy_delivered,
        sum(energy_billed) as energy_billed,
        sum(billed_minor) as billed_minor,
        sum(collected_minor) as collected_minor
    from parts
    where kpi_key is not null
    group by kpi_level, kpi_key, commodity, month
),

cumulated as (
    select
        monthly.*,
        sum(billed_minor - collected_minor) over (
            partition by kpi_level, kpi_key, commodity order by month rows between unbounded preceding and current row
        ) as receivables_minor,
        {%- for measure in ['energy_delivered', 'energy_billed', 'billed_minor', 'collected_minor'] %}
        sum({{ measure }}) over (
            partition by kpi_level, kpi_key, commodity order by month
            rows between {{ var('kpi_rolling_months') - 1 }} preceding and current row
        ) as rolling_{{ measure }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from monthly
),

ratios as (
    select
        cumulated.*,
        {{ share_of('energy_billed', 'energy_delivered') }} as billing_efficiency,
        {{ share_of('collected_minor', 'billed_minor') }} as collection_rate,
        {{ share_of('rolling_energy_billed', 'rolling_energy_delivered') }} as rolling_billing_efficiency,
        {{ share_of('rolling_collected_minor', 'rolling_billed_minor') }} as rolling_collection_rate
    from cumulated
),

feeders as (
    select
        equipment_id as feeder_id,
        max(agency_id) as agency_id,
        max(equipment_code) as feeder_code,
        max(latitude) as latitude,
        max(longitude) as longitude
    from balances
    where balance_level = 'feeder'
    group by equipment_id
),

agency_centres as (
    -- Where an agency is on a map: the centre of its transformers (water districts for water).
    select
        agency_id,
        commodity,
        avg(latitude) as latitude,
        avg(longitude) as longitude
    from {{ ref('fct_energy_balance') }}
    where balance_level in ('transformer', 'water_district')
    group by agency_id, commodity
)

select
    ratios.kpi_level,
    ratios.kpi_key,
    case when ratios.kpi_level = 'agency' then ratios.kpi_key else feeders.agency_id end as agency_id,
    case when ratios.kpi_level = 'feeder' then ratios.kpi_key end as feeder_id,
    feeders.feeder_code,
    ratios.commodity,
    ratios.month,
    cast(ratios.energy_delivered as decimal(18, 3)) as energy_delivered,
    cast(ratios.energy_billed as decimal(18, 3)) as energy_billed,
    cast(ratios.billed_minor as {{ dbt.type_bigint() }}) as billed_minor,
    cast(ratios.collected_minor as {{ dbt.type_bigint() }}) as collected_minor,
    cast(ratios.receivables_minor as {{ dbt.type_bigint() }}) as receivables_minor,
    cast(ratios.billing_efficiency as decimal(12, 4)) as billing_efficiency,
    cast(ratios.collection_rate as decimal(12, 4)) as collection_rate,
    cast(1 - ratios.billing_efficiency * ratios.collection_rate as decimal(12, 4)) as atc_loss,
    -- The same over the last var('kpi_rolling_months') months: monthly figures swing with bimonthly rounds.
    cast(ratios.rolling_billing_efficiency as decimal(12, 4)) as rolling_billing_efficiency,
    cast(ratios.rolling_collection_rate as decimal(12, 4)) as rolling_collection_rate,
    cast(1 - ratios.rolling_billing_efficiency * ratios.rolling_collection_rate as decimal(12, 4)) as rolling_atc_loss,
    cast({{ share_of('ratios.receivables_minor', 'ratios.billed_minor') }}
        * {{ days_between('ratios.month', dbt.dateadd('month', 1, 'ratios.month')) }} as decimal(12, 1))
        as days_sales_outstanding,
    coalesce(feeders.latitude, centres.latitude) as latitude,
    coalesce(feeders.longitude, centres.longitude) as longitude
from ratios
left join feeders on ratios.kpi_level = 'feeder' and ratios.kpi_key = feeders.feeder_id
left join agency_centres as centres
    on ratios.kpi_level = 'agency'
    and ratios.kpi_key = centres.agency_id
    and ratios.commodity = centres.commodity
