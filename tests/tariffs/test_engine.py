"""Bills under the bundled grids, each amount computed by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yeelen.tariffs.engine import TariffError, quote
from yeelen.tariffs.loader import bundled_book

BOOK = bundled_book()
FEB = (dt.date(2026, 2, 1), dt.date(2026, 3, 1))


def amounts(result) -> dict[str, Decimal]:
    return {line.code: line.amount for line in result.lines}


def q(grid: str, consumption: int | str, start=FEB[0], end=FEB[1], **kwargs):
    return quote(BOOK, grid, Decimal(consumption), start, end, **{"meter_type": "single_phase", **kwargs})


def test_senelec_domestic_at_the_first_block_boundary() -> None:
    # 150 kWh: 150 x 82.00 = 12,300; municipal tax 2.5 % = 307.5 -> 308; meter fee 429; no VAT under 250.
    bill = q("SENELEC_DPP", 150)
    assert amounts(bill) == {"T1": 12300, "REDEVANCE": 429, "TCO": 308}
    assert bill.total == 13037


def test_senelec_domestic_one_kwh_into_the_second_block() -> None:
    # 151 kWh: 12,300 + 1 x 136.49 = 136.49 -> 136; TCO 2.5 % of 12,436 = 310.9 -> 311.
    bill = q("SENELEC_DPP", 151)
    assert amounts(bill) == {"T1": 12300, "T2": 136, "REDEVANCE": 429, "TCO": 311}
    assert bill.total == 13176


def test_senelec_domestic_vat_only_on_the_kwh_above_250() -> None:
    # 320 kWh: 12,300 + 13,649 + 70 x 159.36 = 11,155.2 -> 11,155; TCO 2.5 % of 37,104 = 927.6 -> 928;
    # VAT 18 % of the exact 11,155.2 above 250 kWh = 2,007.936 -> 2,008; fee 429.
    bill = q("SENELEC_DPP", 320)
    assert amounts(bill) == {"T1": 12300, "T2": 13649, "T3": 11155, "REDEVANCE": 429, "TCO": 928, "TVA": 2008}
    assert bill.total == 40469
    assert sum(line.amount for line in bill.lines) == bill.total


def test_zero_consumption_still_pays_the_meter_fee() -> None:
    bill = q("SENELEC_DPP", 0)
    assert amounts(bill) == {"REDEVANCE": 429}
    assert q("SENELEC_DPP", 0, meter_type="three_phase").total == 1425


def test_a_two_month_period_doubles_limits_and_fees() -> None:
    # Bimonthly, 300 kWh: all in the first block (0-300): 300 x 82 = 24,600; TCO 615; fee 2 x 429 = 858.
    bill = q("SENELEC_DPP", 300, dt.date(2026, 2, 1), dt.date(2026, 4, 1), cycle_months=2)
    assert amounts(bill) == {"T1": 24600, "REDEVANCE": 858, "TCO": 615}


def test_a_tariff_change_inside_the_period_is_shared_by_days() -> None:
    # 20 Dec 2025 to 20 Jan 2026: 31 days, 12 under the 2025 grid and 19 under the 2026 grid.
    # 300 kWh shared: 300 x 12/31 = 116.129 and the rest, 183.871; months 12/31 = 0.387 and 0.613.
    # 2025 part: limits 150 x 0.387 = 58.050 and 250 x 0.387 = 96.750.
    #   T1 58.05 x 91.17 = 5,292.4185 -> 5,292; T2 38.7 x 136.49 = 5,282.163 -> 5,282;
    #   T3 19.379 x 159.36 = 3,088.23744 -> 3,088; fee 429 x 0.387 = 166.023 -> 166;
    #   TCO 2.5 % of 13,662 = 341.55 -> 342; VAT 18 % of 3,088.23744 = 555.88 -> 556.
    # 2026 part: limits 150 x 0.613 = 91.950 and 250 x 0.613 = 153.250.
    #   T1 91.95 x 82 = 7,539.9 -> 7,540; T2 61.3 x 136.49 = 8,366.837 -> 8,367;
    #   T3 30.621 x 159.36 = 4,879.76256 -> 4,880; fee 429 x 0.613 = 262.977 -> 263;
    #   TCO 2.5 % of 20,787 = 519.675 -> 520; VAT 18 % of 4,879.76256 = 878.36 -> 878.
    bill = q("SENELEC_DPP", 300, dt.date(2025, 12, 20), dt.date(2026, 1, 20))
    parts = {(line.version_from.year, line.code): (line.quantity, line.amount) for line in bill.lines}
    assert parts[(2025, "T1")] == (Decimal("58.050"), 5292)
    assert parts[(2025, "T2")] == (Decimal("38.700"), 5282)
    assert parts[(2025, "T3")] == (Decimal("19.379"), 3088)
    assert parts[(2025, "REDEVANCE")] == (Decimal("0.387"), 166)
    assert parts[(2025, "TCO")][1] == 342
    assert parts[(2025, "TVA")][1] == 556
    assert parts[(2026, "T1")] == (Decimal("91.950"), 7540)
    assert parts[(2026, "T2")] == (Decimal("61.300"), 8367)
    assert parts[(2026, "T3")] == (Decimal("30.621"), 4880)
    assert parts[(2026, "REDEVANCE")] == (Decimal("0.613"), 263)
    assert parts[(2026, "TCO")][1] == 520
    assert parts[(2026, "TVA")][1] == 878
    assert sum(line.quantity for line in bill.lines if line.kind == "energy") == 300
    assert bill.total == 37174


def test_by_level_pricing_just_under_and_just_over_its_threshold() -> None:
    # Social grid, by level: 150 kWh stays at level 2 (82.00) for the whole consumption: 12,300 + TCO 308 + 429.
    assert amounts(q("SOCIAL_DOM", 150)) == {"N2": 12300, "REDEVANCE": 429, "TCO": 308}
    # 151 kWh reaches level 3: all 151 at 112.00 = 16,912; TCO 422.8 -> 423.
    eligible = [(Decimal(100), 1), (Decimal(100), 1)]  # average (100, 100, 151) stays under 150
    assert amounts(q("SOCIAL_DOM", 151, history=eligible)) == {"N3": 16912, "REDEVANCE": 429, "TCO": 423}
    # 50 kWh: level 1 at 70.00 = 3,500; TCO 87.5 -> 88.
    assert amounts(q("SOCIAL_DOM", 50)) == {"N1": 3500, "REDEVANCE": 429, "TCO": 88}


def test_eligibility_is_lost_then_regained_on_the_average_of_three_periods() -> None:
    # Average of (140, 150, 161) = 150.33 > 150: billed on the general domestic grid.
    lost = q("SOCIAL_DOM", 161, history=[(Decimal(140), 1), (Decimal(150), 1)])
    assert lost.grid_code == "SENELEC_DPP"
    assert lost.requested_grid == "SOCIAL_DOM"
    assert "SENELEC_DPP" in lost.notes[0]
    # Average of (140, 150, 160) = 150: kept.
    kept = q("SOCIAL_DOM", 160, history=[(Decimal(140), 1), (Decimal(150), 1)])
    assert kept.grid_code == "SOCIAL_DOM"
    # A bimonthly period counts per month: 400 kWh over two months = 200 a month.
    assert q("SOCIAL_DOM", 100, history=[(Decimal(400), 2), (Decimal(100), 1)]).grid_code == "SOCIAL_DOM"
    assert q("SOCIAL_DOM", 200, history=[(Decimal(400), 2), (Decimal(100), 1)]).grid_code == "SENELEC_DPP"


def test_fixed_charge_by_subscribed_power_and_vat_on_all_lines() -> None:
    # Professional, 9 kVA (step up to 12: 3,000 F), 80 kWh: 80 x 148.50 = 11,880;
    # TCO 2.5 % of 11,880 = 297; VAT 18 % of (11,880 + 3,000) = 2,678.4 -> 2,678.
    bill = q("PRO_BT", 80, subscribed_power=Decimal(9))
    assert amounts(bill) == {"T1": 11880, "PRIME_FIXE": 3000, "TCO": 297, "TVA": 2678}


def test_medium_voltage_demand_charge_and_levy_per_kwh() -> None:
    # 250 kVA, 42,000 kWh: 4,410,000 energy; demand 250 x 2,800 = 700,000;
    # levy 0.70 x 42,000 = 29,400; VAT 18 % of 5,110,000 = 919,800.
    bill = q("MT_GENERAL", 42000, meter_type="mv", subscribed_power=Decimal(250))
    assert amounts(bill) == {"T1": 4410000, "PRIME_PUISSANCE": 700000, "FER": 29400, "TVA": 919800}


def test_seneau_domestic_water_per_sixty_days() -> None:
    # 45 m3 over two months (limits 20 / 40): 20 x 202 = 4,040; 20 x 697.97 = 13,959.4 -> 13,959;
    # 5 x 878.35 = 4,391.75 -> 4,392; meter 15 mm: 2 x 450 = 900; VAT 18 % of the m3 above 20:
    # (13,959.4 + 4,391.75) x 0.18 = 3,303.207 -> 3,303.
    bill = q(
        "SENEAU_DOM",
        45,
        dt.date(2026, 1, 5),
        dt.date(2026, 3, 5),
        cycle_months=2,
        meter_type="water",
        subscribed_power=Decimal(15),
    )
    assert amounts(bill) == {"T1": 4040, "T2": 13959, "T3": 4392, "LOCATION_COMPTEUR": 900, "TVA": 3303}


def test_refusals_say_what_is_missing() -> None:
    with pytest.raises(TariffError, match="no amount for meter type 'mv'"):
        q("SENELEC_DPP", 10, meter_type="mv")
    with pytest.raises(TariffError, match=r"depends on the meter type, and none was given \(one of: single_phase"):
        q("SENELEC_DPP", 10, meter_type=None)
    with pytest.raises(TariffError, match="no version in force"):
        q("SENELEC_DPP", 10, dt.date(2024, 12, 1), dt.date(2025, 1, 15))
    with pytest.raises(TariffError, match="cannot be negative"):
        q("SENELEC_DPP", -5)
    with pytest.raises(KeyError, match="no tariff grid 'NOPE'"):
        q("NOPE", 5)
