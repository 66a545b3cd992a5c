"""Tariff grids as data: versions with validity dates, blocks, fixed and demand charges, taxes, eligibility.

A grid is what a regulator publishes for a category of customers (Senelec's domestic low-voltage grid, SEN'EAU's
domestic water grid...). Every version of a grid is kept with the dates it was in force and the legal source
that set it; a bill over a period that spans a change is shared by days between the versions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yeelen.errors import YeelenError

# Quantities are exact to the thousandth of a unit (kWh, m3, kVA); prices to the ten-thousandth of the currency.
QUANTITY_SCALE = 3
PRICE_SCALE = 4
RATE_SCALE = 6


def _max_scale(value: Decimal, scale: int, what: str) -> Decimal:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > scale:
        raise ValueError(f"{what} {value} has more than {scale} decimals")
    return value


Quantity = Annotated[Decimal, Field(ge=0, max_digits=15)]
Price = Annotated[Decimal, Field(ge=0, max_digits=14)]
Rate = Annotated[Decimal, Field(ge=0, max_digits=12)]


class Rounding(StrEnum):
    """How a line's exact amount becomes an amount in the currency's precision."""

    HALF_UP = "half_up"
    DOWN = "down"
    UP = "up"


class Pricing(StrEnum):
    PROGRESSIVE = "progressive"  # each unit priced in its own block
    BY_LEVEL = "by_level"  # the whole consumption priced at the block it reaches


class PeriodScaling(StrEnum):
    CYCLE = "cycle"  # limits and monthly charges times the months of the billing cycle (1 or 2)
    DAYS = "days"  # limits and monthly charges times the period's days / days_per_month


class TaxBase(StrEnum):
    ENERGY_AMOUNT = "energy_amount"  # the energy (block) lines only
    ALL_LINES = "all_lines"  # energy, fixed and demand lines (never other taxes)
    CONSUMPTION_ABOVE = "consumption_above"  # the energy amount of the units above a threshold
    PER_UNIT = "per_unit"  # a rate per unit consumed (above an optional threshold)


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.fr


class Block(BaseModel):
    """A block (*tranche*) up to a limit per month (None: no upper limit) at a price per unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    up_to: Quantity | None = None
    price: Price

    @field_validator("up_to")
    @classmethod
    def _up_to_scale(cls, value: Decimal | None) -> Decimal | None:
        return None if value is None else _max_scale(value, QUANTITY_SCALE, "block limit")

    @field_validator("price")
    @classmethod
    def _price_scale(cls, value: Decimal) -> Decimal:
        return _max_scale(value, PRICE_SCALE, "price")


