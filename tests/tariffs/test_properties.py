"""Invariants of billing over random consumptions and periods."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from yeelen.tariffs.engine import quote
from yeelen.tariffs.loader import bundled_book

BOOK = bundled_book()
GRIDS = {
    "SENELEC_DPP": {"meter_type": "single_phase"},
    "PRO_BT": {"subscribed_power": Decimal(9)},
    "MT_GENERAL": {"subscribed_power": Decimal(400)},
    "SENEAU_DOM": {"subscribed_power": Decimal(15)},
    "EP_BT": {},
}

consumptions = st.decimals(min_value=0, max_value=20000, places=3, allow_nan=False, allow_infinity=False)
starts = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 6, 1))


@settings(max_examples=300, deadline=None)
@given(
    grid=st.sampled_from(sorted(GRIDS)),
    consumption=consumptions,
    start=starts,
    cycle=st.sampled_from([1, 2]),
    days=st.integers(min_value=1, max_value=70),
)
def test_amounts_never_negative_and_total_is_the_sum_of_lines(grid, consumption, start, cycle, days) -> None:
    bill = quote(BOOK, grid, consumption, start, start + dt.timedelta(days=days), cycle_months=cycle, **GRIDS[grid])
    assert all(line.amount >= 0 for line in bill.lines)
    assert bill.total == sum(line.amount for line in bill.lines)
    assert all(line.amount == line.amount.to_integral_value() for line in bill.lines)  # XOF has no decimals
    # Every unit consumed is priced once, whatever the versions and blocks.
    assert sum(line.quantity for line in bill.lines if line.kind == "energy") == consumption


@settings(max_examples=200, deadline=None)
@given(consumption=consumptions, extra=st.decimals(min_value=0, max_value=500, places=3), start=starts)
def test_more_consumption_never_costs_less(consumption, extra, start) -> None:
    end = start + dt.timedelta(days=30)
    low = quote(BOOK, "SENELEC_DPP", consumption, start, end, meter_type="single_phase")
    high = quote(BOOK, "SENELEC_DPP", consumption + extra, start, end, meter_type="single_phase")
    assert high.total >= low.total


@settings(max_examples=200, deadline=None)
@given(consumption=consumptions, start=starts, days=st.integers(min_value=1, max_value=62))
def test_a_version_applies_only_inside_its_validity(consumption, start, days) -> None:
    end = start + dt.timedelta(days=days)
    bill = quote(BOOK, "SENELEC_DPP", consumption, start, end, meter_type="single_phase")
    for line in bill.lines:
        version = next(v for v in BOOK.grid("SENELEC_DPP").versions if v.valid_from == line.version_from)
        assert version.covers(line.part_start)
        assert version.valid_to is None or line.part_end <= version.valid_to
