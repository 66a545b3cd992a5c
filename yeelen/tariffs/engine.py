"""A bill for one contract and one period under a tariff grid, evaluated in Python.

This is the real-time side of billing (cash desk, customer service, prepaid vending); the mass billing in dbt
applies the same rules with the same arithmetic, and a differential test holds both to the franc.

How a period is billed:
1. Eligibility: a grid with an eligibility rule is kept only while the average monthly consumption of the last
   N periods (this one included) stays at or under its limit; otherwise the fallback grid bills the period.
2. The period [start, end) is cut into parts, one per tariff version in force; the consumption is shared
   between parts by days (cumulative shares rounded to the thousandth, so the parts add up exactly).
3. Each part's *months* are the cycle's months (1 or 2) shared by days, or days / days_per_month when the grid
   scales by days; block limits, thresholds and monthly charges are multiplied by them.
4. Lines: one per block reached (progressive) or one for the level reached (by level); each fixed and demand
   charge; each tax on its base. Each line is computed exactly and rounded by its own rule; the total is the
   sum of the rounded lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yeelen.errors import YeelenError
from yeelen.tariffs.arithmetic import MILLI, div_half_up, from_milli, round_amount, to_milli
from yeelen.tariffs.model import (
    Block,
    FixedCharge,
    Pricing,
    TariffBook,
    TariffGrid,
    TariffVersion,
    TaxBase,
)


class TariffError(YeelenError):
    """The tariff cannot bill this case; the message says what is missing."""


@dataclass(frozen=True)
class BillLine:
    kind: str  # energy, fixed, demand, tax
    code: str
    label: str
    quantity: Decimal | None
    unit_price: Decimal | None
    base: Decimal | None
    amount: Decimal
    part_start: dt.date
    part_end: dt.date
    version_from: dt.date


@dataclass(frozen=True)
class Quote:
    grid_code: str
    requested_grid: str
    consumption: Decimal
    unit: str
    period_start: dt.date
    period_end: dt.date
    cycle_months: int
    currency: str
    precision: int
    lines: tuple[BillLine, ...]
    total: Decimal
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        """A JSON-ready view: decimals as strings, dates in ISO format."""

        def plain(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, (list, tuple)):
                return [plain(item) for item in value]
            if isinstance(value, dict):
                return {key: plain(item) for key, item in value.items()}
            return value

        return plain(asdict(self))


@dataclass(frozen=True)
class PeriodPart:
    version: TariffVersion
    start: dt.date
    end: dt.date
    quantity_milli: int
    months_milli: int


def split_period(
    grid: TariffGrid, consumption: Decimal, start: dt.date, end: dt.date, cycle_months: int
) -> list[PeriodPart]:
    """The versions in force over [start, end) with the consumption and the months each one bills."""
    if end <= start:
        raise TariffError(f"the period must end after it starts ({start} to {end})")
    total_days = (end - start).days
    parts = grid.versions_between(start, end)
    covered = sum((part_end - part_start).days for _, part_start, part_end in parts)
    if covered != total_days:
        raise TariffError(f"grid {grid.code} has no version in force for part of the period {start} to {end}")
    quantity_milli = to_milli(consumption)
    result = []
    for version, part_start, part_end in parts:
        days_before, days_through = (part_start - start).days, (part_end - start).days
        share = div_half_up(quantity_milli * days_through, total_days) - div_half_up(
            quantity_milli * days_before, total_days
        )
        result.append(
            PeriodPart(
                version,
                part_start,
                part_end,
                share,
                _months_milli(grid, cycle_months, part_start, part_end, start, total_days),
            )
        )
    return result


def _months_milli(
    grid: TariffGrid, cycle_months: int, part_start: dt.date, part_end: dt.date, start: dt.date, total_days: int
) -> int:
    days_before, days_through = (part_start - start).days, (part_end - start).days
    if grid.scaling.value == "days":
        return div_half_up(MILLI * days_through, grid.days_per_month) - div_half_up(
            MILLI * days_before, grid.days_per_month
        )
    return div_half_up(cycle_months * MILLI * days_through, total_days) - div_half_up(
        cycle_months * MILLI * days_before, total_days
    )


def scaled_milli(limit: Decimal, months_milli: int) -> int:
    """A monthly limit or threshold scaled to a part's months, in milli-units."""
    return div_half_up(to_milli(limit) * months_milli, MILLI)


def block_bounds(blocks: Sequence[Block], months_milli: int) -> list[tuple[int, int | None]]:
    bounds = []
    lower = 0
    for block in blocks:
        upper = None if block.up_to is None else scaled_milli(block.up_to, months_milli)
        bounds.append((lower, upper))
        lower = upper if upper is not None else lower
    return bounds


