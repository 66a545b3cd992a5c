-- Payments received, with the part matched to invoices and the part still held as an advance.
with payments as (
    select * from {{ ref('stg_operational__payments') }}
),

allocated as (
    select
        payment_id,
        sum(amount_minor) as allocated_minor
    from {{ ref('stg_operational__allocations') }}
    where payment_id is not null
    group by payment_id
)

select
    payments.payment_id,
    payments.receipt_number,
    payments.customer_id,
    payments.contract_id,
    payments.agency_id,
    payments.amount_minor,
    payments.payment_method,
    payments.payment_purpose,
    payments.channel,
    payments.business_date,
    {{ month_start('payments.business_date') }} as payment_month,
    payments.payment_status,
    coalesce(allocated.allocated_minor, 0) as allocated_minor,
    case
        when payments.payment_status = 'posted' then payments.amount_minor - coalesce(allocated.allocated_minor, 0)
        else 0
    end as unallocated_minor
from payments
left join allocated on payments.payment_id = allocated.payment_id
