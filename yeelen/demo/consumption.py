"""Monthly consumption of every contract: the true one, and the one its meter reports.

True consumption = a base level (by category and subscribed power, lognormal spread) x the customer's own
seasonality (Dakar uses more electricity in the hot, humid months, May to October) x month-to-month noise x a
slow trend x the share of the month the contract was active. A few honest customers leave their premises empty
for a while, a few water customers have a leak. Thieves' meters report less than they use, after the attack
patterns of Jokar et al. (2016) and Zheng et al. (2018).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yeelen.demo.population import CAT, POWER_VALUE
from yeelen.demo.reference import PATTERN_CODES, THEFT_PATTERNS
from yeelen.demo.registry import Registry
from yeelen.demo.streams import Stream, stream
from yeelen.demo.text import weighted

HOURS_PER_MONTH = 730.0
SOCIAL_CAP = 148.0
LOSSY_TRANSFORMER_SHARE = 0.12
FRAUD_ON_LOSSY = 0.30
FRAUD_ELSEWHERE = 0.006
# Shops steal more often than households: more to gain.
PRO_FRAUD_WEIGHT = 1.4
THIEVING_CATEGORIES = np.array([CAT["DOM_SOCIAL"], CAT["DOM"], CAT["PRO"]])
VACANCY_SHARE = 0.015
LEAKS_PER_YEAR = 0.03
PATTERN = {code: i for i, code in enumerate(PATTERN_CODES)}


@dataclass
class Consumption:
    """Monthly matrices (month, contract) and the truth about each contract."""

    true: np.ndarray
    reported: np.ndarray
    # Cumulative reported consumption at each month start (months + 1 rows).
    cumulative: np.ndarray
    base: np.ndarray
    first_month: np.ndarray
    last_month: np.ndarray
    lossy: np.ndarray
    fraud: np.ndarray
    pattern: np.ndarray
    theft_start: np.ndarray
    alpha: np.ndarray
    alpha_end: np.ndarray
    ramp_months: np.ndarray
    on_share: np.ndarray
    intervention_day: np.ndarray
    vacancy_start: np.ndarray
    vacancy_months: np.ndarray
    leak_start: np.ndarray
    leak_months: np.ndarray


def active_share(registry: Registry) -> np.ndarray:
    """Share of each month (rows) during which each contract (columns) was active."""
    ms = registry.horizon.month_start
    lo = np.maximum(ms[:-1, None], registry.start[None, :])
    hi = np.minimum(ms[1:, None], registry.end[None, :])
    return np.clip((hi - lo) / np.diff(ms)[:, None], 0.0, 1.0)


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, size: int) -> np.ndarray:
    return median * np.exp(rng.normal(0.0, sigma, size))


def base_level(rng: np.random.Generator, category: np.ndarray, power: np.ndarray) -> np.ndarray:
    """Typical monthly consumption (kWh, or m3 for water) of each contract."""
    n = category.size
    level = np.zeros(n)
    kva = POWER_VALUE[power]

    def fill(name: str, values: np.ndarray) -> None:
        """Take ``values`` for the contracts of one category."""
        rows = category == CAT[name]
        level[rows] = values[rows]

    fill("DOM_SOCIAL", _lognormal(rng, 85.0, 0.3, n))
    fill("DOM", _lognormal(rng, 60.0 + 17.0 * kva, 0.3, n))
    fill("PRO", kva * HOURS_PER_MONTH * np.clip(_lognormal(rng, 0.07, 0.5, n), 0.015, 0.35))
    fill("ADM", kva * HOURS_PER_MONTH * np.clip(_lognormal(rng, 0.09, 0.4, n), 0.02, 0.4))
    fill("EP", kva * 0.9 * 365.0 * rng.uniform(0.85, 1.0, n))
    fill("MT", kva * HOURS_PER_MONTH * np.clip(_lognormal(rng, 0.25, 0.3, n), 0.08, 0.6))
    fill("EAU_DOM", _lognormal(rng, 9.0 * kva / 15.0, 0.45, n))
    fill("EAU_PRO", _lognormal(rng, 35.0 * (kva / 20.0) ** 2, 0.8, n))
    fill("EAU_ADM", _lognormal(rng, 80.0 * (kva / 25.0) ** 2, 0.7, n))
    return level


def _habits(rng: np.random.Generator, category: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seasonal amplitude, peak month and month-to-month noise of each contract."""
    n = category.size
    amplitude = rng.uniform(0.08, 0.35, n)
    peak = 8.5 + rng.normal(0.0, 0.6, n)
    noise = rng.uniform(0.06, 0.15, n)
    settings = {
        "PRO": ((0.10, 0.40), 8.5, (0.06, 0.18)),
        "ADM": ((0.15, 0.40), 8.5, (0.06, 0.10)),
        "EP": ((0.03, 0.07), 12.5, (0.01, 0.03)),
        "MT": ((0.03, 0.15), 8.5, (0.03, 0.07)),
        "EAU_DOM": ((0.05, 0.20), 5.0, (0.10, 0.25)),
        "EAU_PRO": ((0.05, 0.20), 5.0, (0.10, 0.25)),
        "EAU_ADM": ((0.05, 0.20), 5.0, (0.10, 0.20)),
    }
    for name, ((a_lo, a_hi), month, (s_lo, s_hi)) in settings.items():
        rows = np.flatnonzero(category == CAT[name])
        amplitude[rows] = rng.uniform(a_lo, a_hi, rows.size)
        peak[rows] = month + rng.normal(0.0, 0.6, rows.size)
        noise[rows] = rng.uniform(s_lo, s_hi, rows.size)
    return amplitude, peak, noise


