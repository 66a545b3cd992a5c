-- Issued invoices, credit notes and final bills with what has been matched to them and what stays open.
with invoices as (
    select * from {{ ref('stg_operational__invoices') }}
),

allocated as (
    select
        invoice_id,
        sum(amount_minor) as allocated_minor
    from {{ ref('stg_operational__allocations') }}
    group by invoice_id
),

credit_used as (
    select
        credit_invoice_id as invoice_id,
        sum(amount_minor) as used_minor
    from {{ ref('stg_operational__allocations') }}
    where credit_invoice_id is not null
    group by credit_invoice_id
)

select
    invoices.invoice_id,
    invoices.invoice_number,
    invoices.invoice_kind,
    invoices.batch_id,
    invoices.contract_id,
    invoices.customer_id,
    invoices.agency_id,
    invoices.billing_month,
    invoices.period_start,
    invoices.period_end,
    invoices.consumption,
    invoices.unit,
    invoices.is_estimated,
    invoices.grid_code,
    invoices.issue_date,
    invoices.due_date,
    invoices.total_minor,
    case
        when invoices.invoice_kind = 'credit_note' then coalesce(credit_used.used_minor, 0)
        else coalesce(allocated.allocated_minor, 0)
    end as settled_minor,
    invoices.total_minor - case
        when invoices.invoice_kind = 'credit_note' then coalesce(credit_used.used_minor, 0)
        else coalesce(allocated.allocated_minor, 0)
    end as open_minor
from invoices
left join allocated on invoices.invoice_id = allocated.invoice_id
left join credit_used on invoices.invoice_id = credit_used.invoice_id
