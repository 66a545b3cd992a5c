"""A tariff book as normalised rows: what the operational database stores and the warehouse bills with."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from yeelen.tariffs.model import TariffBook, TariffGrid, TariffVersion


def version_definition(version: TariffVersion) -> str:
    """The version as canonical JSON (the real-time engine reloads it from there)."""
    return json.dumps(version.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def version_hash(version: TariffVersion) -> str:
    return hashlib.sha256(version_definition(version).encode("utf-8")).hexdigest()


def grid_row(grid: TariffGrid) -> dict[str, Any]:
    return {
        "code": grid.code,
        "name": grid.name,
        "commodity": grid.commodity,
        "unit": grid.unit,
        "scaling": grid.scaling.value,
        "days_per_month": grid.days_per_month,
    }


def version_row(version: TariffVersion) -> dict[str, Any]:
    eligibility = version.eligibility
    return {
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "source": version.source,
        "pricing": version.pricing.value,
        "energy_rounding": version.energy_rounding.value,
        "eligibility_periods": eligibility.periods if eligibility else None,
        "eligibility_max_monthly_average": eligibility.max_monthly_average if eligibility else None,
        "eligibility_fallback_grid": eligibility.fallback_grid if eligibility else None,
        "definition": version_definition(version),
        "definition_hash": version_hash(version),
    }


def block_rows(version: TariffVersion) -> list[dict[str, Any]]:
    return [
        {"block_number": number, "up_to": block.up_to, "price": block.price}
        for number, block in enumerate(version.blocks, start=1)
    ]


def charge_rows(version: TariffVersion) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for position, charge in enumerate(version.fixed_charges, start=1):
        common = {
            "kind": "fixed",
            "code": charge.code,
            "label_fr": charge.label.fr,
            "label_en": charge.label.en,
            "charged_by": charge.by,
            "rounding": charge.rounding.value,
            "position": position,
        }
        if charge.by == "meter_type":
            for meter_type, amount in sorted(charge.amounts.items()):
                rows.append(
                    {**common, "meter_type": meter_type, "step_number": None, "power_up_to": None, "amount": amount}
                )
        elif charge.by == "power":
            for step_number, step in enumerate(charge.steps, start=1):
                rows.append(
                    {
                        **common,
                        "meter_type": None,
                        "step_number": step_number,
                        "power_up_to": step.up_to,
                        "amount": step.amount,
                    }
                )
        else:
            rows.append(
                {**common, "meter_type": None, "step_number": None, "power_up_to": None, "amount": charge.amount}
            )
    offset = len(version.fixed_charges)
    for position, demand in enumerate(version.demand_charges, start=offset + 1):
        rows.append(
            {
                "kind": "demand",
                "code": demand.code,
                "label_fr": demand.label.fr,
                "label_en": demand.label.en,
                "charged_by": "per_power_unit",
                "meter_type": None,
                "step_number": None,
                "power_up_to": None,
                "amount": demand.price_per_unit,
                "rounding": demand.rounding.value,
                "position": position,
            }
        )
    return rows


def tax_rows(version: TariffVersion) -> list[dict[str, Any]]:
    return [
        {
            "code": tax.code,
            "label_fr": tax.label.fr,
            "label_en": tax.label.en,
            "base": tax.base.value,
            "rate": tax.rate,
            "threshold": tax.threshold,
            "rounding": tax.rounding.value,
            "position": position,
            "source": tax.source,
        }
        for position, tax in enumerate(version.taxes, start=1)
    ]


def category_rows(book: TariffBook) -> list[dict[str, Any]]:
    return [
        {"category": item.category, "grid_code": item.grid, "valid_from": item.valid_from} for item in book.categories
    ]


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
