"""Prepaid vending (*Woyofal*, *ISAGO*): an amount paid turned into energy.

The blocks are counted over the calendar month: a purchase continues from the energy already bought earlier in
the month. The month's fixed charges (and the taxes on them) are taken from the month's first purchase.

How the energy is found:
1. The fixed charges come off first when this is the month's first purchase (refused if the amount is lower).
2. The blocks above the energy already bought are cut at every tax threshold, so that each segment has one
   price per unit including its taxes; the money left buys whole segments in order, and the last one in part,
   to the vending resolution (0.1 kWh by default), rounded down.
3. The purchase is then priced forward like a bill (each line rounded by its rule); when line rounding would
   take it over the amount paid, one resolution step less is sold. What stays of the amount is the remainder,
   credited to the customer's next purchase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from yeelen.tariffs.arithmetic import from_milli, round_amount, to_milli
from yeelen.tariffs.engine import BillLine, TariffError, _fixed_amount, block_label
from yeelen.tariffs.model import Pricing, TariffBook, TariffVersion, TaxBase


@dataclass(frozen=True)
class Vend:
    grid_code: str
    purchase_date: dt.date
    amount_paid: Decimal
    energy: Decimal
    unit: str
    month_energy_before: Decimal
    lines: tuple[BillLine, ...]
    total_charged: Decimal
    remainder: Decimal
    currency: str

    def as_dict(self) -> dict:
        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, BillLine):
                return {key: plain(item) for key, item in value.__dict__.items()}
            if isinstance(value, (list, tuple)):
                return [plain(item) for item in value]
            return value

        return {key: plain(value) for key, value in self.__dict__.items()}


def _version_at(book: TariffBook, grid_code: str, day: dt.date) -> tuple[TariffVersion, str, str]:
    grid = book.grid(grid_code)
    version = next((v for v in grid.versions if v.covers(day)), None)
    if version is None:
        raise TariffError(f"grid {grid_code} has no version in force on {day}")
    if version.pricing != Pricing.PROGRESSIVE:
        raise TariffError(f"prepaid vending needs progressive blocks; grid {grid_code} prices by level")
    return version, grid.unit, grid.code


def _fee_lines(version: TariffVersion, *, precision: int, meter_type, power, language, day) -> list[BillLine]:
    common = {"part_start": day, "part_end": day, "version_from": version.valid_from}
    lines = []
    for charge in version.fixed_charges:
        monthly = _fixed_amount(charge, meter_type, power)
        amount = round_amount(monthly, precision, charge.rounding)
        lines.append(
            BillLine("fixed", charge.code, charge.label.text(language), Decimal(1), monthly, None, amount, **common)
        )
    for demand in version.demand_charges:
        if power is None:
            raise TariffError(f"demand charge {demand.code} needs the contract's subscribed power")
        amount = round_amount(power * demand.price_per_unit, precision, demand.rounding)
        lines.append(
            BillLine(
                "demand", demand.code, demand.label.text(language), power, demand.price_per_unit, None, amount, **common
            )
        )
    fees = sum((line.amount for line in lines), Decimal(0))
    for tax in version.taxes:
        if tax.base == TaxBase.ALL_LINES and fees > 0:
            amount = round_amount(fees * tax.rate, precision, tax.rounding)
            lines.append(BillLine("tax", tax.code, tax.label.text(language), None, tax.rate, fees, amount, **common))
    return lines


def _segments(version: TariffVersion, start_milli: int) -> list[tuple[int, int | None, Decimal]]:
    """Segments [low, high) above ``start_milli`` with their price per unit, taxes on energy included."""
    cuts = sorted({to_milli(t.threshold) for t in version.taxes if t.threshold is not None})
    segments = []
    lower = 0
    for block in version.blocks:
        upper = None if block.up_to is None else to_milli(block.up_to)
        points = [lower, *[c for c in cuts if c > lower and (upper is None or c < upper)]]
        for index, low in enumerate(points):
            high = points[index + 1] if index + 1 < len(points) else upper
            if high is not None and high <= start_milli:
                continue
            low = max(low, start_milli)
            rate_sum = Decimal(0)
            per_unit = Decimal(0)
            for tax in version.taxes:
                threshold = 0 if tax.threshold is None else to_milli(tax.threshold)
                if (
                    tax.base in (TaxBase.ENERGY_AMOUNT, TaxBase.ALL_LINES)
                    or tax.base == TaxBase.CONSUMPTION_ABOVE
                    and low >= threshold
                ):
                    rate_sum += tax.rate
                elif tax.base == TaxBase.PER_UNIT and low >= threshold:
                    per_unit += tax.rate
            segments.append((low, high, block.price * (1 + rate_sum) + per_unit))
        if upper is None:
            break
        lower = upper
    return segments


def energy_lines(
    version: TariffVersion,
    unit: str,
    start_milli: int,
    bought_milli: int,
    *,
    precision: int,
    language: str,
    day: dt.date,
) -> list[BillLine]:
    """Lines of the energy bought between ``start_milli`` and ``start_milli + bought_milli`` this month."""
    common = {"part_start": day, "part_end": day, "version_from": version.valid_from}
    end = start_milli + bought_milli
    lines: list[BillLine] = []
    lower = 0
    above: dict[str, Decimal] = {tax.code: Decimal(0) for tax in version.taxes}
    for index, block in enumerate(version.blocks, start=1):
        upper = None if block.up_to is None else to_milli(block.up_to)
        low, high = max(lower, start_milli), end if upper is None else min(end, upper)
        if high > low:
            amount = round_amount(from_milli(high - low) * block.price, precision, version.energy_rounding)
            lines.append(
                BillLine(
                    "energy",
                    f"T{index}",
                    block_label(index, lower, upper, unit, language, False),
                    from_milli(high - low),
                    block.price,
                    None,
                    amount,
                    **common,
                )
            )
            for tax in version.taxes:
                if tax.base == TaxBase.CONSUMPTION_ABOVE:
                    part = max(0, high - max(low, to_milli(tax.threshold)))
                    above[tax.code] += from_milli(part) * block.price
        if upper is None:
            break
        lower = upper
    energy_total = sum((line.amount for line in lines), Decimal(0))
    for tax in version.taxes:
        if tax.base in (TaxBase.ENERGY_AMOUNT, TaxBase.ALL_LINES):
            base = energy_total
        elif tax.base == TaxBase.CONSUMPTION_ABOVE:
            base = above[tax.code]
        else:
            threshold = 0 if tax.threshold is None else to_milli(tax.threshold)
            base = from_milli(max(0, end - max(start_milli, threshold)))
        if base > 0:
            amount = round_amount(base * tax.rate, precision, tax.rounding)
            lines.append(BillLine("tax", tax.code, tax.label.text(language), None, tax.rate, base, amount, **common))
    return lines


def vend(
    book: TariffBook,
    grid_code: str,
    amount_paid: Decimal,
    purchase_date: dt.date,
    *,
    month_energy_before: Decimal = Decimal(0),
    first_purchase_of_month: bool = True,
    meter_type: str | None = None,
    subscribed_power: Decimal | None = None,
    resolution: Decimal = Decimal("0.1"),
    language: str = "fr",
) -> Vend:
    """The energy that ``amount_paid`` buys on ``purchase_date``, with the lines that make up its price."""
    amount_paid = Decimal(amount_paid)
    if amount_paid <= 0:
        raise TariffError(f"the amount paid must be positive ({amount_paid})")
    # Money is paid in the currency's own units: 5000.0 F is 5000 F, 5000.5 F cannot be paid.
    unit_of_money = Decimal(1).scaleb(-book.precision)
    if amount_paid != amount_paid.quantize(unit_of_money):
        raise TariffError(
            f"the amount paid ({amount_paid} {book.currency}) has more decimals than {book.currency} has "
            f"({book.precision})"
        )
    amount_paid = amount_paid.quantize(unit_of_money)
    version, unit, code = _version_at(book, grid_code, purchase_date)
    fees = (
        _fee_lines(
            version,
            precision=book.precision,
            meter_type=meter_type,
            power=subscribed_power,
            language=language,
            day=purchase_date,
        )
        if first_purchase_of_month
        else []
    )
    fee_total = sum((line.amount for line in fees), Decimal(0))
    if amount_paid < fee_total:
        raise TariffError(
            f"the amount paid ({amount_paid} {book.currency}) does not cover this month's fixed charges "
            f"({fee_total} {book.currency}); the first purchase of a month must pay at least that"
        )
    money = amount_paid - fee_total
    start = to_milli(Decimal(month_energy_before))
    step = to_milli(resolution)

    bought = 0
    for low, high, unit_cost in _segments(version, start):
        room = None if high is None else high - low
        full_cost = None if room is None else from_milli(room) * unit_cost
        if full_cost is not None and full_cost <= money:
            bought += room
            money -= full_cost
            continue
        # Whole resolution steps of this segment that the money left still buys.
        affordable = int((money / (from_milli(step) * unit_cost)).to_integral_value(rounding="ROUND_FLOOR"))
        bought += affordable * step
        break

    def priced(milli: int) -> list[BillLine]:
        return energy_lines(version, unit, start, milli, precision=book.precision, language=language, day=purchase_date)

    lines = priced(bought)
    while bought > 0 and fee_total + sum((line.amount for line in lines), Decimal(0)) > amount_paid:
        bought -= step
        lines = priced(bought)
    all_lines = (*fees, *lines)
    total = sum((line.amount for line in all_lines), Decimal(0))
    return Vend(
        grid_code=code,
        purchase_date=purchase_date,
        amount_paid=amount_paid,
        energy=from_milli(bought),
        unit=unit,
        month_energy_before=Decimal(month_energy_before),
        lines=all_lines,
        total_charged=total,
        remainder=amount_paid - total,
        currency=book.currency,
    )
