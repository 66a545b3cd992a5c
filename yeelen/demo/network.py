"""The network laid out over Dakar: source substations, feeders, transformers, water districts, reading rounds.

Per agency: feeders start near the agency's centre, each feeder's transformers sit around it, and each
transformer carries 50 to 150 low-voltage customers a few hundred metres away. Medium-voltage customers hang on a
feeder directly. Water premises belong to the nearest of the agency's one to three districts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from yeelen.demo.geography import distance_km, scatter
from yeelen.demo.population import CAT, LOW_VOLTAGE, POWER_VALUE, Draft, substation_count
from yeelen.demo.reference import SUBSTATIONS, TRANSFORMER_RATINGS_KVA, SourceSubstation
from yeelen.demo.streams import Stream, stream

MIN_PER_TRANSFORMER = 50
MAX_PER_TRANSFORMER = 150
# Coincident peak of low-voltage customers as a share of their subscribed power.
DIVERSITY = 0.2


@dataclass
class Layout:
    """Equipment rows (one entry per item, in id order) and each contract's place in the network."""

    substations: tuple[SourceSubstation, ...]
    feeder_substation: list[int] = field(default_factory=list)
    feeder_agency: list[int] = field(default_factory=list)
    feeder_code: list[str] = field(default_factory=list)
    feeder_name: list[str] = field(default_factory=list)
    feeder_voltage: list[str] = field(default_factory=list)
    transformer_feeder: list[int] = field(default_factory=list)
    transformer_agency: list[int] = field(default_factory=list)
    transformer_code: list[str] = field(default_factory=list)
    transformer_name: list[str] = field(default_factory=list)
    transformer_area: list[int] = field(default_factory=list)
    transformer_latitude: list[float] = field(default_factory=list)
    transformer_longitude: list[float] = field(default_factory=list)
    transformer_rating: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    district_agency: list[int] = field(default_factory=list)
    district_code: list[str] = field(default_factory=list)
    district_name: list[str] = field(default_factory=list)
    district_latitude: list[float] = field(default_factory=list)
    district_longitude: list[float] = field(default_factory=list)
    round_agency: list[int] = field(default_factory=list)
    round_code: list[str] = field(default_factory=list)
    round_name: list[str] = field(default_factory=list)
    round_day: list[int] = field(default_factory=list)
    round_parity: list[int] = field(default_factory=list)
    contract_transformer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    contract_feeder: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    contract_district: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    contract_round: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    contract_area: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    latitude: np.ndarray = field(default_factory=lambda: np.zeros(0))
    longitude: np.ndarray = field(default_factory=lambda: np.zeros(0))


def split_sizes(rng: np.random.Generator, total: int, parts: int, low: int, high: int) -> np.ndarray:
    """``parts`` random sizes adding up to ``total``, each within [low, high] when the mean allows it."""
    weights = rng.uniform(0.65, 1.35, parts)
    sizes = np.floor(total * weights / weights.sum()).astype(np.int64)
    sizes[rng.permutation(parts)[: total - int(sizes.sum())]] += 1
    if not low * parts <= total <= high * parts:
        return sizes
    sizes = np.clip(sizes, low, high)
    order = rng.permutation(parts)
    gap = total - int(sizes.sum())
    room = (high - sizes[order]) if gap > 0 else (sizes[order] - low)
    # Fill (or empty) the parts with room, in a random order, until the sizes add up again.
    taken = np.minimum(room, np.maximum(abs(gap) - (np.cumsum(room) - room), 0))
    sizes[order] += np.sign(gap) * taken
    return sizes


def _choose_substations(draft: Draft) -> tuple[SourceSubstation, ...]:
    wanted = substation_count(draft.customers)
    lat = np.array([s.latitude for s in SUBSTATIONS])
    lon = np.array([s.longitude for s in SUBSTATIONS])
    chosen: list[int] = []
    for place in draft.agencies:
        nearest = np.argsort(distance_km(lat, lon, place.latitude, place.longitude), kind="stable")
        for candidate in nearest:
            if int(candidate) not in chosen:
                chosen.append(int(candidate))
                break
        if len(chosen) >= wanted:
            break
    rest = [i for i in range(len(SUBSTATIONS)) if i not in chosen]
    chosen += rest[: max(0, wanted - len(chosen))]
    return tuple(SUBSTATIONS[i] for i in sorted(chosen))


