"""Random but valid tariff books and billing cases, from a seed, for differential tests."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from yeelen.tariffs.model import TariffBook

METER_TYPES = ("single_phase", "three_phase", "water", "mv")


def _decimal(rng: random.Random, low: float, high: float, places: int) -> Decimal:
    scale = 10**places
    return Decimal(rng.randint(int(low * scale), int(high * scale))).scaleb(-places)


def _label(code: str) -> dict:
    return {"fr": f"Libellé {code}", "en": f"Label {code}"}


def _version(rng: random.Random, valid_from: dt.date, valid_to: dt.date | None) -> dict:
    blocks = []
    limit = Decimal(0)
    for _ in range(rng.randint(0, 3)):
        limit += _decimal(rng, 5, 400, rng.choice([0, 0, 1, 3]))
        blocks.append({"up_to": limit, "price": _decimal(rng, 10, 900, rng.choice([0, 2, 4]))})
    blocks.append({"price": _decimal(rng, 10, 900, rng.choice([0, 2, 4]))})
    rounding = ["half_up", "down", "up"]
    fixed = []
    for index in range(rng.randint(0, 2)):
        by = rng.choice(["meter_type", "power", "flat"])
        charge = {"code": f"FIX{index}", "label": _label(f"FIX{index}"), "by": by, "rounding": rng.choice(rounding)}
        if by == "meter_type":
            charge["amounts"] = {meter: _decimal(rng, 0, 5000, rng.choice([0, 2])) for meter in METER_TYPES}
        elif by == "power":
            steps, top = [], Decimal(0)
            for _ in range(rng.randint(0, 2)):
                top += _decimal(rng, 1, 20, rng.choice([0, 1]))
                steps.append({"up_to": top, "amount": _decimal(rng, 0, 9000, 0)})
            steps.append({"amount": _decimal(rng, 0, 9000, 2)})
            charge["steps"] = steps
        else:
            charge["amount"] = _decimal(rng, 0, 3000, rng.choice([0, 4]))
        fixed.append(charge)
    demand = []
    if rng.random() < 0.3:
        demand.append(
            {
                "code": "DEM",
                "label": _label("DEM"),
                "price_per_unit": _decimal(rng, 100, 4000, 2),
                "rounding": rng.choice(rounding),
            }
        )
    taxes = []
    for index in range(rng.randint(0, 3)):
        base = rng.choice(["energy_amount", "all_lines", "consumption_above", "per_unit"])
        tax = {"code": f"TAX{index}", "label": _label(f"TAX{index}"), "base": base, "rounding": rng.choice(rounding)}
        if base == "per_unit":
            tax["rate"] = _decimal(rng, 0, 5, 2)
            if rng.random() < 0.5:
                tax["threshold"] = _decimal(rng, 0, 300, rng.choice([0, 2]))
        else:
            tax["rate"] = _decimal(rng, 0, 0.3, 4)
            if base == "consumption_above":
                tax["threshold"] = (
                    rng.choice([b["up_to"] for b in blocks[:-1]])
                    if blocks[:-1] and rng.random() < 0.5
                    else _decimal(rng, 0, 600, rng.choice([0, 3]))
                )
        taxes.append(tax)
    return {
        "valid_from": valid_from,
        "valid_to": valid_to,
        "source": "Décision aléatoire de test",
        "pricing": rng.choice(["progressive", "progressive", "by_level"]),
        "blocks": blocks,
        "energy_rounding": rng.choice(rounding),
        "fixed_charges": fixed,
        "demand_charges": demand,
        "taxes": taxes,
    }


def random_book(seed: int, grids: int, currency: str = "XOF", precision: int = 0) -> TariffBook:
    rng = random.Random(seed)
    items = []
    for number in range(grids):
        starts = sorted(
            {dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(20, 900)) for _ in range(rng.randint(0, 2))}
        )
        bounds = [dt.date(2025, 1, 1), *starts]
        versions = [
            _version(rng, start, bounds[i + 1] if i + 1 < len(bounds) else None) for i, start in enumerate(bounds)
        ]
        items.append(
            {
                "code": f"RND{number:03d}",
                "name": f"Grille aléatoire {number}",
                "commodity": rng.choice(["electricity", "water"]),
                "unit": "kWh",
                "scaling": rng.choice(["cycle", "cycle", "days"]),
                "days_per_month": rng.choice([30, 30, 31]),
                "versions": versions,
            }
        )
    return TariffBook.model_validate({"currency": currency, "precision": precision, "grids": items})


@dataclass(frozen=True)
class Case:
    key: int
    grid: str
    consumption: Decimal
    start: dt.date
    end: dt.date
    cycle_months: int
    meter_type: str
    subscribed_power: Decimal


def random_cases(seed: int, book: TariffBook, count: int) -> list[Case]:
    rng = random.Random(seed)
    cases = []
    for key in range(1, count + 1):
        grid = rng.choice(book.grids)
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 1000))
        shape = rng.random()
        if shape < 0.15:
            consumption = Decimal(0)
        elif shape < 0.6:
            consumption = Decimal(rng.randint(1, 1200))
        else:
            consumption = _decimal(rng, 0, 8000, 3)
        cases.append(
            Case(
                key=key,
                grid=grid.code,
                consumption=consumption,
                start=start,
                end=start + dt.timedelta(days=rng.randint(1, 70)),
                cycle_months=rng.choice([1, 2]),
                meter_type=rng.choice(METER_TYPES),
                subscribed_power=_decimal(rng, 1, 60, rng.choice([0, 2])),
            )
        )
    return cases
