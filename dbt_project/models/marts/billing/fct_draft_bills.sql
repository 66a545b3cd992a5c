-- Every contract of every open batch, once: its draft bill (the simulation) when it is billable, or the reason
-- it is held or not billed. A billable period that the tariff cannot price whole (no grid for the category, no
-- version over part of the period, no fixed charge for the meter) is held with that reason.
with selected as (
    select * from {{ ref('int_batch_contracts_selected') }}
),

decisions as (
    select * from {{ ref('int_bill_decisions_made') }}
),

resolved as (
    select * from {{ ref('int_bill_grids_resolved') }}
),

line_totals as (
    select
        bill_key,
        sum(amount_minor) as total_minor,
        count(*) as line_count,
        sum(case when line_kind = 'fixed' then 1 else 0 end) as fixed_lines
    from {{ ref('fct_draft_bill_lines') }}
    group by bill_key
),

coverage as (
    -- Days of the period covered by a tariff version, and the fixed charges each version expects.
    select
        resolved.bill_key,
        sum({{ days_between(greatest_of('versions.valid_from', 'resolved.period_start'),
            "case when versions.valid_to is null or versions.valid_to > resolved.period_end "
            ~ "then resolved.period_end else versions.valid_to end") }}) as covered_days,
        sum(coalesce(expected.fixed_charges, 0)) as expected_fixed_lines
    from resolved
    inner join {{ ref('int_tariff_versions_prepared') }} as versions
        on resolved.grid_code = versions.grid_code
        and versions.valid_from < resolved.period_end
        and (versions.valid_to is null or versions.valid_to > resolved.period_start)
    left join (
        select version_id, count(distinct code) as fixed_charges
        from {{ ref('int_tariff_charges_prepared') }}
        where kind = 'fixed'
        group by version_id
    ) as expected on versions.version_id = expected.version_id
    group by resolved.bill_key
),

checked as (
    select
        decisions.*,
        resolved.requested_grid_code,
        resolved.grid_code,
        line_totals.total_minor,
        coalesce(line_totals.line_count, 0) as line_count,
        case
            when decisions.bill_status <> 'billable' then decisions.reason_code
            when resolved.grid_code is null then 'NO_TARIFF'
            when coalesce(coverage.covered_days, 0) < decisions.period_days then 'TARIFF_GAP'
            when coalesce(line_totals.fixed_lines, 0) < coverage.expected_fixed_lines then 'MISSING_FIXED_CHARGE'
        end as final_reason
    from decisions
    left join resolved on decisions.bill_key = resolved.bill_key
    left join line_totals on decisions.bill_key = line_totals.bill_key
    left join coverage on decisions.bill_key = coverage.bill_key
)

select
    selected.bill_key,
    selected.batch_id,
    selected.billing_month,
    selected.contract_id,
    selected.customer_id,
    selected.agency_id,
    selected.reading_round_id,
    selected.commodity,
    selected.category,
    selected.billing_cycle,
    checked.period_start,
    checked.period_end,
    checked.period_days,
    cast(cast(checked.consumption_milli as decimal(38, 0)) * 0.001 as decimal(18, 3)) as consumption,
    case when selected.commodity = 'water' then 'm3' else 'kWh' end as unit,
    coalesce(checked.is_estimated, {{ as_flag('1 = 0') }}) as is_estimated,
    checked.consumption_source,
    checked.requested_grid_code,
    checked.grid_code,
    case when checked.final_reason is null then checked.total_minor end as total_minor,
    coalesce(checked.line_count, 0) as line_count,
    case
        when selected.exclusion_reason is not null then 'not_billed'
        when checked.final_reason is null then 'billable'
        when checked.bill_status = 'not_billed' then 'not_billed'
        else 'held'
    end as bill_status,
    coalesce(selected.exclusion_reason, checked.final_reason) as reason_code
from selected
left join checked on selected.bill_key = checked.bill_key