def _exact(quantity_milli: int, price: Decimal) -> Decimal:
    return from_milli(quantity_milli) * price


def _fixed_amount(charge: FixedCharge, meter_type: str | None, power: Decimal | None) -> Decimal:
    if charge.by == "flat":
        return charge.amount
    if charge.by == "meter_type":
        if meter_type is None or meter_type not in charge.amounts:
            known = ", ".join(sorted(charge.amounts))
            if meter_type is None:
                raise TariffError(
                    f"charge {charge.code} depends on the meter type, and none was given (one of: {known})"
                )
            raise TariffError(f"charge {charge.code} has no amount for meter type {meter_type!r} (known: {known})")
        return charge.amounts[meter_type]
    if power is None:
        raise TariffError(f"charge {charge.code} is by subscribed power, but the contract has none")
    for step in charge.steps:
        if step.up_to is None or power <= step.up_to:
            return step.amount
    raise TariffError(f"charge {charge.code} has no step for a subscribed power of {power}")


def block_label(index: int, lower: int, upper: int | None, unit: str, language: str, by_level: bool) -> str:
    low, high = from_milli(lower).normalize(), None if upper is None else from_milli(upper).normalize()
    if language == "en":
        name = "Level" if by_level else "Block"
        span = f"over {low:f} {unit}" if high is None else f"{low:f} to {high:f} {unit}"
        return f"{name} {index} ({span}{', whole consumption' if by_level else ''})"
    name = "Niveau" if by_level else "Tranche"
    span = f"au-delà de {low:f} {unit}" if high is None else f"{low:f} à {high:f} {unit}"
    return f"{name} {index} ({span}{', toute la consommation' if by_level else ''})"


def price_part(
    grid: TariffGrid,
    part: PeriodPart,
    *,
    precision: int,
    meter_type: str | None,
    subscribed_power: Decimal | None,
    language: str = "fr",
) -> list[BillLine]:
    """The lines of one part of a period under one tariff version."""
    version = part.version
    common = {"part_start": part.start, "part_end": part.end, "version_from": version.valid_from}
    quantity = part.quantity_milli
    bounds = block_bounds(version.blocks, part.months_milli)
    energy: list[BillLine] = []
    above_exact: dict[str, Decimal] = {}

    if version.pricing == Pricing.PROGRESSIVE:
        for index, (block, (lower, upper)) in enumerate(zip(version.blocks, bounds, strict=True), start=1):
            in_block = max(0, (quantity if upper is None else min(quantity, upper)) - lower)
            if in_block == 0:
                continue
            amount = round_amount(_exact(in_block, block.price), precision, version.energy_rounding)
            label = block_label(index, lower, upper, grid.unit, language, by_level=False)
            energy.append(
                BillLine("energy", f"T{index}", label, from_milli(in_block), block.price, None, amount, **common)
            )
    else:
        index, block, (lower, upper) = next(
            (i, b, bound)
            for i, (b, bound) in enumerate(zip(version.blocks, bounds, strict=True), start=1)
            if bound[1] is None or quantity <= bound[1]
        )
        if quantity > 0:
            amount = round_amount(_exact(quantity, block.price), precision, version.energy_rounding)
            label = block_label(index, lower, upper, grid.unit, language, by_level=True)
            energy.append(
                BillLine("energy", f"N{index}", label, from_milli(quantity), block.price, None, amount, **common)
            )

    for tax in version.taxes:
        if tax.base in (TaxBase.CONSUMPTION_ABOVE, TaxBase.PER_UNIT) and tax.threshold is not None:
            threshold = scaled_milli(tax.threshold, part.months_milli)
        else:
            threshold = 0
        if tax.base == TaxBase.CONSUMPTION_ABOVE:
            above_exact[tax.code] = _energy_above(version, bounds, quantity, threshold)

    months = from_milli(part.months_milli)
    charges: list[BillLine] = []
    for charge in version.fixed_charges:
        monthly = _fixed_amount(charge, meter_type, subscribed_power)
        amount = round_amount(monthly * months, precision, charge.rounding)
        charges.append(
            BillLine("fixed", charge.code, charge.label.text(language), months, monthly, None, amount, **common)
        )
    for demand in version.demand_charges:
        if subscribed_power is None:
            raise TariffError(f"demand charge {demand.code} needs the contract's subscribed power")
        exact = subscribed_power * demand.price_per_unit * months
        amount = round_amount(exact, precision, demand.rounding)
        charges.append(
            BillLine(
                "demand",
                demand.code,
                demand.label.text(language),
                (subscribed_power * months).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP),
                demand.price_per_unit,
                None,
                amount,
                **common,
            )
        )

    energy_total = sum((line.amount for line in energy), Decimal(0))
    all_lines_total = energy_total + sum((line.amount for line in charges), Decimal(0))
    taxes: list[BillLine] = []
    for tax in version.taxes:
        if tax.base == TaxBase.ENERGY_AMOUNT:
            base = energy_total
        elif tax.base == TaxBase.ALL_LINES:
            base = all_lines_total
        elif tax.base == TaxBase.CONSUMPTION_ABOVE:
            base = above_exact[tax.code]
        else:
            threshold = 0 if tax.threshold is None else scaled_milli(tax.threshold, part.months_milli)
            base = from_milli(max(0, quantity - threshold))
        if base <= 0:
            continue
        amount = round_amount(base * tax.rate, precision, tax.rounding)
        taxes.append(BillLine("tax", tax.code, tax.label.text(language), None, tax.rate, base, amount, **common))
    return [*energy, *charges, *taxes]


