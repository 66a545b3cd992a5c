{{ config(meta={'dagster': {'ref': {'name': 'fct_draft_bills'}}}) }}
-- Every draft bill's total is the sum of its lines.
select bills.bill_key, bills.total_minor, sum(lines.amount_minor) as lines_minor
from {{ ref('fct_draft_bills') }} as bills
inner join {{ ref('fct_draft_bill_lines') }} as lines on bills.bill_key = lines.bill_key
where bills.bill_status = 'billable'
group by bills.bill_key, bills.total_minor
having bills.total_minor <> sum(lines.amount_minor)