def _rating(peak_kva: np.ndarray) -> np.ndarray:
    ratings = np.array(TRANSFORMER_RATINGS_KVA)
    return ratings[np.minimum(np.searchsorted(ratings, peak_kva), ratings.size - 1)]


def lay_out(seed: int, draft: Draft) -> Layout:
    """Place the network and every contract's premises in the draft's agencies."""
    rng = stream(seed, Stream.NETWORK)
    geo = stream(seed, Stream.GEOGRAPHY)
    layout = Layout(substations=_choose_substations(draft))
    sub_lat = np.array([s.latitude for s in layout.substations])
    sub_lon = np.array([s.longitude for s in layout.substations])
    n = draft.contracts
    layout.contract_transformer = np.full(n, -1, dtype=np.int64)
    layout.contract_feeder = np.full(n, -1, dtype=np.int64)
    layout.contract_district = np.full(n, -1, dtype=np.int64)
    layout.contract_round = np.full(n, -1, dtype=np.int64)
    layout.contract_area = np.zeros(n, dtype=np.int64)
    layout.latitude = np.zeros(n)
    layout.longitude = np.zeros(n)
    contract_agency = draft.contract_agency
    category = draft.contract_category
    power = POWER_VALUE[draft.contract_power]
    water = draft.contract_is_water
    low_voltage = LOW_VOLTAGE[category]
    # A dual customer's water premises are its electricity premises.
    first_contract = np.full(draft.customers, -1, dtype=np.int64)
    first_contract[draft.contract_customer[::-1]] = np.arange(n)[::-1]
    peak = np.zeros(0)

    for a, place in enumerate(draft.agencies):
        here = contract_agency == a
        areas = len(place.areas)
        radius = place.radius_km
        # Feeders and their transformers.
        lv = rng.permutation(np.flatnonzero(here & low_voltage))
        n_tr = max(1, round(lv.size / 100))
        sizes = split_sizes(rng, lv.size, n_tr, MIN_PER_TRANSFORMER, MAX_PER_TRANSFORMER)
        n_fd = max(1, round(n_tr / rng.uniform(8, 16)))
        f_lat, f_lon = scatter(geo, np.full(n_fd, place.latitude), np.full(n_fd, place.longitude), radius / 2, radius)
        f_first = len(layout.feeder_code)
        for j in range(n_fd):
            nearest = int(np.argmin(distance_km(sub_lat, sub_lon, f_lat[j], f_lon[j])))
            six = place.code in ("PLT", "MED") and rng.random() < 0.6
            layout.feeder_substation.append(nearest)
            layout.feeder_agency.append(a)
            layout.feeder_code.append(f"D-{place.code}-{j + 1:02d}")
            rank = j // areas + 1
            layout.feeder_name.append(f"Départ {place.areas[j % areas]}" + (f" n° {rank}" if rank > 1 else ""))
            layout.feeder_voltage.append("6.6" if six else "30")
        t_feeder = np.arange(n_tr) % n_fd
        t_lat, t_lon = scatter(geo, f_lat[t_feeder], f_lon[t_feeder], 0.3, 0.7)
        t_area = rng.integers(0, areas, n_tr)
        t_first = len(layout.transformer_code)
        layout.transformer_feeder += (t_feeder + f_first).tolist()
        layout.transformer_agency += [a] * n_tr
        layout.transformer_code += [f"{place.code}-T{j + 1:04d}" for j in range(n_tr)]
        layout.transformer_name += [f"Poste {place.areas[t_area[j]]} n° {j + 1}" for j in range(n_tr)]
        layout.transformer_area += t_area.tolist()
        layout.transformer_latitude += t_lat.tolist()
        layout.transformer_longitude += t_lon.tolist()
        owner = np.repeat(np.arange(n_tr), sizes)
        layout.contract_transformer[lv] = owner + t_first
        layout.contract_feeder[lv] = t_feeder[owner] + f_first
        layout.contract_area[lv] = t_area[owner]
        layout.latitude[lv], layout.longitude[lv] = scatter(geo, t_lat[owner], t_lon[owner], 0.1, 0.35)
        peak = np.concatenate([peak, np.bincount(owner, weights=power[lv], minlength=n_tr) * DIVERSITY])

        # Medium-voltage customers on a feeder of the agency.
        mv = np.flatnonzero(here & (category == CAT["MT"]))
        mv_feeder = rng.integers(0, n_fd, mv.size)
        layout.contract_feeder[mv] = mv_feeder + f_first
        layout.contract_area[mv] = rng.integers(0, areas, mv.size)
        layout.latitude[mv], layout.longitude[mv] = scatter(geo, f_lat[mv_feeder], f_lon[mv_feeder], 0.4, 0.9)

        # Water districts; water-only premises sit among the houses, dual ones on their electricity premises.
        wt = np.flatnonzero(here & water)
        n_d = 1 if wt.size < 1500 else (2 if wt.size < 6000 else 3)
        d_lat, d_lon = scatter(geo, np.full(n_d, place.latitude), np.full(n_d, place.longitude), radius / 2, radius)
        d_first = len(layout.district_code)
        d_areas = rng.choice(areas, size=n_d, replace=False)
        layout.district_agency += [a] * n_d
        layout.district_code += [f"SEC-{place.code}-{j + 1}" for j in range(n_d)]
        layout.district_name += [f"Secteur {place.areas[d_areas[j]]}" for j in range(n_d)]
        layout.district_latitude += d_lat.tolist()
        layout.district_longitude += d_lon.tolist()
        home = first_contract[draft.contract_customer[wt]]
        dual = home != wt
        near = rng.integers(0, n_tr, wt.size)
        w_lat, w_lon = scatter(geo, t_lat[near], t_lon[near], 0.2, 0.5)
        layout.latitude[wt] = np.where(dual, layout.latitude[home], w_lat)
        layout.longitude[wt] = np.where(dual, layout.longitude[home], w_lon)
        layout.contract_area[wt] = np.where(dual, layout.contract_area[home], t_area[near])
        gaps = distance_km(layout.latitude[wt][:, None], layout.longitude[wt][:, None], d_lat[None, :], d_lon[None, :])
        district = np.argmin(gaps, axis=1)
        layout.contract_district[wt] = district + d_first

        _rounds(rng, layout, a, place.code, place.areas, lv, owner, t_first, mv, wt, district)

    layout.transformer_rating = _rating(peak)
    return layout


