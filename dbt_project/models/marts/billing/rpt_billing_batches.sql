-- Every billing batch with its simulation in figures: contracts selected, billed, held, not billed, the amount
-- and the alerts; issued batches keep the figures of their invoices.
with batches as (
    select * from {{ ref('stg_operational__billing_batches') }}
),

bills as (
    select
        batch_id,
        count(*) as contracts,
        sum(case when bill_status = 'billable' then 1 else 0 end) as billable,
        sum(case when bill_status = 'held' then 1 else 0 end) as held,
        sum(case when bill_status = 'not_billed' then 1 else 0 end) as not_billed,
        sum(case when bill_status = 'billable' and {{ is_true('is_estimated') }} then 1 else 0 end) as estimated,
        sum(case when bill_status = 'billable' then total_minor else 0 end) as amount_minor,
        sum(case when bill_status = 'billable' then consumption else 0 end) as consumption
    from {{ ref('fct_draft_bills') }}
    group by batch_id
),

alerts as (
    select batch_id, count(*) as alerts
    from {{ ref('fct_draft_bill_alerts') }}
    group by batch_id
)

select
    batches.batch_id,
    batches.batch_reference,
    batches.batch_name,
    batches.billing_month,
    batches.agency_id,
    batches.reading_round_id,
    batches.category,
    batches.billing_cycle,
    batches.commodity,
    batches.batch_status,
    batches.status_reason,
    batches.created_by,
    batches.decided_by,
    batches.decided_at,
    batches.issued_at,
    cast(coalesce(bills.contracts, 0) as bigint) as contracts,
    cast(coalesce(bills.billable, 0) as bigint) as billable,
    cast(coalesce(bills.held, 0) as bigint) as held,
    cast(coalesce(bills.not_billed, 0) as bigint) as not_billed,
    cast(coalesce(bills.estimated, 0) as bigint) as estimated,
    cast(coalesce(bills.amount_minor, 0) as bigint) as simulated_amount_minor,
    cast(coalesce(alerts.alerts, 0) as bigint) as alerts,
    batches.invoice_count,
    batches.invoiced_amount_minor
from batches
left join bills on batches.batch_id = bills.batch_id
left join alerts on batches.batch_id = alerts.batch_id
