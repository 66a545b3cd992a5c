-- How well each suspect rule hits: inspections recorded in the operational database, each with the rules that
-- fired when it was requested, by rule, month of request and agency (agency_id null: the whole utility).
-- hit_rate = frauds confirmed / inspections where the team got access; rule ALL counts every inspection, so a
-- rule's hit rate can be read against the list's.
with inspections as (
    select
        inspections.inspection_id,
        inspections.contract_id,
        inspections.requested_on,
        {{ month_start('inspections.requested_on') }} as request_month,
        inspections.inspection_outcome,
        coalesce(inspections.energy_recovered, 0) as energy_recovered,
        located.agency_id,
        {{ dbt.concat(["','", "replace(coalesce(inspections.suspect_rules, ''), ' ', '')", "','"]) }} as rule_list
    from {{ ref('stg_operational__inspections') }} as inspections
    inner join {{ ref('int_contracts_located') }} as located on inspections.contract_id = located.contract_id
),

catalog as (
    {{ suspect_rule_rows() }}
    union all
    select
        'ALL' as rule_code,
        cast(null as {{ type_double() }}) as rule_weight,
        {{ text_literal('Toutes les inspections') }} as label_fr,
        'All inspections' as label_en
),

matches as (
    select
        catalog.rule_code,
        catalog.label_fr,
        catalog.label_en,
        inspections.*
    from inspections
    inner join catalog
        on catalog.rule_code = 'ALL'
        or inspections.rule_list like {{ dbt.concat(["'%,'", 'catalog.rule_code', "',%'"]) }}
),

by_agency as (
    select
        rule_code,
        label_fr,
        label_en,
        request_month,
        agency_id,
        count(*) as inspections,
        sum(case when inspection_outcome is not null then 1 else 0 end) as inspected,
        sum(case when inspection_outcome = 'fraud_confirmed' then 1 else 0 end) as fraud_confirmed,
        sum(case when inspection_outcome = 'no_fraud' then 1 else 0 end) as no_fraud,
        sum(case when inspection_outcome = 'meter_fault' then 1 else 0 end) as meter_fault,
        sum(case when inspection_outcome = 'no_access' then 1 else 0 end) as no_access,
        sum(case when inspection_outcome = 'fraud_confirmed' then energy_recovered else 0 end) as energy_recovered
    from matches
    group by rule_code, label_fr, label_en, request_month, agency_id
),

all_levels as (
    select * from by_agency
    union all
    select
        rule_code,
        label_fr,
        label_en,
        request_month,
        cast(null as {{ dbt.type_bigint() }}) as agency_id,
        sum(inspections),
        sum(inspected),
        sum(fraud_confirmed),
        sum(no_fraud),
        sum(meter_fault),
        sum(no_access),
        sum(energy_recovered)
    from by_agency
    group by rule_code, label_fr, label_en, request_month
)

select
    rule_code,
    label_fr as rule_label_fr,
    label_en as rule_label_en,
    request_month,
    agency_id,
    cast(inspections as {{ dbt.type_bigint() }}) as inspections,
    cast(inspected as {{ dbt.type_bigint() }}) as inspected,
    cast(fraud_confirmed as {{ dbt.type_bigint() }}) as fraud_confirmed,
    cast(no_fraud as {{ dbt.type_bigint() }}) as no_fraud,
    cast(meter_fault as {{ dbt.type_bigint() }}) as meter_fault,
    cast(no_access as {{ dbt.type_bigint() }}) as no_access,
    cast({{ share_of('fraud_confirmed', 'inspected - no_access') }} as decimal(12, 4)) as hit_rate,
    cast(energy_recovered as decimal(18, 3)) as energy_recovered
from all_levels