def _rounds(
    rng: np.random.Generator,
    layout: Layout,
    agency: int,
    code: str,
    areas: tuple[str, ...],
    lv: np.ndarray,
    owner: np.ndarray,
    t_first: int,
    mv: np.ndarray,
    wt: np.ndarray,
    district: np.ndarray,
) -> None:
    """Reading rounds of an agency: whole transformers per electricity round, districts cut for water."""
    first = len(layout.round_code)
    names: list[tuple[str, str]] = []
    # Electricity: consecutive transformers (grouped by feeder) until a reader's month is full.
    per_transformer = np.bincount(owner, minlength=int(owner.max(initial=-1)) + 1)
    t_feeder = np.array(layout.transformer_feeder[t_first:])
    order = np.argsort(t_feeder, kind="stable")
    target = int(rng.integers(400, 800))
    before = np.cumsum(per_transformer[order]) - per_transformer[order]
    t_round = np.empty(order.size, dtype=np.int64)
    t_round[order] = before // target
    n_e = int(t_round.max(initial=-1)) + 1
    names += [(f"{code}-E{j + 1:03d}", f"Tournée {areas[j % len(areas)]} n° {j // len(areas) + 1}") for j in range(n_e)]
    layout.contract_round[lv] = first + t_round[owner]
    # Medium voltage: one round read early in the month.
    if mv.size:
        layout.contract_round[mv] = first + len(names)
        names.append((f"{code}-MT", f"Tournée moyenne tension {code}"))
    # Water: each district cut into rounds along its longitude.
    for d in np.unique(district):
        rows = wt[district == d]
        rows = rows[np.argsort(layout.longitude[rows], kind="stable")]
        size = int(rng.integers(400, 800))
        parts = np.arange(rows.size) // size
        base = len(names)
        layout.contract_round[rows] = first + base + parts
        for j in range(int(parts.max(initial=-1)) + 1):
            names.append((f"{code}-W{d + 1}-{j + 1:02d}", f"Tournée eau {areas[(d + j) % len(areas)]} n° {j + 1}"))
    n = len(names)
    spread = 3 + (rng.permutation(n) * 23) // max(n, 1) + rng.integers(0, 2, n)
    for j, (round_code, round_name) in enumerate(names):
        layout.round_agency.append(agency)
        layout.round_code.append(round_code)
        layout.round_name.append(round_name)
        is_mv = round_code.endswith("-MT")
        layout.round_day.append(2 if is_mv else int(min(spread[j], 26)))
        layout.round_parity.append(j % 2)
