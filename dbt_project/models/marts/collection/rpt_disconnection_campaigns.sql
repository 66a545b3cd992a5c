-- The amount at stake per disconnection campaign: the eligible contracts of each agent's round (an open campaign
-- when the agent comes from one), how much they owe, and the contracts kept connected with why, per agency.
with candidates as (
    select * from {{ ref('fct_disconnection_candidates') }}
)

select
    agency_id,
    collection_agent,
    reading_round_id,
    reading_round_code,
    collection_campaign_id,
    campaign_reference,
    max(as_of) as as_of,
    cast(sum(case when {{ is_true('is_eligible') }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as eligible_contracts,
    cast(sum(case when {{ is_true('is_eligible') }} then amount_due_minor else 0 end) as {{ dbt.type_bigint() }})
        as amount_at_stake_minor,
    cast(sum(case when {{ is_true('is_eligible') }} then unpaid_bills else 0 end) as {{ dbt.type_bigint() }})
        as unpaid_bills,
    min(case when {{ is_true('is_eligible') }} then oldest_due_date end) as oldest_due_date,
    cast(sum(case when exclusion_reason = 'PAYMENT_PLAN' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as kept_payment_plan,
    cast(sum(case when exclusion_reason = 'OPEN_COMPLAINT' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as kept_open_complaint,
    cast(sum(case when exclusion_reason = 'RECENT_PAYMENT' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as kept_recent_payment,
    cast(sum(case when exclusion_reason in ('PROTECTED_CATEGORY', 'PROTECTED_GROUPING') then 1 else 0 end)
        as {{ dbt.type_bigint() }}) as kept_protected,
    cast(sum(case when {{ is_true('is_eligible') }} then 0 else amount_due_minor end) as {{ dbt.type_bigint() }})
        as amount_kept_minor,
    -- Where the round is on a map: the centre of its eligible contracts.
    avg(case when {{ is_true('is_eligible') }} then latitude end) as latitude,
    avg(case when {{ is_true('is_eligible') }} then longitude end) as longitude
from candidates
group by agency_id, collection_agent, reading_round_id, reading_round_code, collection_campaign_id, campaign_reference
