with customers as (
    select * from {{ ref('stg_operational__customers') }}
),

contracts as (
    select * from {{ ref('stg_operational__contracts') }}
),

contract_counts as (
    select
        customer_id,
        count(*) as contracts,
        sum(case when contract_status = 'active' then 1 else 0 end) as active_contracts,
        sum(case when commodity = 'electricity' then 1 else 0 end) as electricity_contracts,
        sum(case when commodity = 'water' then 1 else 0 end) as water_contracts
    from contracts
    group by customer_id
)

select
    customers.customer_id,
    customers.customer_reference,
    customers.customer_kind,
    customers.customer_name,
    customers.customer_first_name,
    customers.phone,
    customers.email,
    customers.grouping_code,
    customers.home_agency_id as agency_id,
    agencies.agency_code,
    agencies.agency_name,
    coalesce(contract_counts.contracts, 0) as contracts,
    coalesce(contract_counts.active_contracts, 0) as active_contracts,
    coalesce(contract_counts.electricity_contracts, 0) as electricity_contracts,
    coalesce(contract_counts.water_contracts, 0) as water_contracts
from customers
inner join {{ ref('stg_operational__agencies') }} as agencies on customers.home_agency_id = agencies.agency_id
left join contract_counts on customers.customer_id = contract_counts.customer_id
