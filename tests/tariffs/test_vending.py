from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yeelen.tariffs.engine import TariffError
from yeelen.tariffs.loader import bundled_book
from yeelen.tariffs.vending import vend

BOOK = bundled_book()
DAY = dt.date(2026, 3, 3)


def test_first_purchase_of_the_month_pays_the_meter_fee_first() -> None:
    # 10,000 F: fee 429 leaves 9,571; one kWh costs 82 x 1.025 = 84.05 with the municipal tax;
    # 9,571 / 84.05 = 113.87 -> 113.8 kWh (0.1 kWh steps, rounded down).
    # Lines: 113.8 x 82 = 9,331.6 -> 9,332; TCO 2.5 % of 9,332 = 233.3 -> 233; charged 429 + 9,332 + 233 = 9,994.
    sale = vend(BOOK, "SENELEC_DPP", Decimal(10000), DAY, meter_type="single_phase")
    assert sale.energy == Decimal("113.8")
    assert {line.code: line.amount for line in sale.lines} == {"REDEVANCE": 429, "T1": 9332, "TCO": 233}
    assert sale.total_charged == 9994
    assert sale.remainder == 6


def test_a_later_purchase_continues_the_month_across_block_boundaries() -> None:
    # 115 kWh bought earlier this month, no fee. 20,000 F buys:
    #   35 kWh to 150 at 84.05 = 2,941.75 (left 17,058.25);
    #   100 kWh to 250 at 136.49 x 1.025 = 139.90225 -> 13,990.225 (left 3,068.025);
    #   above 250 at 159.36 x (1.025 + 0.18) = 192.0288 a kWh -> 15.97 -> 15.9 kWh.
    # Lines: 2,870 + 13,649 + 15.9 x 159.36 = 2,533.824 -> 2,534; TCO 2.5 % of 19,053 = 476.325 -> 476;
    # VAT 18 % of 2,533.824 = 456.08 -> 456. Charged 19,985, remainder 15.
    sale = vend(
        BOOK,
        "SENELEC_DPP",
        Decimal(20000),
        dt.date(2026, 3, 20),
        month_energy_before=Decimal(115),
        first_purchase_of_month=False,
        meter_type="single_phase",
    )
    assert sale.energy == Decimal("150.9")
    assert {line.code: line.amount for line in sale.lines} == {
        "T1": 2870,
        "T2": 13649,
        "T3": 2534,
        "TCO": 476,
        "TVA": 456,
    }
    assert sale.total_charged == 19985
    assert sale.remainder == 15


def test_the_amount_never_exceeds_what_was_paid() -> None:
    for amount in range(500, 60000, 733):
        sale = vend(BOOK, "SENELEC_DPP", Decimal(amount), DAY, meter_type="single_phase")
        assert sale.remainder >= 0
        assert sale.total_charged + sale.remainder == amount


def test_an_amount_finer_than_the_currency_is_refused() -> None:
    with pytest.raises(TariffError, match=r"\(5000.5 XOF\) has more decimals than XOF has \(0\)"):
        vend(BOOK, "SENELEC_DPP", Decimal("5000.5"), DAY, meter_type="single_phase")
    whole = vend(BOOK, "SENELEC_DPP", Decimal("5000.00"), DAY, meter_type="single_phase")
    assert str(whole.amount_paid) == str(whole.total_charged + whole.remainder) == "5000"


def test_a_first_purchase_below_the_fee_is_refused() -> None:
    with pytest.raises(TariffError, match="does not cover this month's fixed charges"):
        vend(BOOK, "SENELEC_DPP", Decimal(300), DAY, meter_type="single_phase")


def test_vending_refuses_a_grid_priced_by_level() -> None:
    with pytest.raises(TariffError, match="progressive"):
        vend(BOOK, "SOCIAL_DOM", Decimal(5000), DAY)
