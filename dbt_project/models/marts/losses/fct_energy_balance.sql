-- The energy balance (bilan énergétique) of every transformer, feeder, source substation and water district per
-- delivery period: energy delivered against energy consumed downstream, the loss in kWh (m3), in % and in money,
-- its technical and non-technical parts, the trend against earlier periods, and the flags that say when the
-- balance cannot be trusted. Formulas: docs/losses.md.
with balances as (
    select * from {{ ref('int_energy_balances_computed') }}
),

transformers as (
    select * from {{ ref('stg_operational__transformers') }}
),

feeders as (
    select * from {{ ref('stg_operational__feeders') }}
),

substations as (
    select * from {{ ref('stg_operational__substations') }}
),

districts as (
    select * from {{ ref('stg_operational__water_districts') }}
),

transformer_places as (
    select
        transformers.transformer_id,
        transformers.feeder_id,
        feeders.substation_id,
        transformers.agency_id,
        transformers.latitude,
        transformers.longitude
    from transformers
    left join feeders on transformers.feeder_id = feeders.feeder_id
),

feeder_agencies as (
    -- A feeder (and a substation) belongs to the agency most of its transformers belong to; it is drawn at the
    -- centre of its transformers.
    select
        feeder_id,
        agency_id,
        row_number() over (partition by feeder_id order by count(*) desc, agency_id) as agency_rank
    from transformer_places
    group by feeder_id, agency_id
),

feeder_centres as (
    select
        feeder_id,
        avg(latitude) as latitude,
        avg(longitude) as longitude
    from transformer_places
    group by feeder_id
),

substation_agencies as (
    select
        substation_id,
        agency_id,
        row_number() over (partition by substation_id order by count(*) desc, agency_id) as agency_rank
    from transformer_places
    group by substation_id, agency_id
),

equipment as (
    select
        'transformer' as balance_level,
        transformers.transformer_id as equipment_id,
        transformers.transformer_code as equipment_code,
        transformers.transformer_name as equipment_name,
        transformers.feeder_id,
        places.substation_id,
        transformers.agency_id,
        transformers.latitude,
        transformers.longitude
    from transformers
    inner join transformer_places as places on transformers.transformer_id = places.transformer_id
    union all
    select
        'feeder',
        feeders.feeder_id,
        feeders.feeder_code,
        feeders.feeder_name,
        feeders.feeder_id,
        feeders.substation_id,
        feeder_agencies.agency_id,
        coalesce(feeder_centres.latitude, substations.latitude),
        coalesce(feeder_centres.longitude, substations.longitude)
    from feeders
    left join feeder_agencies on feeders.feeder_id = feeder_agencies.feeder_id and feeder_agencies.agency_rank = 1
    left join feeder_centres on feeders.feeder_id = feeder_centres.feeder_id
    left join substations on feeders.substation_id = substations.substation_id
    union all
    select
        'substation',
        substations.substation_id,
        substations.substation_code,
        substations.substation_name,
        cast(null as {{ dbt.type_bigint() }}),
        substations.substation_id,
        substation_agencies.agency_id,
        substations.latitude,
        substations.longitude
    from substations
    left join substation_agencies
        on substations.substation_id = substation_agencies.substation_id and substation_agencies.agency_rank = 1
    union all
    select
        'water_district',
        districts.water_district_id,
        districts.water_district_code,
        districts.water_district_name,
        cast(null as {{ dbt.type_bigint() }}),
        cast(null as {{ dbt.type_bigint() }}),
        districts.agency_id,
        districts.latitude,
        districts.longitude
    from districts
),

anomalies as (
    select * from {{ ref('int_mapping_anomalies_detected') }}
),

mapped_transformers as (
    -- Both ends of every suspicious mapping: the transformer a far customer is counted on, and the nearest one.
    select transformer_id, contract_id from anomalies
    union all
    select nearest_transformer_id, contract_id from anomalies where nearest_transformer_id <> transformer_id
),

