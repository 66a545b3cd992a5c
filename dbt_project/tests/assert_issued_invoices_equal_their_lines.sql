{{ config(meta={'dagster': {'ref': {'name': 'stg_operational__invoices'}}}) }}
-- Every issued invoice's total is the sum of its lines.
select invoices.invoice_id
from {{ ref('stg_operational__invoices') }} as invoices
left join (
    select invoice_id, sum(amount_minor) as lines_minor
    from {{ ref('stg_operational__invoice_lines') }}
    group by invoice_id
) as lines on invoices.invoice_id = lines.invoice_id
where invoices.total_minor <> coalesce(lines.lines_minor, 0)
