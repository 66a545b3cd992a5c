-- Fixed and demand charges; a power step applies above the previous step's limit up to its own.
select
    version_id,
    charge_kind as kind,
    charge_code as code,
    label_fr,
    label_en,
    charged_by,
    meter_type,
    case
        when charged_by = 'power'
            then lag(power_up_to) over (partition by version_id, charge_code order by step_number)
    end as power_from,
    power_up_to,
    amount,
    rounding,
    position
from {{ ref('stg_operational__tariff_charges') }}
