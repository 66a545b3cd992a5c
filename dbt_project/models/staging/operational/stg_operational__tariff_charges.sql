with source as (
    {{ latest_version(source('operational', 'tariff_charge')) }}
)

select
    id as tariff_charge_id,
    version_id,
    kind as charge_kind,
    code as charge_code,
    label_fr,
    label_en,
    charged_by,
    meter_type,
    step_number,
    power_up_to,
    amount,
    rounding,
    position,
    updated_at
from source
