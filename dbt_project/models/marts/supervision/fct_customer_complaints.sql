-- Customers' complaints (réclamations) with their customer, contract and agency, for the customer account screen
-- and the follow-up of open complaints; days_open counts to the closing day, or to var as_of_date when still open.
with complaints as (
    select * from {{ ref('stg_operational__complaints') }}
)

select
    complaints.complaint_id,
    complaints.customer_id,
    customers.customer_reference,
    complaints.contract_id,
    contracts.contract_reference,
    coalesce(contracts.agency_id, customers.agency_id) as agency_id,
    complaints.opened_on,
    complaints.closed_on,
    complaints.complaint_category,
    complaints.complaint_status,
    complaints.description,
    complaints.created_by,
    cast({{ days_between('complaints.opened_on',
        'coalesce(complaints.closed_on, cast(' ~ as_of_date() ~ ' as date))') }} as integer) as days_open
from complaints
inner join {{ ref('dim_customers') }} as customers on complaints.customer_id = customers.customer_id
left join {{ ref('dim_contracts') }} as contracts on complaints.contract_id = contracts.contract_id
