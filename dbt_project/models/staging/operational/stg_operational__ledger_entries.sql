with source as (
    {{ latest_version(source('operational', 'ledger_entry')) }}
)

select
    id as ledger_entry_id,
    customer_id,
    contract_id,
    entry_date,
    kind as entry_kind,
    amount as amount_minor,
    invoice_id,
    payment_id,
    description,
    created_by,
    created_at,
    updated_at
from source
