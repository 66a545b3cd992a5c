-- Prepaid purchases with the energy the tariff gives for them: a vend that differs is a vending error or a
-- tampered token to look into.
select
    valued.prepaid_purchase_id,
    valued.contract_id,
    purchases.customer_id,
    valued.purchase_date,
    {{ month_start('valued.purchase_date') }} as purchase_month,
    valued.grid_code,
    valued.amount_minor,
    valued.fee_minor,
    valued.charged_minor,
    valued.is_first_of_month,
    valued.month_energy_before,
    valued.vended_energy,
    valued.expected_energy,
    valued.vended_energy - valued.expected_energy as energy_difference,
    valued.fee_not_covered,
    purchases.channel,
    purchases.partner
from {{ ref('int_prepaid_purchases_valued') }} as valued
inner join {{ ref('stg_operational__prepaid_purchases') }} as purchases
    on valued.prepaid_purchase_id = purchases.prepaid_purchase_id
