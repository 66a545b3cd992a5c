{{ config(meta={'dagster': {'ref': {'name': 'fct_consumption'}}}) }}
-- The ranking quantiles_by builds for engines without an ordered-set aggregate (SQL Server) give the medians and
-- upper quartiles the aggregates give, on real consumption (checked here, on the engines we run).
with periods as (
    select
        contract_id,
        cast(consumption as {{ type_double() }}) / period_days as daily_rate,
        case when period_days > 30 then 1 else 0 end as is_long
    from {{ ref('fct_consumption') }}
    where consumption is not null and period_days > 0 and contract_id <= 500
),

{%- set measures = [
    {'name': 'median_rate', 'condition': '1 = 1', 'quantile': 'median'},
    {'name': 'long_median', 'condition': 'is_long = 1', 'quantile': 'median'},
    {'name': 'upper_rate', 'condition': '1 = 1', 'quantile': 'upper_quartile'},
] %}

aggregated as (
    {{ quantiles_by('periods', ['contract_id'], 'daily_rate', measures) }}
),

ranked as (
    {{ sqlserver__quantiles_by('periods', ['contract_id'], 'daily_rate', measures) }}
)

select aggregated.contract_id
from aggregated
inner join ranked on aggregated.contract_id = ranked.contract_id
where abs(aggregated.median_rate - ranked.median_rate) > 1e-9
    or abs(coalesce(aggregated.long_median, -1) - coalesce(ranked.long_median, -1)) > 1e-9
    or abs(aggregated.upper_rate - ranked.upper_rate) > 1e-9
    or aggregated.median_rate_count <> ranked.median_rate_count
    or aggregated.long_median_count <> ranked.long_median_count
