"""Customers and their contracts before they are placed on the network: who, which category, which agency.

About 14 % of customers only have water; the others have one electricity contract, and one domestic electricity
customer in ten also has a water contract on the same premises (so about 20 % of customers have water).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from operational_api.customers.models import CATEGORIES
from yeelen.demo.reference import AGENCIES, ELECTRICITY_SHARES, POWERS, SUBSTATIONS, WATER_SHARES, Place
from yeelen.demo.streams import Stream, stream
from yeelen.demo.text import weighted

CAT = {name: code for code, name in enumerate(CATEGORIES)}
ELECTRICITY_CATEGORIES = np.array([CAT[name] for name in ELECTRICITY_SHARES])
WATER_CATEGORIES = np.array([CAT[name] for name in WATER_SHARES])
IS_WATER = np.array([name.startswith("EAU_") for name in CATEGORIES])
DOMESTIC = np.array([name in ("DOM_SOCIAL", "DOM") for name in CATEGORIES])
# Low-voltage electricity: everything on a distribution transformer.
LOW_VOLTAGE = np.array([not name.startswith("EAU_") and name != "MT" for name in CATEGORIES])

# Every subscribed power as its canonical decimal text, and its value.
POWER_TEXT: tuple[str, ...] = tuple(sorted({text for options in POWERS.values() for text, _ in options}, key=float))
POWER_VALUE = np.array([float(text) for text in POWER_TEXT])

WATER_ONLY_SHARE = 0.14
DUAL_WATER_SHARE = 0.10
MINIMUM_CUSTOMERS = 100
MINIMUM_COUNTS = {"MT": 3, "EP": 2, "ADM": 3}


def scale_fraction(customers: int) -> float:
    """0 for a 1,000-customer utility, 1 for a million, on a log scale."""
    return min(1.0, max(0.0, math.log10(max(customers, 1) / 1_000) / 3))


def agency_count(customers: int) -> int:
    """A few agencies for a small utility, every one of them at a million customers."""
    wanted = round(3 + (len(AGENCIES) - 3) * scale_fraction(customers))
    return max(1, min(wanted, len(AGENCIES), customers // 300))


def substation_count(customers: int) -> int:
    """Two source substations for a small utility, all of Dakar's at a million customers."""
    return max(1, round(2 + (len(SUBSTATIONS) - 2) * scale_fraction(customers)))


@dataclass
class Draft:
    """Customers and contracts with their category, agency and subscribed power; no place or date yet."""

    agencies: tuple[Place, ...]
    customer_agency: np.ndarray
    customer_category: np.ndarray
    contract_customer: np.ndarray
    contract_category: np.ndarray
    contract_power: np.ndarray

    @property
    def customers(self) -> int:
        """Number of customers."""
        return int(self.customer_agency.size)

    @property
    def contracts(self) -> int:
        """Number of contracts."""
        return int(self.contract_customer.size)

    @property
    def contract_agency(self) -> np.ndarray:
        """Agency of each contract (its customer's)."""
        return self.customer_agency[self.contract_customer]

    @property
    def contract_is_water(self) -> np.ndarray:
        """Whether each contract is for water."""
        return IS_WATER[self.contract_category]


def _powers(rng: np.random.Generator, categories: np.ndarray) -> np.ndarray:
    power = np.zeros(categories.size, dtype=np.int64)
    for name, options in POWERS.items():
        rows = np.flatnonzero(categories == CAT[name])
        if rows.size:
            texts = [POWER_TEXT.index(text) for text, _ in options]
            power[rows] = np.array(texts)[weighted(rng, [w for _, w in options], rows.size)]
    return power


def draw(seed: int, customers: int) -> Draft:
    """Draw the customers' categories and agencies and their contracts."""
    rng = stream(seed, Stream.CUSTOMERS)
    agencies = AGENCIES[: agency_count(customers)]
    water_only = rng.random(customers) < WATER_ONLY_SHARE
    electricity = ELECTRICITY_CATEGORIES[weighted(rng, list(ELECTRICITY_SHARES.values()), customers)]
    water = WATER_CATEGORIES[weighted(rng, list(WATER_SHARES.values()), customers)]
    primary = np.where(water_only, water, electricity)
    # Small utilities still get a few medium-voltage, public-lighting and administration customers.
    for name, minimum in MINIMUM_COUNTS.items():
        missing = minimum - int(np.count_nonzero(primary == CAT[name]))
        if missing > 0:
            pool = np.flatnonzero(primary == CAT["DOM"])
            primary[rng.choice(pool, size=missing, replace=False)] = CAT[name]
    agency = weighted(rng, [place.weight for place in agencies], customers)

    dual = DOMESTIC[primary] & (rng.random(customers) < DUAL_WATER_SHARE)
    dual_customers = np.flatnonzero(dual)
    contract_customer = np.concatenate([np.arange(customers), dual_customers])
    contract_category = np.concatenate([primary, np.full(dual_customers.size, CAT["EAU_DOM"])])
    return Draft(
        agencies=agencies,
        customer_agency=agency,
        customer_category=primary,
        contract_customer=contract_customer,
        contract_category=contract_category,
        contract_power=_powers(rng, contract_category),
    )
