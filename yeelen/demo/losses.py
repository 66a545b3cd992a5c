"""Energy and water delivered by the network, and the meters that count it at feeders, transformers, districts.

A transformer delivers what its customers truly use plus its technical losses (3 to 8 %, growing with its
load); a feeder delivers what its transformers and medium-voltage customers take plus 2 to 4 % of line losses;
a water district loses 15 to 35 % of what enters it to leaks. Network meters are read on the 1st of each month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from yeelen.demo.consumption import Consumption
from yeelen.demo.population import CAT, LOW_VOLTAGE
from yeelen.demo.registry import Registry, office_hours
from yeelen.demo.streams import Stream, stream
from yeelen.demo.timeline import US_PER_DAY

NETWORK_METER_DIGITS = 8


@dataclass
class Flows:
    """Monthly quantities (month, equipment) in kWh or m3."""

    transformer_true: np.ndarray
    transformer_reported: np.ndarray
    transformer_technical: np.ndarray
    transformer_delivered: np.ndarray
    feeder_mv: np.ndarray
    feeder_line_loss: np.ndarray
    feeder_delivered: np.ndarray
    district_true: np.ndarray
    district_reported: np.ndarray
    district_delivered: np.ndarray


def _sum_by(owner: np.ndarray, rows: np.ndarray, matrix: np.ndarray, groups: int) -> np.ndarray:
    return np.stack([np.bincount(owner[rows], weights=month[rows], minlength=groups) for month in matrix])


def flows(seed: int, registry: Registry, consumption: Consumption) -> Flows:
    """What each transformer, feeder and water district delivered each month."""
    rng = stream(seed, Stream.LOSSES)
    layout = registry.layout
    horizon = registry.horizon
    n_tr, n_fd, n_wd = len(layout.transformer_code), len(layout.feeder_code), len(layout.district_code)
    low_voltage = np.flatnonzero(LOW_VOLTAGE[registry.category])
    tr_true = _sum_by(layout.contract_transformer, low_voltage, consumption.true, n_tr)
    tr_reported = _sum_by(layout.contract_transformer, low_voltage, consumption.reported, n_tr)
    hours = horizon.days_in_month[:, None] * 24.0
    load = tr_true / hours / (layout.transformer_rating[None, :] * 0.9)
    technical_share = 0.03 + 0.05 * np.clip((load - 0.05) / 0.35, 0.0, 1.0)
    tr_technical = tr_true * technical_share
    tr_delivered = tr_true + tr_technical

    mv = np.flatnonzero(registry.category == CAT["MT"])
    feeder_mv = _sum_by(layout.contract_feeder, mv, consumption.true, n_fd)
    feeder_of = np.array(layout.transformer_feeder, dtype=np.int64)
    downstream = np.stack([np.bincount(feeder_of, weights=month, minlength=n_fd) for month in tr_delivered])
    downstream += feeder_mv
    typical = np.maximum(downstream.mean(axis=0), 1e-9)
    line_share = np.clip(rng.uniform(0.02, 0.04, n_fd)[None, :] * np.sqrt(downstream / typical), 0.02, 0.04)
    feeder_line_loss = downstream * line_share
    water = np.flatnonzero(registry.is_water)
    wd_true = _sum_by(layout.contract_district, water, consumption.true, n_wd)
    wd_reported = _sum_by(layout.contract_district, water, consumption.reported, n_wd)
    leak_share = rng.uniform(0.17, 0.33, n_wd)[None, :] + rng.normal(0.0, 0.015, (horizon.months, n_wd))
    leak_share = np.clip(leak_share, 0.15, 0.35)
    return Flows(
        transformer_true=tr_true,
        transformer_reported=tr_reported,
        transformer_technical=tr_technical,
        transformer_delivered=tr_delivered,
        feeder_mv=feeder_mv,
        feeder_line_loss=feeder_line_loss,
        feeder_delivered=downstream + feeder_line_loss,
        district_true=wd_true,
        district_reported=wd_reported,
        district_delivered=wd_true / (1.0 - leak_share),
    )


@dataclass
class NetworkMeters:
    """Network meters in id order (feeders, then transformers, then districts) and their monthly readings."""

    kind: list[str]
    equipment: np.ndarray
    serial: list[str]
    unit: list[str]
    multiplier: np.ndarray
    installed_on: np.ndarray
    created: np.ndarray
    reading_meter: np.ndarray
    reading_day: np.ndarray
    reading_index: np.ndarray
    reading_source: list[str]
    reading_source_code: np.ndarray
    reading_created: np.ndarray


def network_meters(seed: int, registry: Registry, flow: Flows) -> NetworkMeters:
    """One meter per feeder, transformer and water district, read on the 1st of every month and the month after."""
    rng = stream(seed, Stream.LOSSES, 1)
    layout = registry.layout
    horizon = registry.horizon
    hs = horizon.start_day
    codes = layout.feeder_code + layout.transformer_code + layout.district_code
    n_fd, n_tr = len(layout.feeder_code), len(layout.transformer_code)
    kind = ["feeder"] * n_fd + ["transformer"] * n_tr + ["water_district"] * len(layout.district_code)
    equipment = np.concatenate([np.arange(n_fd), np.arange(n_tr), np.arange(len(layout.district_code))])
    delivered = np.concatenate([flow.feeder_delivered, flow.transformer_delivered, flow.district_delivered], axis=1)
    count = len(codes)
    multiplier = np.array([10 if k == "feeder" else 1 for k in kind], dtype=np.int64)
    cumulative = np.zeros((horizon.months + 1, count))
    np.cumsum(delivered, axis=0, out=cumulative[1:])
    total = np.floor(cumulative[-1] / multiplier).astype(np.int64)
    room = np.maximum(10**NETWORK_METER_DIGITS - total - 1, 1)
    start = (rng.random(count) * room * 0.8).astype(np.int64)
    index = start[None, :] + np.floor(cumulative / multiplier[None, :]).astype(np.int64)
    installed_on = hs - rng.integers(30, 8 * 365, count)
    # Feeders and districts report remotely; a third of transformer meters are read by an agent.
    remote = (np.array(kind) != "transformer") | (rng.random(count) < 0.7)
    months = horizon.months + 1
    day = np.repeat(horizon.month_start, count)
    meter = np.tile(np.arange(count), months)
    source = np.tile(np.where(remote, 0, 1), months)
    minute = 60_000_000
    created = np.where(
        source == 0,
        day * US_PER_DAY + 5 * minute + rng.integers(0, 30 * minute, day.size),
        office_hours(rng, day, 8, 4),
    )
    return NetworkMeters(
        kind=kind,
        equipment=equipment,
        serial=[f"CPT-{code}" for code in codes],
        unit=["m3" if k == "water_district" else "kWh" for k in kind],
        multiplier=multiplier,
        installed_on=installed_on,
        created=office_hours(rng, installed_on),
        reading_meter=meter,
        reading_day=day,
        reading_index=index.reshape(-1),
        reading_source=["remote", "manual"],
        reading_source_code=source,
        reading_created=created,
    )
