{#-
    Every active contract the collection criteria select (amount due, unpaid bills, oldest due date; categories,
    rounds and groupings when restricted), with the reason it must stay connected, if any: a payment plan in
    force, an open complaint, a payment in the last days, a category or grouping that may not be cut. The first
    reason in that order is kept. Parameters: the collection_* vars (docs/losses.md).
-#}
{%- set categories = var('collection_categories') -%}
{%- set rounds = var('collection_rounds') -%}
{%- set groupings = var('collection_groupings') -%}

with debts as (
    select * from {{ ref('int_contract_debts_summed') }}
),

contracts as (
    select
        located.*,
        customers.grouping_code,
        rounds.reading_round_code
    from {{ ref('int_contracts_located') }} as located
    inner join {{ ref('stg_operational__customers') }} as customers on located.customer_id = customers.customer_id
    left join {{ ref('stg_operational__reading_rounds') }} as rounds on located.reading_round_id = rounds.reading_round_id
    where located.contract_status = 'active'
),

selected as (
    select
        contracts.*,
        debts.open_minor,
        debts.overdue_minor,
        debts.credit_minor,
        debts.amount_due_minor,
        debts.unpaid_bills,
        debts.oldest_due_date,
        debts.days_overdue,
        debts.last_payment_date
    from contracts
    inner join debts on contracts.contract_id = debts.contract_id
    where debts.amount_due_minor >= {{ var('collection_min_amount_due') }}
        and debts.unpaid_bills >= {{ var('collection_min_unpaid_bills') }}
        and debts.days_overdue >= {{ var('collection_min_days_overdue') }}
        {% if categories %}and contracts.category in {{ sql_list(categories) }}{% endif %}
        {% if rounds %}and contracts.reading_round_code in {{ sql_list(rounds) }}{% endif %}
        {% if groupings %}and contracts.grouping_code in {{ sql_list(groupings) }}{% endif %}
),

plans as (
    -- A plan in force covers its contract, or every contract of the customer when it names none.
    select distinct coalesce(plans.contract_id, contracts.contract_id) as contract_id
    from {{ ref('stg_operational__payment_plans') }} as plans
    inner join contracts
        on plans.customer_id = contracts.customer_id
        and (plans.contract_id is null or plans.contract_id = contracts.contract_id)
    where plans.plan_status = 'active'
        and plans.start_date <= {{ as_of_date() }}
        and plans.end_date >= {{ as_of_date() }}
),

complaints as (
    select distinct contracts.contract_id
    from {{ ref('stg_operational__complaints') }} as complaints
    inner join contracts
        on complaints.customer_id = contracts.customer_id
        and (complaints.contract_id is null or complaints.contract_id = contracts.contract_id)
    where complaints.opened_on <= {{ as_of_date() }}
        and (
            complaints.closed_on > {{ as_of_date() }}
            or (complaints.closed_on is null and complaints.complaint_status = 'open')
        )
)

select
    selected.*,
    case
        when plans.contract_id is not null then 'PAYMENT_PLAN'
        when complaints.contract_id is not null then 'OPEN_COMPLAINT'
        when selected.last_payment_date is not null
            and {{ days_between('selected.last_payment_date', as_of_date()) }}
            < {{ var('collection_recent_payment_days') }} then 'RECENT_PAYMENT'
        when selected.category in {{ sql_list(var('collection_protected_categories')) }} then 'PROTECTED_CATEGORY'
        when selected.grouping_code in {{ sql_list(var('collection_protected_groupings')) }} then 'PROTECTED_GROUPING'
    end as exclusion_reason
from selected
left join plans on selected.contract_id = plans.contract_id
left join complaints on selected.contract_id = complaints.contract_id
