-- Controls on the draft bills, one row per bill and alert: consumption far above the customer's habit, zero
-- or estimated consumption, an amount above the category's limit, a held bill.
with bills as (
    select * from {{ ref('fct_draft_bills') }}
),

habits as (
    -- The customer's usual consumption per day: the real periods before the billing month.
    select
        bills.bill_key,
        sum(consumptions.consumption) as consumption,
        sum(consumptions.period_days) as days
    from bills
    inner join {{ ref('int_batch_consumptions_computed') }} as consumptions
        on bills.contract_id = consumptions.contract_id
        and consumptions.period_end < bills.billing_month
        and consumptions.consumption is not null
        and not ({{ is_true('consumptions.is_estimated') }})
    where bills.bill_status = 'billable'
    group by bills.bill_key
),

alerts as (
    select bills.bill_key, 'HIGH_VS_HABIT' as alert_code
    from bills
    inner join habits on bills.bill_key = habits.bill_key
    where bills.bill_status = 'billable'
        and habits.days > 0
        and bills.period_days > 0
        and bills.consumption * habits.days > {{ var('alert_habit_factor') }} * habits.consumption * bills.period_days

    union all

    select bill_key, 'ZERO_CONSUMPTION' as alert_code
    from bills
    where bill_status = 'billable' and consumption = 0

    union all

    select bill_key, 'ESTIMATED' as alert_code
    from bills
    where bill_status = 'billable' and {{ is_true('is_estimated') }}

    union all

    select bill_key, 'AMOUNT_ABOVE_LIMIT' as alert_code
    from bills
    where bill_status = 'billable'
        and total_minor > case category
            {% for category, limit in var('alert_amount_limits').items() if category != 'default' %}
            when '{{ category }}' then {{ limit }}
            {% endfor %}
            else {{ var('alert_amount_limits')['default'] }}
        end * {{ minor_units_factor() }}

    union all

    select bill_key, 'HELD' as alert_code
    from bills
    where bill_status = 'held'
)

select
    bills.bill_key,
    bills.batch_id,
    bills.contract_id,
    bills.agency_id,
    alerts.alert_code,
    bills.consumption,
    bills.total_minor,
    bills.reason_code
from alerts
inner join bills on alerts.bill_key = bills.bill_key
