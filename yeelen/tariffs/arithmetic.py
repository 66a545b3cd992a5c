"""Exact arithmetic shared by the Python engine and the dbt models, so both agree to the franc.

Quantities are kept in thousandths (milli-units) as integers, and the only divisions are integer divisions
rounded half up (:func:`div_half_up`); money is computed exactly as a decimal and rounded once per line.
The SQL side uses the same steps (dbt_project/macros/pricing.sql).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from yeelen.tariffs.model import Rounding

MILLI = 1000
_ROUNDING = {Rounding.HALF_UP: ROUND_HALF_UP, Rounding.DOWN: ROUND_FLOOR, Rounding.UP: ROUND_CEILING}


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("div_half_up takes a non-negative numerator and a positive denominator")
    return (2 * numerator + denominator) // (2 * denominator)


def to_milli(quantity: Decimal) -> int:
    milli = quantity * MILLI
    if milli != milli.to_integral_value():
        raise ValueError(f"{quantity} has more than 3 decimals")
    return int(milli)


def from_milli(milli: int) -> Decimal:
    return Decimal(milli).scaleb(-3)


def round_amount(exact: Decimal, precision: int, rule: Rounding) -> Decimal:
    """An exact non-negative amount rounded to the currency's precision by the component's rule."""
    return exact.quantize(Decimal(1).scaleb(-precision), rounding=_ROUNDING[Rounding(rule)])
