-- The aged balance (balance âgée): what stays open on invoices, by how long it is past due, per agency and
-- category, as of a date (var as_of_date, today by default).
with open_invoices as (
    select
        invoices.*,
        contracts.category,
        {{ days_between('invoices.due_date', as_of_date()) }} as days_past_due
    from {{ ref('fct_invoices') }} as invoices
    inner join {{ ref('stg_operational__contracts') }} as contracts on invoices.contract_id = contracts.contract_id
    where invoices.invoice_kind in ('invoice', 'final') and invoices.open_minor > 0
        and invoices.issue_date <= {{ as_of_date() }}
)

select
    agency_id,
    category,
    cast({{ as_of_date() }} as date) as as_of,
    count(distinct customer_id) as customers,
    count(*) as open_invoices,
    sum(case when days_past_due <= 0 then open_minor else 0 end) as not_due_minor,
    sum(case when days_past_due between 1 and 30 then open_minor else 0 end) as days_0_30_minor,
    sum(case when days_past_due between 31 and 60 then open_minor else 0 end) as days_31_60_minor,
    sum(case when days_past_due between 61 and 90 then open_minor else 0 end) as days_61_90_minor,
    sum(case when days_past_due between 91 and 180 then open_minor else 0 end) as days_91_180_minor,
    sum(case when days_past_due between 181 and 365 then open_minor else 0 end) as days_181_365_minor,
    sum(case when days_past_due > 365 then open_minor else 0 end) as over_365_minor,
    sum(open_minor) as open_minor
from open_invoices
group by agency_id, category
