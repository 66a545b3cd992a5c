"""Meters, their installations and interventions, and the readings of every contract month by month.

A meter's index is its installation index plus the reported consumption since, in meter units (kWh or m3
divided by the multiplier), modulo 10**digits: some old meters roll over during the horizon. Inside a month the
consumption is spread evenly over the days the contract is active, so an index at any date is an interpolation
of the monthly cumulative consumption.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yeelen.demo.consumption import PATTERN, Consumption
from yeelen.demo.population import CAT, POWER_VALUE
from yeelen.demo.reference import ANOMALY_CODES, ELECTRICITY_METER_BRANDS, INTERVENTION_KINDS, WATER_METER_BRANDS
from yeelen.demo.registry import NO_END, Registry, office_hours
from yeelen.demo.streams import Stream, stream
from yeelen.demo.text import concat, number, pick, where
from yeelen.demo.timeline import US_PER_DAY, US_PER_HOUR

METER_TYPES = ("single_phase", "three_phase", "mv", "water")
SOURCES = ("terminal", "manual", "estimate")
TERMINAL, MANUAL, ESTIMATE = 0, 1, 2
ANOMALY = {code: i for i, code in enumerate(ANOMALY_CODES)}
BRANDS = ELECTRICITY_METER_BRANDS + WATER_METER_BRANDS
BRAND_CODES = ("LGZ", "ITR", "SAG", "HXE", "INH", "CON", "SEN", "ITW", "ELS", "ZEN")
REPLACEMENTS_PER_YEAR = 0.02
ROLLOVER_SHARE = 0.025
MISSED_READING = 0.035
CHRONIC_NO_ACCESS_SHARE = 0.04
CHRONIC_NO_ACCESS = 0.3
TERMINAL_SHARE = 0.85
MAX_ESTIMATES_IN_A_ROW = 2
KINDS = tuple(code for code, *_ in INTERVENTION_KINDS)
# Notes written on intervention sheets, by purpose.
NOTES = (
    "Pose de scellé au branchement",
    "Remplacement de compteur",
    "Pose de scellé sur le nouveau compteur",
    "Coupure pour résiliation, index de dépose relevé",
    "Contrôle de routine, scellé en place",
    "Scellé trouvé cassé au contrôle",
    "Nouveau scellé posé après contrôle",
    "Réparation du compteur, scellé reposé",
)


@dataclass
class Meters:
    """Meters in id order (one installation each, same id) and, per contract, its meter history."""

    registry: Registry
    consumption: Consumption
    # Per meter.
    contract: np.ndarray
    meter_type: np.ndarray
    digits: np.ndarray
    multiplier: np.ndarray
    brand: np.ndarray
    serial: pa.Array
    installed_on: np.ndarray
    removed_on: np.ndarray
    initial_index: np.ndarray
    final_index: np.ndarray
    replacement: np.ndarray
    created: np.ndarray
    # Per contract.
    first_meter: np.ndarray
    second_meter: np.ndarray
    replaced_on: np.ndarray
    start_index: np.ndarray
    units_at_replacement: np.ndarray
    rollover: np.ndarray

    def units(self, contract: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Reported consumption since the horizon start, in whole meter units, at the start of ``day``."""
        horizon = self.registry.horizon
        ms = horizon.month_start
        k = horizon.month_of(day)
        low = np.maximum(ms[k], self.registry.start[contract])
        high = np.minimum(ms[k + 1], self.registry.end[contract])
        length = np.maximum(high - low, 1)
        share = np.where(high > low, np.clip((day - low) / length, 0.0, 1.0), (day >= high).astype(float))
        used = self.consumption.cumulative[k, contract] + share * self.consumption.reported[k, contract]
        multiplier = self.multiplier[self.first_meter[contract]]
        return np.floor(used / multiplier).astype(np.int64)

    def index_at(self, contract: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The meter in place and its index at the start of ``day``, and the units consumed so far."""
        used = self.units(contract, day)
        second = (self.second_meter[contract] >= 0) & (day >= self.replaced_on[contract])
        meter = np.where(second, self.second_meter[contract], self.first_meter[contract])
        modulus = 10 ** self.digits[meter]
        first_index = self.start_index[contract] + used
        second_index = self.initial_index[np.maximum(self.second_meter[contract], 0)] + used
        second_index -= self.units_at_replacement[contract]
        return meter, np.where(second, second_index, first_index) % modulus, used


def install(seed: int, registry: Registry, consumption: Consumption) -> Meters:
    """Give every contract its meter, old meters their history, some a replacement during the horizon."""
    rng = stream(seed, Stream.METERS)
    horizon = registry.horizon
    hs, he = horizon.start_day, horizon.end_day
    n = registry.contracts
    category = registry.category
    water = registry.is_water
    kva = POWER_VALUE[registry.power]
    kind = np.where(water, 3, np.where(category == CAT["MT"], 2, np.where((kva <= 9) & (category != CAT["EP"]), 0, 1)))
    digits = np.where(kind == 0, np.where(rng.random(n) < 0.55, 5, 6), 6)
    digits = np.where(kind == 3, np.where(rng.random(n) < 0.8, 5, 6), digits)
    multiplier = np.where(kind == 2, np.where(kva <= 400, 10, 100), 1)
    brand = np.where(
        water,
        len(ELECTRICITY_METER_BRANDS) + rng.integers(0, len(WATER_METER_BRANDS), n),
        rng.integers(0, len(ELECTRICITY_METER_BRANDS), n),
    )
    existing = registry.start < hs
    age = hs - registry.start
    swapped = existing & (age > 5 * 365) & (rng.random(n) < 0.35)
    installed = np.where(swapped, registry.start + (age * rng.uniform(0.3, 0.95, n)).astype(np.int64), registry.start)
    initial = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 500, n))

    # Replacement during the horizon: a new meter on the same contract.
    low = np.maximum(registry.start, hs) + 30
    high = np.minimum(registry.end, he) - 30
    rollover = existing & ~swapped & (rng.random(n) < ROLLOVER_SHARE)
    replace = (high > low) & ~rollover & (rng.random(n) < 1 - (1 - REPLACEMENTS_PER_YEAR) ** (horizon.months / 12))
    replaced_on = np.where(replace, rng.integers(low, np.maximum(high, low + 1)), -1)
    new_digits = np.where(kind == 3, 5, 6)
    new_initial = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 300, n))
    # Replacement meters are the electronic models bought lately.
    new_brand = np.where(water, brand, rng.choice([1, 3, 4], size=n))

    # Index at the horizon start: old meters have run for years; a few are about to roll over.
    total = np.floor(consumption.cumulative[-1] / multiplier).astype(np.int64)
    years = np.maximum(hs - installed, 0) / 365.25
    before = np.floor(years * 12 * consumption.base / multiplier * rng.uniform(0.6, 1.1, n)).astype(np.int64)
    room = np.maximum(10**digits - total - 1, 1)
    start_index = np.where(existing, (initial + before) % room, initial)
    rollover &= total >= 5
    near_end = 10**digits - np.maximum(1, np.floor(rng.uniform(0.15, 0.85, n) * total).astype(np.int64))
    # A meter about to roll over was put in with a high index already (a refurbished meter keeps its register),
    # so its installation index and the readings that follow it stay consistent.
    initial = np.where(rollover, np.maximum(near_end - before, 0), initial)
    start_index = np.where(rollover, initial + before, start_index)

    # Meter rows: the first meter of every contract, then the replacement meters; numbered by installation date.
    second = np.flatnonzero(replace)
    m_contract = np.concatenate([np.arange(n), second])
    m_installed = np.concatenate([installed, replaced_on[second]])
    m_is_second = np.concatenate([np.zeros(n, dtype=bool), np.ones(second.size, dtype=bool)])
    order = np.lexsort((m_is_second, m_contract, m_installed))
    m_contract, m_installed, m_is_second = m_contract[order], m_installed[order], m_is_second[order]
    count = m_contract.size
    first_meter = np.full(n, -1, dtype=np.int64)
    second_meter = np.full(n, -1, dtype=np.int64)
    position = np.arange(count)
    first_meter[m_contract[~m_is_second]] = position[~m_is_second]
    second_meter[m_contract[m_is_second]] = position[m_is_second]

    meters = Meters(
        registry=registry,
        consumption=consumption,
        contract=m_contract,
        meter_type=kind[m_contract],
        digits=np.where(m_is_second, new_digits[m_contract], digits[m_contract]),
        multiplier=multiplier[m_contract],
        brand=np.where(m_is_second, new_brand[m_contract], brand[m_contract]),
        serial=pa.nulls(count, pa.string()),
        installed_on=m_installed,
        removed_on=np.full(count, -1, dtype=np.int64),
        initial_index=np.where(m_is_second, new_initial[m_contract], initial[m_contract]),
        final_index=np.full(count, -1, dtype=np.int64),
        replacement=np.where(m_is_second, True, swapped[m_contract]),
        created=np.zeros(count, dtype=np.int64),
        first_meter=first_meter,
        second_meter=second_meter,
        replaced_on=replaced_on,
        start_index=start_index,
        units_at_replacement=np.zeros(n, dtype=np.int64),
        rollover=rollover,
    )
    meters.units_at_replacement[second] = meters.units(second, replaced_on[second])
    # Removal: the first meter at its replacement, the meter in place when the contract ends.
    old = first_meter[second]
    meters.removed_on[old] = replaced_on[second]
    # The old meter's last index is the one at the replacement date: consumption up to the start of that day.
    meters.final_index[old] = (meters.start_index[second] + meters.units_at_replacement[second]) % (
        10 ** meters.digits[old]
    )
    ended = np.flatnonzero(registry.end < NO_END)
    in_place, final, _ = meters.index_at(ended, registry.end[ended])
    meters.removed_on[in_place] = registry.end[ended]
    meters.final_index[in_place] = final
    year = (1970 + (m_installed / 365.25)).astype(np.int64) % 100
    meters.serial = concat(pick(BRAND_CODES, meters.brand), number(year, 2), number(position + 1, 8))
    meters.created = office_hours(rng, m_installed - rng.integers(10, 200, count))
    return meters


@dataclass
class Interventions:
    """Field visits in id order (by date)."""

    contract: np.ndarray
    meter: np.ndarray
    day: np.ndarray
    kind: pa.Array
    seal_number: pa.Array
    index_value: np.ndarray
    notes: pa.Array
    seal_ok: np.ndarray
    seal_ok_known: np.ndarray
    created: np.ndarray


def interventions(seed: int, meters: Meters) -> Interventions:
    """Seals at new connections, replacements, disconnections, inspections (more on lossy transformers)."""
    rng = stream(seed, Stream.INTERVENTIONS)
    registry, consumption = meters.registry, meters.consumption
    horizon = registry.horizon
    hs, he = horizon.start_day, horizon.end_day
    n = registry.contracts
    parts: list[dict[str, np.ndarray]] = []

    def add(
        contract: np.ndarray,
        day: np.ndarray,
        kind: str,
        note: int,
        seal: bool,
        ok: int,
        meter: np.ndarray | None = None,
        index: np.ndarray | None = None,
    ) -> None:
        """Record visits; the meter and index are those in place that day unless given."""
        if meter is None or index is None:
            meter, index, _ = meters.index_at(contract, day)
        parts.append(
            {
                "contract": contract,
                "day": day,
                "meter": meter,
                "index": index,
                "kind": np.full(contract.size, KINDS.index(kind)),
                "note": np.full(contract.size, note),
                "seal": np.full(contract.size, seal),
                "ok": np.full(contract.size, ok),
            }
        )

    new = np.flatnonzero(registry.start >= hs)
    add(new, registry.start[new], "seal_placed", 0, True, 1)
    replaced = np.flatnonzero(meters.second_meter >= 0)
    day = meters.replaced_on[replaced]
    old = meters.first_meter[replaced]
    add(replaced, day, "replacement", 1, False, -1, meter=old, index=meters.final_index[old])
    add(replaced, day, "seal_placed", 2, True, 1)
    ended = np.flatnonzero(registry.end < NO_END)
    in_place = meters.index_at(ended, registry.end[ended] - 1)[0]
    add(ended, registry.end[ended], "disconnection", 3, False, -1, meter=in_place, index=meters.final_index[in_place])

    # Inspections: a routine rate, three times higher where the transformers lose energy.
    transformer = registry.layout.contract_transformer
    lossy = (transformer >= 0) & consumption.lossy[np.maximum(transformer, 0)]
    rate = np.where(registry.is_water, 0.02, np.where(lossy, 0.12, 0.04)) * horizon.months / 12
    low = np.maximum(registry.start, hs) + 1
    high = np.minimum(registry.end, he) - 1
    visited = np.flatnonzero((rng.random(n) < rate) & (high > low))
    day = rng.integers(low[visited], high[visited])
    month = horizon.month_of(day)
    stealing = consumption.fraud[visited] & (month >= consumption.theft_start[visited])
    broken = rng.random(visited.size) < np.where(stealing, 0.5, 0.03)
    add(visited[~broken], day[~broken], "inspection", 4, False, 1)
    add(visited[broken], day[broken], "seal_broken", 5, False, 0)
    add(visited[broken], day[broken], "seal_placed", 6, True, 1)

    # The visit after which a thief's meter reports less.
    tampered = np.flatnonzero(consumption.intervention_day >= 0)
    add(tampered, consumption.intervention_day[tampered], "repair", 7, True, 1)

    rows = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    sequence = np.arange(rows["day"].size)
    order = np.lexsort((sequence, rows["contract"], rows["day"]))
    rows = {key: value[order] for key, value in rows.items()}
    count = order.size
    seal = rows["seal"]
    seal_text = concat("SC", number(rng.integers(10_000_000, 100_000_000, count)))
    first_serial = meters.serial.take(pa.array(meters.first_meter[rows["contract"]]))
    second_serial = meters.serial.take(pa.array(np.maximum(meters.second_meter[rows["contract"]], 0)))
    replaced_note = concat("Compteur ", first_serial, " remplacé par ", second_serial)
    notes = pc.if_else(pa.array(rows["note"] == 1), replaced_note, pick(NOTES, rows["note"]))
    created = office_hours(rng, rows["day"]) + rng.integers(0, 2, count) * US_PER_DAY
    created = np.minimum(created, he * US_PER_DAY - rng.integers(1, 3_600, count) * 1_000_000)
    return Interventions(
        contract=rows["contract"],
        meter=rows["meter"],
        day=rows["day"],
        kind=pick(KINDS, rows["kind"]),
        seal_number=where(seal, seal_text, None),
        index_value=rows["index"],
        notes=notes,
        seal_ok=rows["ok"] == 1,
        seal_ok_known=rows["ok"] >= 0,
        created=created,
    )


@dataclass
class ReadingState:
    """What the reading system remembers of each contract between two visits."""

    seen: np.ndarray
    meter: np.ndarray
    index: np.ndarray
    day: np.ndarray
    first_real_day: np.ndarray
    first_real_units: np.ndarray
    last_real_day: np.ndarray
    last_real_units: np.ndarray
    misses: np.ndarray

    @classmethod
    def empty(cls, n: int) -> ReadingState:
        """Nothing read yet for ``n`` contracts."""
        zeros = np.zeros(n, dtype=np.int64)
        return cls(
            np.zeros(n, dtype=bool),
            zeros - 1,
            zeros.copy(),
            zeros.copy(),
            zeros - 1,
            zeros.copy(),
            zeros - 1,
            zeros.copy(),
            zeros.copy(),
        )


def readings(seed: int, meters: Meters, first_id: int = 1) -> Iterator[dict[str, np.ndarray | pa.Array]]:
    """The readings of each month in turn, as columns of the ``reading`` table numbered from ``first_id``."""
    registry, consumption = meters.registry, meters.consumption
    horizon = registry.horizon
    n = registry.contracts
    layout = registry.layout
    rng = stream(seed, Stream.READINGS)
    chronic = rng.random(n) < CHRONIC_NO_ACCESS_SHARE
    miss_rate = np.where(chronic, CHRONIC_NO_ACCESS, MISSED_READING)
    expected = consumption.base * 12 / 365.25 / meters.multiplier[meters.first_meter]
    round_day = np.array(layout.round_day)[layout.contract_round]
    parity = np.array(layout.round_parity)[layout.contract_round]
    state = ReadingState.empty(n)
    next_id = first_id
    limit = horizon.end_day * US_PER_DAY
    for k in range(horizon.months):
        month_rng = stream(seed, Stream.READINGS, k + 1)
        ms, me = int(horizon.month_start[k]), int(horizon.month_start[k + 1])
        due = ~registry.bimonthly | (parity == horizon.absolute_month[k] % 2)
        day = ms + round_day - 1 + month_rng.integers(-2, 3, n)
        day = np.clip(day, ms, me - 1)
        scheduled = np.flatnonzero(due & (day > registry.start) & (day < registry.end))
        final = np.flatnonzero((registry.end >= ms) & (registry.end < me))
        batches = [
            _visit(month_rng, meters, state, k, scheduled, day[scheduled], miss_rate, expected, final=False),
            _visit(month_rng, meters, state, k, final, registry.end[final], miss_rate, expected, final=True),
        ]
        rows = {key: np.concatenate([b[key] for b in batches]) for key in batches[0]}
        order = np.lexsort((rows["estimate"], rows["contract"], rows["day"]))
        rows = {key: value[order] for key, value in rows.items()}
        count = order.size
        created = _entry_times(month_rng, rows["day"], rows["source"])
        late = created >= limit
        created[late] = limit - month_rng.integers(1, 3_600, int(late.sum())) * 1_000_000
        anomaly = rows["anomaly"]
        yield {
            "id": np.arange(next_id, next_id + count),
            "contract_id": rows["contract"] + 1,
            "meter_id": rows["meter"] + 1,
            "reading_date": rows["day"],
            "index_value": pa.array(rows["index"], mask=rows["index"] < 0),
            "source": pick(SOURCES, rows["source"]),
            "anomaly_code": _nullable_pick(ANOMALY_CODES, anomaly),
            "created_at": created,
            "updated_at": created,
        }
        next_id += count


def _nullable_pick(values: tuple[str, ...], index: np.ndarray) -> pa.Array:
    return where(index >= 0, pick(values, np.maximum(index, 0)), None)


def _entry_times(rng: np.random.Generator, day: np.ndarray, source: np.ndarray) -> np.ndarray:
    """When a reading reached the system: terminals sync the same day, paper sheets are typed in later, and
    estimates come from the night batch of the billing run."""
    n = day.size
    base = day * US_PER_DAY
    terminal = base + 8 * US_PER_HOUR + rng.integers(0, 11 * US_PER_HOUR, n)
    manual = base + rng.integers(1, 4, n) * US_PER_DAY + 8 * US_PER_HOUR + rng.integers(0, 9 * US_PER_HOUR, n)
    estimate = base + rng.integers(2, 6, n) * US_PER_DAY + 2 * US_PER_HOUR + rng.integers(0, US_PER_HOUR, n)
    return np.select([source == TERMINAL, source == MANUAL], [terminal, manual], estimate)


def _visit(
    rng: np.random.Generator,
    meters: Meters,
    state: ReadingState,
    month: int,
    contract: np.ndarray,
    day: np.ndarray,
    miss_rate: np.ndarray,
    expected: np.ndarray,
    final: bool,
) -> dict[str, np.ndarray]:
    """Visit the meters of ``contract`` on ``day``: a reading, or a failed visit followed by an estimate."""
    consumption = meters.consumption
    r = contract.size
    meter, index, used = meters.index_at(contract, day)
    forced = ~state.seen[contract] | (meter != state.meter[contract]) | final
    missed = (rng.random(r) < miss_rate[contract]) & ~forced & (state.misses[contract] < MAX_ESTIMATES_IN_A_ROW)
    visit_source = np.where(rng.random(r) < TERMINAL_SHARE, TERMINAL, MANUAL)

    anomaly = np.full(r, -1, dtype=np.int64)
    u = rng.random(r)
    stealing = consumption.fraud[contract] & (month >= consumption.theft_start[contract])
    pattern = consumption.pattern[contract]
    vacant = (consumption.vacancy_start[contract] >= 0) & (month >= consumption.vacancy_start[contract])
    vacant &= month <= consumption.vacancy_start[contract] + consumption.vacancy_months[contract]
    leaking = (consumption.leak_start[contract] >= 0) & (month >= consumption.leak_start[contract])
    leaking &= month <= consumption.leak_start[contract] + consumption.leak_months[contract]
    cutting = np.isin(pattern, [PATTERN["constant_cut"], PATTERN["progressive"], PATTERN["post_intervention"]])
    rules = [
        (stealing & (pattern == PATTERN["zero"]) & (u < 0.3), "METER_STUCK"),
        (stealing & cutting & (u < 0.04), "SEAL_BROKEN"),
        (stealing & cutting & (u >= 0.04) & (u < 0.06), "METER_REVERSED"),
        (vacant & (u < 0.5), "PREMISES_VACANT"),
        (leaking & (u < 0.7), "LEAK"),
        (u > 0.9992, "METER_DAMAGED"),
        ((u > 0.9987) & (u <= 0.9992), "SEAL_BROKEN"),
    ]
    for condition, code in reversed(rules):
        anomaly = np.where(condition, ANOMALY[code], anomaly)
    anomaly = np.where(missed, np.where(rng.random(r) < 0.85, ANOMALY["NO_ACCESS"], ANOMALY["UNREADABLE"]), anomaly)

    # The estimate: the average daily consumption between the real readings so far, from the last index.
    span = state.last_real_day[contract] - state.first_real_day[contract]
    history = (state.last_real_units[contract] - state.first_real_units[contract]) / np.maximum(span, 1)
    rate = np.where(span >= 25, history, expected[contract])
    estimate = state.index[contract] + np.rint(rate * (day - state.day[contract])).astype(np.int64)
    estimate %= 10 ** meters.digits[meter]

    real = ~missed
    seen_real = contract[real]
    first_time = state.first_real_day[seen_real] < 0
    state.first_real_day[seen_real[first_time]] = day[real][first_time]
    state.first_real_units[seen_real[first_time]] = used[real][first_time]
    state.last_real_day[seen_real] = day[real]
    state.last_real_units[seen_real] = used[real]
    state.index[contract] = np.where(missed, estimate, index)
    state.day[contract] = day
    state.misses[contract] = np.where(missed, state.misses[contract] + 1, 0)
    state.seen[contract] = True
    state.meter[contract] = meter

    gaps = np.flatnonzero(missed)
    return {
        "contract": np.concatenate([contract, contract[gaps]]),
        "meter": np.concatenate([meter, meter[gaps]]),
        "day": np.concatenate([day, day[gaps]]),
        "index": np.concatenate([np.where(missed, -1, index), estimate[gaps]]),
        "source": np.concatenate([visit_source, np.full(gaps.size, ESTIMATE)]),
        "anomaly": np.concatenate([anomaly, np.full(gaps.size, -1)]),
        "estimate": np.concatenate([np.zeros(r, dtype=np.int64), np.ones(gaps.size, dtype=np.int64)]),
    }
