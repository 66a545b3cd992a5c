select
    contracts.agency_id,
    contracts.agency_code,
    contracts.agency_name,
    contracts.commodity,
    contracts.category,
    cast(sum(case when contracts.contract_status = 'active' then 1 else 0 end) as bigint) as active_contracts,
    cast(
        count(distinct case when contracts.contract_status = 'active' then contracts.customer_id end)
        as bigint
    ) as customers
from {{ ref('dim_contracts') }} as contracts
group by contracts.agency_id, contracts.agency_code, contracts.agency_name, contracts.commodity, contracts.category
