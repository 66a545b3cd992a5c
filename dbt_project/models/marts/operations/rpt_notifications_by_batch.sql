-- E-services after each billing: e-bills and SMS per batch and channel, queued, sent and failed.
with notifications as (
    select * from {{ ref('stg_operational__notifications') }}
)

select
    batch_id,
    channel,
    count(*) as messages,
    sum(case when notification_status = 'sent' then 1 else 0 end) as sent,
    sum(case when notification_status = 'queued' then 1 else 0 end) as queued,
    sum(case when notification_status = 'failed' then 1 else 0 end) as failed,
    max(sent_at) as last_sent_at
from notifications
group by batch_id, channel
