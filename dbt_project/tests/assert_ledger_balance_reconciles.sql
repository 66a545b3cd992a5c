{{ config(meta={'dagster': {'ref': {'name': 'rpt_account_balances'}}}) }}
-- Every account's ledger balance equals invoices minus credit notes minus payments, plus the reversals of
-- cancelled or bounced payments, fees and adjustments, minus refunds.
select customer_id, balance_minor
from {{ ref('rpt_account_balances') }}
where balance_minor <> invoiced_minor - credited_minor - paid_minor + reversed_minor + fees_minor
    + adjustments_minor + refunds_minor
