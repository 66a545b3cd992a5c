{{ config(materialized="table") }}

-- Consumption of the contracts of open batches over a window of readings before their billing months: the
-- same rules as int_consumptions_computed, on the readings billing needs (the closing readings of the month,
-- the previous ones, and enough history for estimates and eligibility), not the whole history.
with scope as (
    select
        contract_id,
        cast({{ dbt.dateadd('month', -1 * var('billing_lookback_months'), 'min(billing_month)') }} as date)
            as window_start,
        max(month_end) as window_end
    from {{ ref('int_batch_contracts_selected') }}
    where exclusion_reason is null
    group by contract_id
),

installations as (
    select
        installations.*,
        scope.window_start
    from {{ ref('stg_operational__meter_installations') }} as installations
    inner join scope on installations.contract_id = scope.contract_id
    where installations.installed_on < scope.window_end
        and (installations.removed_on is null or installations.removed_on >= scope.window_start)
),

readings as (
    select readings.*
    from {{ ref('stg_operational__readings') }} as readings
    inner join scope on readings.contract_id = scope.contract_id
    where readings.index_value is not null
        and readings.reading_date >= scope.window_start
        and readings.reading_date < scope.window_end
),

{{ consumption_ctes('installations', 'readings', ref('stg_operational__meters'), ref('stg_operational__contracts'),
                    windowed=true) }}

select
    consumptions.*,
    {{ month_start('consumptions.period_end') }} as closing_month
from consumptions
