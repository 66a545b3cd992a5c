{#-
    Billing and collection per month for the supervision screen, at two levels: each agency, and each reading
    round (tournée) of an agency, for electricity, water and both together (commodity 'all').
      customers and contracts billed: distinct, counted at their level (so a level is not the sum of the one below)
      quantity billed: kWh or m3 of the month's invoices, credit notes deducted (none for 'all', units differ)
      billed: invoices and final bills of the billing month; credited: credit notes issued for that month
      collected: posted payments received in the month
      collection rate = collected / (billed - credited)
    Places follow rpt_atc_losses: a contract's agency and round are those of its delivery point (dim_contracts);
    a payment that names no contract counts for the agency that received it, with no round.
-#}
{%- set combos = [] -%}
{%- for level in ['agency', 'round'] -%}
    {%- for commodity in ['electricity', 'water', 'all'] -%}
        {%- do combos.append((level, commodity)) -%}
    {%- endfor -%}
{%- endfor -%}

with contracts as (
    select
        contract_id,
        agency_id,
        reading_round_id,
        commodity
    from {{ ref('dim_contracts') }}
),

rounds as (
    select distinct
        reading_round_id,
        reading_round_code
    from {{ ref('dim_contracts') }}
    where reading_round_id is not null
),

invoices as (
    select
        coalesce(contracts.agency_id, invoices.agency_id) as agency_id,
        contracts.reading_round_id,
        coalesce(contracts.commodity, case when invoices.unit = 'm3' then 'water' else 'electricity' end) as commodity,
        invoices.billing_month as month,
        invoices.customer_id,
        invoices.contract_id,
        case when invoices.invoice_kind = 'credit_note' then 0 else 1 end as is_bill,
        case when invoices.invoice_kind = 'credit_note' then -1 else 1 end
            * cast(coalesce(invoices.consumption, 0) as decimal(18, 3)) as quantity,
        case when invoices.invoice_kind = 'credit_note' then 0 else invoices.total_minor end as billed_minor,
        case when invoices.invoice_kind = 'credit_note' then abs(invoices.total_minor) else 0 end as credited_minor
    from {{ ref('fct_invoices') }} as invoices
    left join contracts on invoices.contract_id = contracts.contract_id
    where invoices.invoice_kind in ('invoice', 'final', 'credit_note')
),

payments as (
    select
        coalesce(contracts.agency_id, payments.agency_id) as agency_id,
        contracts.reading_round_id,
        contracts.commodity,
        payments.payment_month as month,
        payments.amount_minor
    from {{ ref('fct_payments') }} as payments
    left join contracts on payments.contract_id = contracts.contract_id
    where payments.payment_status = 'posted'
),

parts as (
    {%- for level, commodity in combos %}
    select
        '{{ level }}' as level,
        agency_id,
        {{ 'reading_round_id' if level == 'round' else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }} as reading_round_id,
        '{{ commodity }}' as commodity,
        month,
        count(distinct case when is_bill = 1 then customer_id end) as customers_billed,
        count(distinct case when is_bill = 1 then contract_id end) as contracts_billed,
        sum(is_bill) as invoices,
        {{ 'sum(quantity)' if commodity != 'all' else 'cast(null as decimal(18, 3))' }} as quantity_billed,
        sum(billed_minor) as billed_minor,
        sum(credited_minor) as credited_minor,
        0 as collected_minor
    from invoices
    where agency_id is not null{% if commodity != 'all' %} and commodity = '{{ commodity }}'{% endif %}
    group by agency_id{% if level == 'round' %}, reading_round_id{% endif %}, month
    union all
    select
        '{{ level }}',
        agency_id,
        {{ 'reading_round_id' if level == 'round' else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }},
        '{{ commodity }}',
        month,
        0,
        0,
        0,
        {{ 'cast(0 as decimal(18, 3))' if commodity != 'all' else 'cast(null as decimal(18, 3))' }},
        0,
        0,
        sum(amount_minor)
    from payments
    where agency_id is not null{% if commodity != 'all' %} and commodity = '{{ commodity }}'{% endif %}
    group by agency_id{% if level == 'round' %}, reading_round_id{% endif %}, month
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

summed as (
    select
        level,
        agency_id,
        reading_round_id,
        commodity,
        month,
        sum(customers_billed) as customers_billed,
        sum(contracts_billed) as contracts_billed,
        sum(invoices) as invoices,
        sum(quantity_billed) as quantity_billed,
        sum(billed_minor) as billed_minor,
        sum(credited_minor) as credited_minor,
        sum(collected_minor) as collected_minor
    from parts
    group by level, agency_id, reading_round_id, commodity, month
)

select
    summed.level,
    summed.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    summed.reading_round_id,
    rounds.reading_round_code,
    summed.commodity,
    case summed.commodity when 'electricity' then 'kWh' when 'water' then 'm3' end as unit,
    summed.month,
    cast(summed.customers_billed as {{ dbt.type_bigint() }}) as customers_billed,
    cast(summed.contracts_billed as {{ dbt.type_bigint() }}) as contracts_billed,
    cast(summed.invoices as {{ dbt.type_bigint() }}) as invoices,
    cast(summed.quantity_billed as decimal(18, 3)) as quantity_billed,
    cast(summed.billed_minor as {{ dbt.type_bigint() }}) as billed_minor,
    cast(summed.credited_minor as {{ dbt.type_bigint() }}) as credited_minor,
    cast(summed.billed_minor - summed.credited_minor as {{ dbt.type_bigint() }}) as net_billed_minor,
    cast(summed.collected_minor as {{ dbt.type_bigint() }}) as collected_minor,
    cast({{ share_of('summed.collected_minor', 'summed.billed_minor - summed.credited_minor') }} as decimal(12, 4))
        as collection_rate
from summed
left join {{ ref('dim_agencies') }} as agencies on summed.agency_id = agencies.agency_id
left join rounds on summed.reading_round_id = rounds.reading_round_id