mapping_equipment as (
    select balance_level, equipment_id, count(distinct contract_id) as mapping_anomalies
    from (
        select 'transformer' as balance_level, mapped.transformer_id as equipment_id, mapped.contract_id
        from mapped_transformers as mapped
        union all
        select 'feeder', places.feeder_id, mapped.contract_id
        from mapped_transformers as mapped
        inner join transformer_places as places on mapped.transformer_id = places.transformer_id
        union all
        select 'substation', places.substation_id, mapped.contract_id
        from mapped_transformers as mapped
        inner join transformer_places as places on mapped.transformer_id = places.transformer_id
    ) as sides
    group by balance_level, equipment_id
),

rolling as (
    -- Monthly balances swing with the dates customers are read on; a wrong mapping does not: it moves the
    -- balance of every period. The negative-loss check therefore looks at the period with the ones before it.
    select
        balances.*,
        sum(balances.loss) over (
            partition by balances.balance_level, balances.equipment_id order by balances.period_start, balances.period_end
            rows between {{ var('losses_check_periods') - 1 }} preceding and current row
        ) as rolling_loss,
        sum(balances.delivered) over (
            partition by balances.balance_level, balances.equipment_id order by balances.period_start, balances.period_end
            rows between {{ var('losses_check_periods') - 1 }} preceding and current row
        ) as rolling_delivered
    from balances
),

flagged as (
    select
        balances.*,
        coalesce(mapping.mapping_anomalies, 0) as mapping_anomalies,
        {{ share_of('balances.loss', 'balances.delivered') }} as loss_share,
        {{ share_of('balances.covered_contract_days', 'balances.expected_contract_days') }} as coverage_share,
        {{ share_of('balances.estimated_contract_days', 'balances.expected_contract_days') }} as estimated_share,
        case
            when balances.rolling_delivered > 0
                and balances.rolling_loss < -{{ var('losses_negative_tolerance') }} * balances.rolling_delivered then 1
            else 0
        end as negative_loss,
        case
            when {{ is_true('balances.has_unmeasured_delivery') }} or balances.delivered is null
                or balances.delivered <= 0
                or balances.loss > {{ var('losses_max_plausible_share') }} * balances.delivered then 1
            else 0
        end as impossible_loss,
        case
            when balances.estimated_contract_days
                > {{ var('losses_max_estimated_share') }} * balances.expected_contract_days then 1
            else 0
        end as too_many_estimates,
        case
            when balances.expected_contract_days > 0
                and balances.covered_contract_days
                < {{ var('losses_min_coverage') }} * balances.expected_contract_days then 1
            else 0
        end as incomplete
    from rolling as balances
    left join mapping_equipment as mapping
        on balances.balance_level = mapping.balance_level
        and balances.equipment_id = mapping.equipment_id
),

trusted as (
    select
        flagged.*,
        case when negative_loss = 1 or mapping_anomalies > 0 then 1 else 0 end as mapping_suspect,
        case
            when {{ is_true('has_missing_reading') }} or negative_loss = 1 or impossible_loss = 1
                or mapping_anomalies > 0 or too_many_estimates = 1 or incomplete = 1 then 0
            else 1
        end as trusted
    from flagged
),

trended as (
    select
        trusted.*,
        lag(loss_share) over (
            partition by balance_level, equipment_id order by period_start, period_end
        ) as previous_loss_share,
        -- The loss share of the earlier trusted periods (weighted by what they delivered).
        sum(case when trusted = 1 then loss end) over (
            partition by balance_level, equipment_id order by period_start, period_end
            rows between {{ var('losses_trend_periods') }} preceding and 1 preceding
        ) / nullif(sum(case when trusted = 1 then delivered end) over (
            partition by balance_level, equipment_id order by period_start, period_end
            rows between {{ var('losses_trend_periods') }} preceding and 1 preceding
        ), 0) as trend_loss_share
    from trusted
)

