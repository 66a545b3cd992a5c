-- Consumption per closing reading of a contract: the index segments since the previous reading, summed across
-- a meter replacement, with roll-overs unwrapped. The first reading of a meter installed long before the
-- reading history opens the series (no consumption), and a backward index that is not a plausible roll-over
-- is kept as impossible data rather than billed.
with installations as (
    select * from {{ ref('stg_operational__meter_installations') }}
),

readings as (
    select * from {{ ref('stg_operational__readings') }}
    where index_value is not null
),

{{ consumption_ctes('installations', 'readings', ref('stg_operational__meters'), ref('stg_operational__contracts')) }}

select * from consumptions
