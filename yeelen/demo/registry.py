"""The customer register: customers, premises and contracts with their dates, in the order they were created.

Ids follow creation: the oldest contract has id 1. Contracts started before the horizon date back up to 38
years; some start during it (new connections) and a few end during it (terminations).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from yeelen.demo.identity import Identities, addresses, identify
from yeelen.demo.network import Layout, lay_out
from yeelen.demo.population import CAT, IS_WATER, Draft, draw
from yeelen.demo.reference import BIMONTHLY_SHARE, Place
from yeelen.demo.streams import Stream, stream
from yeelen.demo.timeline import US_PER_DAY, US_PER_HOUR, Horizon

# A contract without an end date ends after every date of the simulation.
NO_END = 10**7
NEW_CONNECTIONS_PER_YEAR = 0.03
TERMINATIONS_PER_YEAR = 0.012
TERMINABLE = np.array([CAT[name] for name in ("DOM_SOCIAL", "DOM", "PRO", "EAU_DOM", "EAU_PRO")])


def office_hours(rng: np.random.Generator, days: np.ndarray, start_hour: int = 8, hours: int = 9) -> np.ndarray:
    """Timestamps (µs) at a random moment of the working day of each date."""
    offset = start_hour * US_PER_HOUR + rng.integers(0, hours * US_PER_HOUR, np.shape(days))
    return np.asarray(days, dtype=np.int64) * US_PER_DAY + offset


@dataclass
class Registry:
    """Contracts (index i has id i + 1, one premises each) and customers (index j has id j + 1)."""

    horizon: Horizon
    agencies: tuple[Place, ...]
    layout: Layout
    contract_customer: np.ndarray
    category: np.ndarray
    power: np.ndarray
    start: np.ndarray
    end: np.ndarray
    bimonthly: np.ndarray
    created: np.ndarray
    updated: np.ndarray
    point_created: np.ndarray
    address: pa.Array
    customer_agency: np.ndarray
    customer_category: np.ndarray
    customer_created: np.ndarray
    identities: Identities

    @property
    def contracts(self) -> int:
        """Number of contracts (and of premises)."""
        return int(self.category.size)

    @property
    def customers(self) -> int:
        """Number of customers."""
        return int(self.customer_agency.size)

    @property
    def is_water(self) -> np.ndarray:
        """Whether each contract is for water."""
        return IS_WATER[self.category]

    @property
    def agency(self) -> np.ndarray:
        """Agency of each contract."""
        return self.customer_agency[self.contract_customer]

    @property
    def terminated(self) -> np.ndarray:
        """Whether each contract ends during the horizon."""
        return self.end < NO_END


def _dates(rng: np.random.Generator, draft: Draft, horizon: Horizon) -> tuple[np.ndarray, np.ndarray]:
    n = draft.contracts
    hs, he = horizon.start_day, horizon.end_day
    years = horizon.months / 12
    new = rng.random(n) < NEW_CONNECTIONS_PER_YEAR * years
    age = 30 + np.minimum(rng.exponential(9 * 365.25, n), 38 * 365).astype(np.int64)
    start = np.where(new, rng.integers(hs + 1, max(he - 15, hs + 2), n), hs - age)
    # A second contract of the same customer (water on electricity premises) comes after the first.
    first = np.full(draft.customers, -1, dtype=np.int64)
    first[draft.contract_customer[::-1]] = np.arange(n)[::-1]
    home = first[draft.contract_customer]
    later = home != np.arange(n)
    start[later] = np.minimum(np.maximum(start[later], start[home[later]] + rng.integers(1, 30, later.sum())), he - 10)
    end = np.full(n, NO_END, dtype=np.int64)
    ends = (start < hs) & np.isin(draft.contract_category, TERMINABLE)
    ends &= rng.random(n) < TERMINATIONS_PER_YEAR * years
    ends &= he - 5 > hs + 60
    end[ends] = rng.integers(hs + 60, he - 5, int(ends.sum()))
    return start, end


def build(seed: int, customers: int, horizon: Horizon) -> Registry:
    """Draw customers and contracts, place them on the network, date them and number them by creation."""
    draft = draw(seed, customers)
    layout = lay_out(seed, draft)
    rng = stream(seed, Stream.DATES)
    start, end = _dates(rng, draft, horizon)
    n = draft.contracts
    bimonthly = np.zeros(n, dtype=bool)
    for name, share in BIMONTHLY_SHARE.items():
        rows = draft.contract_category == CAT[name]
        bimonthly[rows] = rng.random(int(rows.sum())) < share

    # Number contracts by start date and customers by their first contract's start.
    order = np.lexsort((rng.random(n), start))
    created_day = np.full(draft.customers, NO_END, dtype=np.int64)
    np.minimum.at(created_day, draft.contract_customer, start)
    customer_order = np.lexsort((rng.random(draft.customers), created_day))
    customer_rank = np.empty(draft.customers, dtype=np.int64)
    customer_rank[customer_order] = np.arange(draft.customers)
    for name in ("contract_transformer", "contract_feeder", "contract_district", "contract_round"):
        setattr(layout, name, getattr(layout, name)[order])
    for name in ("contract_area", "latitude", "longitude"):
        setattr(layout, name, getattr(layout, name)[order])
    contract_customer = customer_rank[draft.contract_customer[order]]
    start, end, bimonthly = start[order], end[order], bimonthly[order]

    created = office_hours(rng, start)
    updated = np.where(end < NO_END, office_hours(rng, np.minimum(end, horizon.end_day - 1)), created)
    point_created = created - rng.integers(60, 3_600, n) * 1_000_000
    first_contract = np.full(draft.customers, n, dtype=np.int64)
    np.minimum.at(first_contract, contract_customer, np.arange(n))
    customer_created = point_created[first_contract] - rng.integers(60, 1_800, draft.customers) * 1_000_000

    agency = draft.customer_agency[customer_order]
    category = draft.customer_category[customer_order]
    area = layout.contract_area[first_contract]
    people = stream(seed, Stream.IDENTITY)
    identities = identify(people, category, agency, area, draft.agencies)
    # A customer's second contract (water) is on the premises of the first: same address.
    address = addresses(people, agency[contract_customer], layout.contract_area, draft.agencies)
    address = address.take(pa.array(first_contract[contract_customer]))
    return Registry(
        horizon=horizon,
        agencies=draft.agencies,
        layout=layout,
        contract_customer=contract_customer,
        category=draft.contract_category[order],
        power=draft.contract_power[order],
        start=start,
        end=end,
        bimonthly=bimonthly,
        created=created,
        updated=updated,
        point_created=point_created,
        address=address,
        customer_agency=agency,
        customer_category=category,
        customer_created=customer_created,
        identities=identities,
    )
