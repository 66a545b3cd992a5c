{{ config(meta={'dagster': {'ref': {'name': 'fct_draft_bills'}}}) }}
-- Every contract a batch selected is billed, held or not billed, with a reason when it is not billed.
select selected.bill_key
from {{ ref('int_batch_contracts_selected') }} as selected
left join {{ ref('fct_draft_bills') }} as bills on selected.bill_key = bills.bill_key
where bills.bill_key is null
    or (bills.bill_status <> 'billable' and bills.reason_code is null)
    or (bills.bill_status = 'billable' and (bills.total_minor is null or bills.reason_code is not null))