def _full_months(registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    """First and last month each contract is active for the whole month (last < first when none)."""
    ms = registry.horizon.month_start
    first = np.searchsorted(ms, registry.start, side="left")
    last = np.searchsorted(ms, registry.end, side="right") - 2
    return first, np.minimum(last, registry.horizon.months - 1)


def simulate(seed: int, registry: Registry) -> Consumption:
    """True and reported monthly consumption of every contract, with the truth about thefts."""
    rng = stream(seed, Stream.CONSUMPTION)
    horizon = registry.horizon
    months, n = horizon.months, registry.contracts
    category = registry.category
    base = base_level(rng, category, registry.power)
    amplitude, peak, sigma = _habits(rng, category)
    trend = rng.normal(0.02, 0.03, n)

    true = rng.standard_normal((months, n), dtype=np.float32).astype(np.float64)
    true *= sigma
    true += -0.5 * sigma**2
    np.exp(true, out=true)
    season = 1.0 + amplitude * np.cos(2 * np.pi * (horizon.month_of_year[:, None] - peak[None, :]) / 12.0)
    true *= season
    del season
    true *= base * (1.0 + trend * np.arange(months)[:, None] / 12.0)
    true *= active_share(registry)
    social = np.flatnonzero(category == CAT["DOM_SOCIAL"])
    true[:, social] = np.minimum(true[:, social], SOCIAL_CAP)

    first, last = _full_months(registry)
    span = last - first + 1
    vacancy_start = np.full(n, -1, dtype=np.int64)
    vacancy_months = np.zeros(n, dtype=np.int64)
    leak_start = np.full(n, -1, dtype=np.int64)
    leak_months = np.zeros(n, dtype=np.int64)

    theft = _thefts(seed, registry, first, last)
    fraud = theft["fraud"]
    # Vacant premises: honest domestic customers using almost nothing for a few months.
    domestic = np.isin(category, [CAT["DOM_SOCIAL"], CAT["DOM"]]) & ~fraud & (span >= 6)
    vacant = np.flatnonzero(domestic & (rng.random(n) < VACANCY_SHARE))
    vacancy_start[vacant] = rng.integers(first[vacant], last[vacant])
    vacancy_months[vacant] = rng.integers(2, 7, vacant.size)
    # Leaks after the water meter: the customer's consumption jumps for a month or two.
    leaky = np.isin(category, [CAT["EAU_DOM"], CAT["EAU_PRO"]]) & (span >= 3)
    leaky = np.flatnonzero(leaky & (rng.random(n) < LEAKS_PER_YEAR * months / 12))
    leak_start[leaky] = rng.integers(first[leaky], last[leaky] + 1)
    leak_months[leaky] = rng.integers(1, 3, leaky.size)
    k = np.arange(months)[:, None]
    for rows, begin, length, factor in (
        (vacant, vacancy_start, vacancy_months, np.full(vacant.size, 0.03)),
        (leaky, leak_start, leak_months, rng.uniform(2.5, 6.0, leaky.size)),
    ):
        inside = (k >= begin[rows][None, :]) & (k < (begin[rows] + length[rows])[None, :])
        true[:, rows] *= np.where(inside, factor[None, :], 1.0)

    reported = true.copy()
    thieves = np.flatnonzero(fraud)
    reported[:, thieves] *= theft["factor"]
    cumulative = np.zeros((months + 1, n))
    np.cumsum(reported, axis=0, out=cumulative[1:])
    return Consumption(
        true=true,
        reported=reported,
        cumulative=cumulative,
        base=base,
        first_month=first,
        last_month=last,
        lossy=theft["lossy"],
        fraud=fraud,
        pattern=theft["pattern"],
        theft_start=theft["start"],
        alpha=theft["alpha"],
        alpha_end=theft["alpha_end"],
        ramp_months=theft["ramp"],
        on_share=theft["on_share"],
        intervention_day=theft["intervention_day"],
        vacancy_start=vacancy_start,
        vacancy_months=vacancy_months,
        leak_start=leak_start,
        leak_months=leak_months,
    )


def _thefts(seed: int, registry: Registry, first: np.ndarray, last: np.ndarray) -> dict[str, np.ndarray]:
    """Who steals, how and from when; most thieves hang on a few lossy transformers."""
    rng = stream(seed, Stream.THEFT)
    horizon = registry.horizon
    months, n = horizon.months, registry.contracts
    transformers = len(registry.layout.transformer_code)
    lossy = np.zeros(transformers, dtype=bool)
    lossy[rng.choice(transformers, size=max(1, round(LOSSY_TRANSFORMER_SHARE * transformers)), replace=False)] = True
    transformer = registry.layout.contract_transformer
    eligible = np.isin(registry.category, THIEVING_CATEGORIES) & (transformer >= 0)
    probability = np.where(lossy[np.maximum(transformer, 0)], FRAUD_ON_LOSSY, FRAUD_ELSEWHERE)
    probability *= np.where(registry.category == CAT["PRO"], PRO_FRAUD_WEIGHT, 1.0)
    fraud = eligible & (rng.random(n) < probability)
    # Most thefts leave at least six honest months before them; some start sooner.
    early = rng.random(n) < 0.1
    low = first + np.where(early, 1, 6)
    high = last - 2
    low = np.where(high < low, first + 1, low)
    fraud &= high >= low
    rows = np.flatnonzero(fraud)
    start = np.full(n, -1, dtype=np.int64)
    start[rows] = rng.integers(low[rows], high[rows] + 1)

    pattern = np.full(n, -1, dtype=np.int64)
    pattern[rows] = weighted(rng, [share for *_, share in THEFT_PATTERNS], rows.size)
    alpha = np.full(n, np.nan)
    alpha_end = np.full(n, np.nan)
    ramp = np.zeros(n, dtype=np.int64)
    on_share = np.full(n, np.nan)
    alpha[rows] = np.round(rng.uniform(0.2, 0.8, rows.size), 3)
    zero = rows[pattern[rows] == PATTERN["zero"]]
    alpha[zero] = 0.0
    progressive = rows[pattern[rows] == PATTERN["progressive"]]
    alpha[progressive] = np.nan
    alpha_end[progressive] = np.round(rng.uniform(0.1, 0.5, progressive.size), 3)
    ramp[progressive] = rng.integers(3, 10, progressive.size)
    intermittent = rows[pattern[rows] == PATTERN["intermittent"]]
    alpha[intermittent] = np.round(rng.uniform(0.0, 0.4, intermittent.size), 3)
    on_share[intermittent] = np.round(rng.uniform(0.4, 0.7, intermittent.size), 3)

    k = np.arange(months)[:, None]
    since = k - start[rows][None, :]
    stealing = since >= 0
    factor = np.where(stealing, alpha[rows][None, :], 1.0)
    is_progressive = (pattern[rows] == PATTERN["progressive"])[None, :]
    fading = 1.0 - (1.0 - alpha_end[rows][None, :]) * np.minimum(1.0, (since + 1) / np.maximum(ramp[rows], 1)[None, :])
    factor = np.where(is_progressive & stealing, fading, factor)
    is_intermittent = (pattern[rows] == PATTERN["intermittent"])[None, :]
    on = (rng.random((months, rows.size)) < on_share[rows][None, :]) | (since == 0)
    factor = np.where(is_intermittent & stealing & ~on, 1.0, factor)

    # The cut after an intervention starts the month after a visit late in the previous month.
    intervention_day = np.full(n, -1, dtype=np.int64)
    after = rows[pattern[rows] == PATTERN["post_intervention"]]
    month = start[after] - 1
    ms = horizon.month_start
    earliest = np.maximum(ms[month] + 10, registry.start[after] + 1)
    intervention_day[after] = rng.integers(earliest, np.maximum(ms[month + 1], earliest + 1))
    return {
        "lossy": lossy,
        "fraud": fraud,
        "pattern": pattern,
        "start": start,
        "alpha": alpha,
        "alpha_end": alpha_end,
        "ramp": ramp,
        "on_share": on_share,
        "intervention_day": intervention_day,
        "factor": factor,
    }
