-- What each contract owes as of as_of_date() (today unless var as_of_date is set): the open amount of its
-- overdue invoices, how many they are and the oldest due date, net of the credits it holds (payments not yet
-- matched, credit notes not yet used), and the customer's latest payment.
with invoices as (
    select * from {{ ref('fct_invoices') }}
    where issue_date <= {{ as_of_date() }}
),

debts as (
    select
        contract_id,
        max(customer_id) as customer_id,
        sum(case when invoice_kind in ('invoice', 'final') then open_minor else 0 end) as open_minor,
        sum(case when invoice_kind in ('invoice', 'final') and due_date < {{ as_of_date() }} then open_minor else 0 end)
            as overdue_minor,
        sum(case when invoice_kind in ('invoice', 'final') and due_date < {{ as_of_date() }} and open_minor > 0
            then 1 else 0 end) as unpaid_bills,
        min(case when invoice_kind in ('invoice', 'final') and open_minor > 0 then due_date end) as oldest_due_date,
        sum(case when invoice_kind = 'credit_note' then open_minor else 0 end) as unused_credit_minor
    from invoices
    group by contract_id
),

payments as (
    select * from {{ ref('fct_payments') }}
    where payment_status = 'posted' and business_date <= {{ as_of_date() }}
),

advances as (
    select contract_id, sum(unallocated_minor) as unallocated_minor
    from payments
    where contract_id is not null
    group by contract_id
),

last_payments as (
    -- A payment counts for its contract, or for every contract of the customer when it names none.
    select contract_id, max(business_date) as last_payment_date
    from (
        select contract_id, business_date from payments where contract_id is not null
        union all
        select contracts.contract_id, payments.business_date
        from payments
        inner join {{ ref('stg_operational__contracts') }} as contracts on payments.customer_id = contracts.customer_id
        where payments.contract_id is null
    ) as paid
    group by contract_id
)

select
    debts.contract_id,
    debts.customer_id,
    cast(debts.open_minor as {{ dbt.type_bigint() }}) as open_minor,
    cast(debts.overdue_minor as {{ dbt.type_bigint() }}) as overdue_minor,
    cast(debts.unused_credit_minor + coalesce(advances.unallocated_minor, 0) as {{ dbt.type_bigint() }}) as credit_minor,
    cast(case
        when debts.overdue_minor - debts.unused_credit_minor - coalesce(advances.unallocated_minor, 0) > 0
            then debts.overdue_minor - debts.unused_credit_minor - coalesce(advances.unallocated_minor, 0)
        else 0
    end as {{ dbt.type_bigint() }}) as amount_due_minor,
    cast(debts.unpaid_bills as integer) as unpaid_bills,
    debts.oldest_due_date,
    {{ days_between('debts.oldest_due_date', as_of_date()) }} as days_overdue,
    last_payments.last_payment_date
from debts
left join advances on debts.contract_id = advances.contract_id
left join last_payments on debts.contract_id = last_payments.contract_id
