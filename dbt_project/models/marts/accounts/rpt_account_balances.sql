-- The balance of every customer account (positive: the customer owes), from the ledger, beside the documents
-- it must equal: invoices minus credit notes minus payments plus reversals, fees and adjustments.
with ledger as (
    select
        customer_id,
        sum(amount_minor) as balance_minor,
        sum(case when entry_kind = 'adjustment' then amount_minor else 0 end) as adjustments_minor,
        sum(case when entry_kind = 'fee' then amount_minor else 0 end) as fees_minor,
        sum(case when entry_kind = 'refund' then amount_minor else 0 end) as refunds_minor,
        max(entry_date) as last_movement
    from {{ ref('stg_operational__ledger_entries') }}
    group by customer_id
),

invoices as (
    select
        customer_id,
        sum(case when invoice_kind in ('invoice', 'final') then total_minor else 0 end) as invoiced_minor,
        sum(case when invoice_kind = 'credit_note' then total_minor else 0 end) as credited_minor,
        sum(case when invoice_kind in ('invoice', 'final') then open_minor else 0 end) as open_invoices_minor
    from {{ ref('fct_invoices') }}
    group by customer_id
),

payments as (
    select
        customer_id,
        sum(amount_minor) as paid_minor,
        sum(case when payment_status <> 'posted' then amount_minor else 0 end) as reversed_minor,
        sum(unallocated_minor) as unallocated_minor
    from {{ ref('fct_payments') }}
    group by customer_id
)

select
    customers.customer_id,
    customers.customer_reference,
    customers.home_agency_id as agency_id,
    coalesce(ledger.balance_minor, 0) as balance_minor,
    coalesce(invoices.invoiced_minor, 0) as invoiced_minor,
    coalesce(invoices.credited_minor, 0) as credited_minor,
    coalesce(payments.paid_minor, 0) as paid_minor,
    coalesce(payments.reversed_minor, 0) as reversed_minor,
    coalesce(ledger.adjustments_minor, 0) as adjustments_minor,
    coalesce(ledger.fees_minor, 0) as fees_minor,
    coalesce(ledger.refunds_minor, 0) as refunds_minor,
    coalesce(invoices.open_invoices_minor, 0) as open_invoices_minor,
    coalesce(payments.unallocated_minor, 0) as unallocated_payments_minor,
    ledger.last_movement
from {{ ref('stg_operational__customers') }} as customers
left join ledger on customers.customer_id = ledger.customer_id
left join invoices on customers.customer_id = invoices.customer_id
left join payments on customers.customer_id = payments.customer_id