class PowerStep(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    up_to: Quantity | None = None
    amount: Price


class FixedCharge(BaseModel):
    """A charge per month due even at zero consumption (*prime fixe*, *redevance compteur*, *entretien*).

    ``by: meter_type`` looks the amount up by the meter's type; ``by: power`` by the subscribed power in steps;
    ``by: flat`` is one amount for every contract.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")
    label: Label
    by: Literal["meter_type", "power", "flat"]
    amounts: dict[str, Price] | None = None
    steps: list[PowerStep] | None = None
    amount: Price | None = None
    rounding: Rounding = Rounding.HALF_UP

    @model_validator(mode="after")
    def _one_way_of_pricing(self) -> FixedCharge:
        expected = {"meter_type": "amounts", "power": "steps", "flat": "amount"}[self.by]
        for name in ("amounts", "steps", "amount"):
            present = getattr(self, name) is not None
            if name == expected and not present:
                raise ValueError(f"a charge by {self.by} needs '{expected}'")
            if name != expected and present:
                raise ValueError(f"a charge by {self.by} takes '{expected}', not '{name}'")
        if self.steps is not None:
            _check_increasing([step.up_to for step in self.steps], "power steps")
        return self


class DemandCharge(BaseModel):
    """A charge per unit of subscribed power per month (*prime de puissance*), for medium voltage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")
    label: Label
    price_per_unit: Price
    rounding: Rounding = Rounding.HALF_UP


class Tax(BaseModel):
    """A tax or levy with its own base and rate (a fraction: 0.18 for 18 %, or a price per unit for per_unit)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,19}$")
    label: Label
    base: TaxBase
    rate: Rate
    threshold: Quantity | None = None
    rounding: Rounding = Rounding.HALF_UP
    source: str | None = None

    @model_validator(mode="after")
    def _threshold_where_it_means_something(self) -> Tax:
        if self.base == TaxBase.CONSUMPTION_ABOVE and self.threshold is None:
            raise ValueError("a tax on consumption above a threshold needs 'threshold'")
        if self.base in (TaxBase.ENERGY_AMOUNT, TaxBase.ALL_LINES) and self.threshold is not None:
            raise ValueError(f"a tax on {self.base.value} takes no threshold")
        _max_scale(self.rate, RATE_SCALE if self.base != TaxBase.PER_UNIT else PRICE_SCALE, "rate")
        return self


class Eligibility(BaseModel):
    """Kept only while the average monthly consumption of the last ``periods`` periods stays at or under a limit.

    The periods counted end with the period being billed; a contract that loses eligibility is billed on
    ``fallback_grid`` and comes back as soon as the average falls under the limit again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    periods: int = Field(ge=1, le=12)
    max_monthly_average: Quantity
    fallback_grid: str


class TariffVersion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    valid_from: dt.date
    valid_to: dt.date | None = None  # exclusive
    source: str = Field(min_length=3, description="The decision that set this version (regulator, date)")
    pricing: Pricing = Pricing.PROGRESSIVE
    blocks: list[Block] = Field(min_length=1)
    energy_rounding: Rounding = Rounding.HALF_UP
    fixed_charges: list[FixedCharge] = Field(default_factory=list)
    demand_charges: list[DemandCharge] = Field(default_factory=list)
    taxes: list[Tax] = Field(default_factory=list)
    eligibility: Eligibility | None = None

    @model_validator(mode="after")
    def _consistent(self) -> TariffVersion:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} must be after valid_from {self.valid_from}")
        _check_increasing([block.up_to for block in self.blocks], "blocks")
        codes = [item.code for item in (*self.fixed_charges, *self.demand_charges, *self.taxes)]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"codes used twice in one version: {', '.join(duplicates)}")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class TariffGrid(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,29}$")
    name: str = Field(min_length=3)
    commodity: Literal["electricity", "water"]
    unit: Literal["kWh", "m3"]
    scaling: PeriodScaling = PeriodScaling.CYCLE
    days_per_month: int = Field(default=30, ge=28, le=31)
    versions: list[TariffVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _versions_do_not_overlap(self) -> TariffGrid:
        ordered = sorted(self.versions, key=lambda version: version.valid_from)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to > later.valid_from:
                raise ValueError(
                    f"versions overlap: the one from {earlier.valid_from} must end (valid_to) on or before "
                    f"{later.valid_from}, when the next one starts"
                )
        object.__setattr__(self, "versions", ordered)
        return self

    def versions_between(self, start: dt.date, end: dt.date) -> list[tuple[TariffVersion, dt.date, dt.date]]:
        """The versions in force over [start, end), each with the part of the period it covers."""
        parts = []
        for version in self.versions:
            part_start = max(start, version.valid_from)
            part_end = end if version.valid_to is None else min(end, version.valid_to)
            if part_start < part_end:
                parts.append((version, part_start, part_end))
        return parts


class CategoryAssignment(BaseModel):
    """Which grid bills a contract category, from a date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str = Field(pattern=r"^[A-Z][A-Z0-9_]{0,11}$")
    grid: str
    valid_from: dt.date = dt.date(2000, 1, 1)


class TariffBook(BaseModel):
    """Every grid of a utility and the category each one bills."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    precision: int = Field(ge=0, le=3)
    grids: list[TariffGrid] = Field(default_factory=list)
    categories: list[CategoryAssignment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> TariffBook:
        codes = [grid.code for grid in self.grids]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"grid codes used twice: {', '.join(duplicates)}")
        known = set(codes)
        for assignment in self.categories:
            if assignment.grid not in known:
                raise ValueError(f"category {assignment.category} points at unknown grid {assignment.grid}")
        for grid in self.grids:
            for version in grid.versions:
                if version.eligibility and version.eligibility.fallback_grid not in known:
                    raise ValueError(f"grid {grid.code} falls back to unknown grid {version.eligibility.fallback_grid}")
                if version.eligibility:
                    fallback = next(g for g in self.grids if g.code == version.eligibility.fallback_grid)
                    if any(v.eligibility for v in fallback.versions):
                        # One level of fallback, as the warehouse applies it: the fallback grid always bills.
                        raise ValueError(
                            f"grid {grid.code} falls back to {fallback.code}, which has an eligibility rule itself"
                        )
        return self

    def grid(self, code: str) -> TariffGrid:
        for grid in self.grids:
            if grid.code == code:
                return grid
        raise UnknownGridError(f"no tariff grid {code!r}; known grids: {', '.join(g.code for g in self.grids)}")

    def grid_for_category(self, category: str, day: dt.date) -> TariffGrid:
        candidates = [a for a in self.categories if a.category == category and a.valid_from <= day]
        if not candidates:
            raise UnknownGridError(f"no tariff grid is assigned to category {category!r} on {day}")
        return self.grid(max(candidates, key=lambda a: a.valid_from).grid)

    def merged(self, other: TariffBook) -> TariffBook:
        """This book with the grids and assignments of ``other`` added (same currency)."""
        if other.currency != self.currency or other.precision != self.precision:
            raise ValueError(f"cannot merge a {other.currency} book into a {self.currency} book")
        return TariffBook(
            currency=self.currency,
            precision=self.precision,
            grids=[*self.grids, *other.grids],
            categories=[*self.categories, *other.categories],
        )


class UnknownGridError(YeelenError, KeyError):
    """A grid or category that the tariff book does not know."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _check_increasing(limits: list[Decimal | None], what: str) -> None:
    if any(limit is None for limit in limits[:-1]):
        raise ValueError(f"only the last of the {what} may be open-ended (no up_to)")
    if limits and limits[-1] is not None:
        # An open last block means every unit has a price: nothing consumed is ever left unbilled.
        raise ValueError(f"the last of the {what} must be open-ended (no up_to)")
    bounded = [limit for limit in limits if limit is not None]
    if any(b <= a for a, b in zip(bounded, bounded[1:], strict=False)):
        raise ValueError(f"the {what} limits must increase: {', '.join(str(x) for x in bounded)}")
    if bounded and bounded[0] <= 0:
        raise ValueError(f"the first of the {what} must end above zero")