select
    trended.balance_level,
    trended.equipment_id,
    equipment.equipment_code,
    equipment.equipment_name,
    trended.commodity,
    case when trended.commodity = 'water' then 'm3' else 'kWh' end as unit,
    equipment.feeder_id,
    equipment.substation_id,
    equipment.agency_id,
    agencies.agency_code,
    agencies.agency_name,
    equipment.latitude,
    equipment.longitude,
    trended.period_start,
    trended.period_end,
    {{ month_start('trended.period_start') }} as period_month,
    cast(trended.period_days as integer) as period_days,
    cast(trended.meters as integer) as meters,
    cast(trended.rating_kva as integer) as rating_kva,
    cast(trended.delivered as decimal(18, 3)) as delivered,
    cast(trended.metered_consumption as decimal(18, 3)) as metered_consumption,
    cast(trended.estimated_consumption as decimal(18, 3)) as estimated_consumption,
    cast(trended.prepaid_energy as decimal(18, 3)) as prepaid_energy,
    cast(trended.unmetered_estimate as decimal(18, 3)) as unmetered_estimate,
    cast(trended.consumed as decimal(18, 3)) as consumed,
    cast(trended.loss as decimal(18, 3)) as loss,
    cast(trended.loss_share as decimal(12, 4)) as loss_share,
    cast({{ share_of('trended.rolling_loss', 'trended.rolling_delivered') }} as decimal(12, 4)) as rolling_loss_share,
    cast(trended.load_factor as decimal(12, 4)) as load_factor,
    cast(trended.technical_loss as decimal(18, 3)) as technical_loss,
    cast({{ share_of('trended.technical_loss', 'trended.delivered') }} as decimal(12, 4)) as technical_share,
    cast(trended.non_technical_loss as decimal(18, 3)) as non_technical_loss,
    cast({{ share_of('trended.non_technical_loss', 'trended.delivered') }} as decimal(12, 4))
        as non_technical_share,
    cast(trended.average_price as decimal(18, 4)) as average_price,
    trended.price_source,
    {#- Both as wide decimals: a large loss times a price overflows eighteen digits. -#}
    {{ float_to_minor(
        'cast(trended.loss as decimal(38, 6)) * cast(trended.average_price as decimal(38, 4))'
    ) }} as loss_value_minor,
    {{ float_to_minor(
        'cast(trended.non_technical_loss as decimal(38, 6)) * cast(trended.average_price as decimal(38, 4))'
    ) }} as non_technical_value_minor,
    cast(trended.previous_loss_share as decimal(12, 4)) as previous_loss_share,
    cast(trended.trend_loss_share as decimal(12, 4)) as trend_loss_share,
    cast(trended.loss_share - trended.trend_loss_share as decimal(12, 4)) as loss_share_change,
    case
        when trended.trend_loss_share is null or trended.loss_share is null then null
        when trended.loss_share - trended.trend_loss_share > {{ var('losses_trend_threshold') }} then 'rising'
        when trended.loss_share - trended.trend_loss_share < -{{ var('losses_trend_threshold') }} then 'falling'
        else 'stable'
    end as trend,
    cast(trended.active_contracts as {{ dbt.type_bigint() }}) as active_contracts,
    cast(trended.prepaid_contracts as {{ dbt.type_bigint() }}) as prepaid_contracts,
    cast(trended.coverage_share as decimal(12, 4)) as coverage_share,
    cast(trended.estimated_share as decimal(12, 4)) as estimated_share,
    cast(trended.mapping_anomalies as {{ dbt.type_bigint() }}) as mapping_anomalies,
    trended.has_missing_reading,
    {{ as_flag('trended.negative_loss = 1') }} as is_negative_loss,
    {{ as_flag('trended.impossible_loss = 1') }} as is_impossible_loss,
    {{ as_flag('trended.mapping_suspect = 1') }} as is_mapping_suspect,
    {{ as_flag('trended.too_many_estimates = 1') }} as has_too_many_estimates,
    {{ as_flag('trended.incomplete = 1') }} as is_incomplete,
    {{ as_flag('trended.trusted = 1') }} as is_trusted,
    -- The first reason the balance cannot be trusted, for lists and map legends.
    case
        when {{ is_true('trended.has_missing_reading') }} then 'MISSING_READING'
        when trended.impossible_loss = 1 then 'IMPOSSIBLE_LOSS'
        when trended.mapping_suspect = 1 then 'MAPPING_SUSPECT'
        when trended.too_many_estimates = 1 then 'TOO_MANY_ESTIMATES'
        when trended.incomplete = 1 then 'INCOMPLETE_READINGS'
    end as trust_issue
from trended
inner join equipment
    on trended.balance_level = equipment.balance_level
    and trended.equipment_id = equipment.equipment_id
left join {{ ref('stg_operational__agencies') }} as agencies on equipment.agency_id = agencies.agency_id
