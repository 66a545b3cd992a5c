-- Progress of each disconnection campaign per agent: targets by what happened to them (pending, notice delivered,
-- paid, disconnected, refused, reconnected), the amounts at stake and recovered, and the reconnection fees.
-- Settled: every status but pending and notice_delivered; recovered: what paid or reconnected targets owed.
with targets as (
    select * from {{ ref('fct_collection_targets') }}
)

select
    collection_campaign_id,
    campaign_reference,
    campaign_name,
    campaign_status,
    campaign_created_on,
    agency_id,
    collection_agent,
    cast(count(*) as {{ dbt.type_bigint() }}) as targets,
    cast(sum(case when target_status = 'pending' then 1 else 0 end) as {{ dbt.type_bigint() }}) as pending,
    cast(sum(case when target_status = 'notice_delivered' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as notice_delivered,
    cast(sum(case when target_status = 'paid' then 1 else 0 end) as {{ dbt.type_bigint() }}) as paid,
    cast(sum(case when target_status = 'disconnected' then 1 else 0 end) as {{ dbt.type_bigint() }}) as disconnected,
    cast(sum(case when target_status = 'refused' then 1 else 0 end) as {{ dbt.type_bigint() }}) as refused,
    cast(sum(case when target_status = 'reconnected' then 1 else 0 end) as {{ dbt.type_bigint() }}) as reconnected,
    cast(sum({{ flag_to_int('is_settled') }}) as {{ dbt.type_bigint() }}) as settled,
    cast(sum(amount_due_minor) as {{ dbt.type_bigint() }}) as amount_due_minor,
    cast(sum(case when target_status in ('paid', 'reconnected') then amount_due_minor else 0 end)
        as {{ dbt.type_bigint() }}) as recovered_minor,
    cast(sum(coalesce(reconnection_fee_minor, 0)) as {{ dbt.type_bigint() }}) as reconnection_fees_minor
from targets
group by
    collection_campaign_id,
    campaign_reference,
    campaign_name,
    campaign_status,
    campaign_created_on,
    agency_id,
    collection_agent