def _energy_above(
    version: TariffVersion, bounds: list[tuple[int, int | None]], quantity: int, threshold: int
) -> Decimal:
    """The exact energy amount of the units consumed above ``threshold`` (milli-units)."""
    if version.pricing == Pricing.BY_LEVEL:
        block = next(
            b for b, bound in zip(version.blocks, bounds, strict=True) if bound[1] is None or quantity <= bound[1]
        )
        return _exact(max(0, quantity - threshold), block.price)
    total = Decimal(0)
    for block, (lower, upper) in zip(version.blocks, bounds, strict=True):
        top = quantity if upper is None else min(quantity, upper)
        above = max(0, top - max(lower, threshold))
        total += _exact(above, block.price)
    return total


def effective_grid(
    book: TariffBook,
    grid: TariffGrid,
    consumption: Decimal,
    cycle_months: int,
    end: dt.date,
    history: Sequence[tuple[Decimal, int]],
) -> tuple[TariffGrid, tuple[str, ...]]:
    """The grid that bills the period once eligibility rules are applied (following fallbacks)."""
    notes: list[str] = []
    seen = {grid.code}
    last_day = end - dt.timedelta(days=1)
    while True:
        version = next((v for v in grid.versions if v.covers(last_day)), None)
        if version is None or version.eligibility is None:
            return grid, tuple(notes)
        rule = version.eligibility
        periods = (
            [*history[-(rule.periods - 1) :], (consumption, cycle_months)]
            if rule.periods > 1
            else [(consumption, cycle_months)]
        )
        # average of consumption per month <= limit, in integers: sum(c * 2 / months) <= 2 * n * limit
        doubled = sum(to_milli(c) * (2 // months) for c, months in periods)
        if doubled <= 2 * len(periods) * to_milli(rule.max_monthly_average):
            return grid, tuple(notes)
        notes.append(
            f"{grid.code}: average over {len(periods)} periods above {rule.max_monthly_average} per month, "
            f"billed on {rule.fallback_grid}"
        )
        grid = book.grid(rule.fallback_grid)
        if grid.code in seen:
            raise TariffError(f"eligibility fallbacks loop through {grid.code}")
        seen.add(grid.code)


def quote(
    book: TariffBook,
    grid_code: str,
    consumption: Decimal,
    period_start: dt.date,
    period_end: dt.date,
    *,
    cycle_months: int = 1,
    meter_type: str | None = None,
    subscribed_power: Decimal | None = None,
    history: Sequence[tuple[Decimal, int]] = (),
    language: str = "fr",
) -> Quote:
    """The bill for ``consumption`` over [period_start, period_end) under ``grid_code``.

    ``history`` lists earlier periods as (consumption, cycle months), oldest first, for eligibility rules.
    """
    if cycle_months not in (1, 2):
        raise TariffError(f"a billing cycle is one or two months, not {cycle_months}")
    consumption = Decimal(consumption)
    if consumption < 0:
        raise TariffError(f"consumption cannot be negative ({consumption})")
    requested = book.grid(grid_code)
    grid, notes = effective_grid(book, requested, consumption, cycle_months, period_end, history)
    lines: list[BillLine] = []
    for part in split_period(grid, consumption, period_start, period_end, cycle_months):
        lines.extend(
            price_part(
                grid,
                part,
                precision=book.precision,
                meter_type=meter_type,
                subscribed_power=subscribed_power,
                language=language,
            )
        )
    total = sum((line.amount for line in lines), Decimal(0))
    return Quote(
        grid_code=grid.code,
        requested_grid=requested.code,
        consumption=consumption,
        unit=grid.unit,
        period_start=period_start,
        period_end=period_end,
        cycle_months=cycle_months,
        currency=book.currency,
        precision=book.precision,
        lines=tuple(lines),
        total=total,
        notes=notes,
    )
