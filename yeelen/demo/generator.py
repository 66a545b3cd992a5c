"""``generate``: a whole demo utility, from the network to two years of readings, loaded in one transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy.engine import make_url

from yeelen.demo import truth
from yeelen.demo.consumption import Consumption, simulate
from yeelen.demo.identity import KINDS
from yeelen.demo.loader import BackgroundLoad, BulkWriter, ensure_location, open_writer
from yeelen.demo.losses import NETWORK_METER_DIGITS, Flows, NetworkMeters, flows, network_meters
from yeelen.demo.metering import BRANDS, METER_TYPES, Interventions, Meters, install, interventions, readings
from yeelen.demo.population import CATEGORIES, MINIMUM_CUSTOMERS, POWER_TEXT
from yeelen.demo.profiles import payment_profiles
from yeelen.demo.reference import PATTERN_CODES
from yeelen.demo.registry import NO_END, Registry, build, office_hours
from yeelen.demo.streams import Stream, stream
from yeelen.demo.tables import logical_table, nullable
from yeelen.demo.text import concat, number, pick, where
from yeelen.demo.timeline import default_end_month, make_horizon
from yeelen.errors import InputRejectedError, YeelenError

GENERATOR_VERSION = 1
MAX_MONTHS = 120
MAX_CUSTOMERS = 5_000_000
CHUNK_ROWS = 250_000
# Tables the generator fills, parents before children.
TABLES = (
    "agency",
    "substation",
    "feeder",
    "water_district",
    "reading_round",
    "transformer",
    "network_meter",
    "network_reading",
    "customer",
    "delivery_point",
    "contract",
    "meter",
    "meter_installation",
    "meter_intervention",
    "reading",
)


class DemoDatabaseNotEmptyError(YeelenError):
    """The operational database already holds customers and replacing them was not asked for."""


@dataclass
class GenerationReport:
    """What a generation produced: where, for which parameters, rows per table and time per stage."""

    url: str
    seed: int
    customers: int
    months: int
    end_month: str
    horizon_start: dt.date
    horizon_end: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    truth_dir: Path | None = None

    def summary(self) -> str:
        """A few lines for a person: rows per table and time per stage."""
        last = self.horizon_end - dt.timedelta(days=1)
        lines = [
            f"Demo utility generated in {self.seconds:.1f} s into {self.url}",
            f"  seed {self.seed}, {self.customers:,} customers, {self.months} months "
            f"({self.horizon_start:%Y-%m-%d} to {last:%Y-%m-%d})",
            "  rows:",
        ]
        width = max(len(name) for name in self.counts) if self.counts else 0
        lines += [f"    {name:<{width}}  {count:>12,}" for name, count in self.counts.items()]
        lines.append("  time: " + ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in self.timings.items()))
        if self.truth_dir:
            lines.append(f"  truth (kept outside the database): {self.truth_dir}")
        return "\n".join(lines)


class _Clock:
    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str, message: str) -> Iterator[None]:
        """Time a stage under ``name``, announcing it with ``message``."""
        if self.progress:
            self.progress(message)
        started = time.perf_counter()
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started


def _check(customers: int, months: int, seed: int) -> None:
    if not MINIMUM_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise InputRejectedError(
            f"--customers must be between {MINIMUM_CUSTOMERS:,} and {MAX_CUSTOMERS:,} (got {customers:,})"
        )
    if not 1 <= months <= MAX_MONTHS:
        raise InputRejectedError(f"--months must be between 1 and {MAX_MONTHS} (got {months})")
    if seed < 0:
        raise InputRejectedError(f"--seed must be zero or positive (got {seed})")


def generate(
    url: str,
    customers: int,
    months: int,
    seed: int,
    end_month: str | None = None,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
    demo_dir: Path | None = None,
) -> GenerationReport:
    """Generate a demo utility into the operational database at ``url`` and its truth under ``demo_dir``.

    Same seed, size and end month give the same rows. Refuses a database that already holds customers unless
    ``replace`` is true, in which case the generated tables (and the tables referring to them) are emptied first.
    """
    from operational_api.migrate import upgrade

    _check(customers, months, seed)
    horizon = make_horizon(end_month or default_end_month(), months)
    shown = make_url(url).render_as_string(hide_password=True)
    clock = _Clock(progress)
    with clock.stage("migrate", "Applying the schema migrations"):
        ensure_location(url)
        upgrade(url)
    writer = open_writer(url)
    try:
        _refuse_unless_empty(writer, shown, replace)
        with clock.stage("customers", f"Drawing {customers:,} customers and the network"):
            registry = build(seed, customers, horizon)
        with clock.stage("consumption", f"Simulating {months} months of consumption"):
            consumption = simulate(seed, registry)
        with clock.stage("meters", "Installing meters"):
            meters = install(seed, registry, consumption)
            visits = interventions(seed, meters)
        with clock.stage("network", "Computing network flows"):
            flow = flows(seed, registry, consumption)
            network = network_meters(seed, registry, flow)
        counts = _load(seed, writer, registry, meters, visits, network, replace, clock)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    folder = truth.truth_dir(demo_dir)
    with clock.stage("truth", f"Writing the truth files to {folder}"):
        report = GenerationReport(
            url=shown,
            seed=seed,
            customers=customers,
            months=months,
            end_month=horizon.end_month,
            horizon_start=horizon.start_date,
            horizon_end=horizon.end_date,
            counts=counts,
            truth_dir=folder,
        )
        truth.write_truth(folder, _truth_tables(seed, registry, consumption, meters, flow), _generation(report))
    report.timings = clock.timings
    report.seconds = time.perf_counter() - clock.started
    return report


def _refuse_unless_empty(writer: BulkWriter, shown: str, replace: bool) -> None:
    """Stop before anything is generated when the tables hold rows and replacing them was not asked for."""
    filled = [name for name in TABLES if writer.has_rows(name)]
    writer.connection.commit()
    if not filled or replace:
        return
    if "customer" in filled:
        held = f"{writer.count_rows('customer'):,} customers"
        writer.connection.commit()
    else:
        held = "rows in " + ", ".join(filled)
    raise DemoDatabaseNotEmptyError(
        f"The operational database at {shown} already holds {held}. Run again with --replace to empty it and "
        "generate a new demo utility, or point YEELEN_OPERATIONAL_URL at another database."
    )


def _load(
    seed: int,
    writer: BulkWriter,
    registry: Registry,
    meters: Meters,
    visits: Interventions,
    network: NetworkMeters,
    replace: bool,
    clock: _Clock,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with clock.stage("prepare", "Preparing the bulk load"):
        writer.begin(list(TABLES), replace)
    load = BackgroundLoad(writer)

    def put(name: str, columns: dict[str, Any]) -> None:
        """Queue a table's rows for loading, in chunks."""
        table = writer.prepare(name, logical_table(name, columns))
        counts[name] = counts.get(name, 0) + table.num_rows
        for offset in range(0, max(table.num_rows, 1), CHUNK_ROWS):
            load.put(name, table.slice(offset, CHUNK_ROWS))

    try:
        with clock.stage("register", "Loading the network, customers, contracts and meters"):
            for name, columns in _register_tables(seed, registry, meters, visits, network):
                put(name, columns)
        with clock.stage("readings", "Generating and loading the readings"):
            for columns in readings(seed, meters):
                put("reading", columns)
            load.close()
    except BaseException:
        load.close()
        raise
    clock.timings["load_busy"] = load.seconds
    with clock.stage("indexes", "Creating the indexes"):
        writer.create_indexes()
    with clock.stage("commit", "Committing"):
        writer.commit()
    return {name: counts.get(name, 0) for name in TABLES}


def _ids(n: int) -> np.ndarray:
    return np.arange(1, n + 1, dtype=np.int64)


def _optional_id(index: np.ndarray) -> pa.Array:
    """Ids from 0-based positions, null where the position is negative."""
    return nullable(index + 1, index < 0)


def _register_tables(
    seed: int, registry: Registry, meters: Meters, visits: Interventions, network: NetworkMeters
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Columns of every table but the readings, parents first."""
    rng = stream(seed, Stream.TIMESTAMPS)
    layout = registry.layout
    hs = registry.horizon.start_day
    places = registry.agencies

    def stamped(days: np.ndarray) -> dict[str, np.ndarray]:
        """Creation and change timestamps during the working day of each date."""
        created = office_hours(rng, days)
        return {"created_at": created, "updated_at": created}

    yield (
        "agency",
        {
            "id": _ids(len(places)),
            "code": [p.code for p in places],
            "name": [f"Agence {p.name}" for p in places],
            "city": [p.city for p in places],
            **stamped(hs - rng.integers(8 * 365, 20 * 365, len(places))),
        },
    )
    stations = layout.substations
    years = np.array([s.commissioned for s in stations])
    yield (
        "substation",
        {
            "id": _ids(len(stations)),
            "code": [s.code for s in stations],
            "name": [s.name for s in stations],
            "voltage_kv": [s.voltage_kv for s in stations],
            "latitude": np.array([s.latitude for s in stations]),
            "longitude": np.array([s.longitude for s in stations]),
            **stamped(((years - 1970) * 365.25).astype(np.int64) + rng.integers(0, 365, len(stations))),
        },
    )
    n_fd = len(layout.feeder_code)
    yield (
        "feeder",
        {
            "id": _ids(n_fd),
            "substation_id": np.array(layout.feeder_substation, dtype=np.int64) + 1,
            "code": layout.feeder_code,
            "name": layout.feeder_name,
            "voltage_kv": layout.feeder_voltage,
            **stamped(hs - rng.integers(365, 25 * 365, n_fd)),
        },
    )
    n_wd = len(layout.district_code)
    yield (
        "water_district",
        {
            "id": _ids(n_wd),
            "agency_id": np.array(layout.district_agency, dtype=np.int64) + 1,
            "code": layout.district_code,
            "name": layout.district_name,
            "latitude": np.array(layout.district_latitude),
            "longitude": np.array(layout.district_longitude),
            **stamped(hs - rng.integers(365, 15 * 365, n_wd)),
        },
    )
    n_rd = len(layout.round_code)
    yield (
        "reading_round",
        {
            "id": _ids(n_rd),
            "agency_id": np.array(layout.round_agency, dtype=np.int64) + 1,
            "code": layout.round_code,
            "name": layout.round_name,
            "reading_day": np.array(layout.round_day, dtype=np.int64),
            **stamped(hs - rng.integers(30, 10 * 365, n_rd)),
        },
    )
    n_tr = len(layout.transformer_code)
    yield (
        "transformer",
        {
            "id": _ids(n_tr),
            "feeder_id": np.array(layout.transformer_feeder, dtype=np.int64) + 1,
            "agency_id": np.array(layout.transformer_agency, dtype=np.int64) + 1,
            "code": layout.transformer_code,
            "name": layout.transformer_name,
            "rating_kva": layout.transformer_rating.astype(np.int64),
            "latitude": np.array(layout.transformer_latitude),
            "longitude": np.array(layout.transformer_longitude),
            **stamped(hs - rng.integers(365, 25 * 365, n_tr)),
        },
    )
    kinds = np.array(network.kind)
    equipment = network.equipment
    count = kinds.size
    yield (
        "network_meter",
        {
            "id": _ids(count),
            "serial": network.serial,
            "kind": network.kind,
            "feeder_id": _optional_id(np.where(kinds == "feeder", equipment, -1)),
            "transformer_id": _optional_id(np.where(kinds == "transformer", equipment, -1)),
            "water_district_id": _optional_id(np.where(kinds == "water_district", equipment, -1)),
            "unit": network.unit,
            "digits": np.full(count, NETWORK_METER_DIGITS, dtype=np.int64),
            "multiplier": network.multiplier,
            "installed_on": network.installed_on,
            "created_at": network.created,
            "updated_at": network.created,
        },
    )
    yield (
        "network_reading",
        {
            "id": _ids(network.reading_meter.size),
            "network_meter_id": network.reading_meter + 1,
            "reading_date": network.reading_day,
            "index_value": network.reading_index,
            "source": pick(network.reading_source, network.reading_source_code),
            "created_at": network.reading_created,
            "updated_at": network.reading_created,
        },
    )

    people = registry.identities
    n_cu = registry.customers
    yield (
        "customer",
        {
            "id": _ids(n_cu),
            "reference": concat("C", number(_ids(n_cu), 9)),
            "kind": pick(KINDS, people.kind),
            "name": people.name,
            "first_name": people.first_name,
            "phone": people.phone,
            "email": people.email,
            "grouping_code": people.grouping_code,
            "agency_id": registry.customer_agency + 1,
            "language": people.language,
            "created_at": registry.customer_created,
            "updated_at": registry.customer_created,
        },
    )
    n = registry.contracts
    water = registry.is_water
    commodity = where(water, "water", "electricity")
    yield (
        "delivery_point",
        {
            "id": _ids(n),
            "reference": concat("PDL", number(_ids(n), 9)),
            "agency_id": registry.agency + 1,
            "commodity": commodity,
            "address": registry.address,
            "latitude": layout.latitude,
            "longitude": layout.longitude,
            "feeder_id": _optional_id(layout.contract_feeder),
            "transformer_id": _optional_id(layout.contract_transformer),
            "water_district_id": _optional_id(layout.contract_district),
            "created_at": registry.point_created,
            "updated_at": registry.point_created,
        },
    )
    ended = registry.end < NO_END
    yield (
        "contract",
        {
            "id": _ids(n),
            "reference": concat("P", number(_ids(n), 10)),
            "customer_id": registry.contract_customer + 1,
            "delivery_point_id": _ids(n),
            "commodity": commodity,
            "category": pick(CATEGORIES, registry.category),
            "subscribed_power": pick(POWER_TEXT, registry.power),
            "power_unit": where(water, "mm", "kVA"),
            "billing_cycle": where(registry.bimonthly, "bimonthly", "monthly"),
            "payment_mode": "postpaid",
            "reading_round_id": layout.contract_round + 1,
            "status": where(ended, "terminated", "active"),
            "start_date": registry.start,
            "end_date": pa.array(np.where(ended, registry.end, 0).astype(np.int32), pa.date32(), mask=~ended),
            "created_at": registry.created,
            "updated_at": registry.updated,
        },
    )
    m = meters.contract.size
    m_water = water[meters.contract]
    yield (
        "meter",
        {
            "id": _ids(m),
            "serial": meters.serial,
            "commodity": where(m_water, "water", "electricity"),
            "meter_type": pick(METER_TYPES, meters.meter_type),
            "digits": meters.digits,
            "multiplier": meters.multiplier,
            "brand": pick(BRANDS, meters.brand),
            "created_at": meters.created,
            "updated_at": meters.created,
        },
    )
    removed = meters.removed_on >= 0
    installed = office_hours(rng, meters.installed_on)
    yield (
        "meter_installation",
        {
            "id": _ids(m),
            "meter_id": _ids(m),
            "contract_id": meters.contract + 1,
            "installed_on": meters.installed_on,
            "removed_on": pa.array(np.maximum(meters.removed_on, 0).astype(np.int32), pa.date32(), mask=~removed),
            "initial_index": meters.initial_index,
            "final_index": nullable(meters.final_index, ~removed),
            "reason": where(meters.replacement, "replacement", "new_connection"),
            "created_at": installed,
            "updated_at": np.where(removed, office_hours(rng, np.maximum(meters.removed_on, 0)), installed),
        },
    )
    v = visits.contract.size
    yield (
        "meter_intervention",
        {
            "id": _ids(v),
            "contract_id": visits.contract + 1,
            "meter_id": visits.meter + 1,
            "intervention_date": visits.day,
            "kind": visits.kind,
            "seal_number": visits.seal_number,
            "index_value": visits.index_value,
            "notes": visits.notes,
            "seal_ok": pa.array(visits.seal_ok, mask=~visits.seal_ok_known),
            "created_at": visits.created,
            "updated_at": visits.created,
        },
    )


def _dates(days: np.ndarray, present: np.ndarray) -> pa.Array:
    return pa.array(np.where(present, days, 0).astype(np.int32), pa.date32(), mask=~present)


def _truth_tables(
    seed: int, registry: Registry, consumption: Consumption, meters: Meters, flow: Flows
) -> dict[str, pa.Table]:
    layout = registry.layout
    horizon = registry.horizon
    ms = horizon.month_start
    n = registry.contracts
    fraud = consumption.fraud
    pattern = consumption.pattern
    has_start = consumption.theft_start >= 0
    vacancy = consumption.vacancy_start >= 0
    leak = consumption.leak_start >= 0
    contracts = pa.table(
        {
            "contract_id": pa.array(_ids(n)),
            "customer_id": pa.array(registry.contract_customer + 1),
            "commodity": where(registry.is_water, "water", "electricity"),
            "category": pick(CATEGORIES, registry.category),
            "transformer_id": _optional_id(layout.contract_transformer),
            "feeder_id": _optional_id(layout.contract_feeder),
            "water_district_id": _optional_id(layout.contract_district),
            "is_fraud": pa.array(fraud),
            "pattern": where(pattern >= 0, pick(PATTERN_CODES, np.maximum(pattern, 0)), None),
            "theft_start": _dates(ms[np.maximum(consumption.theft_start, 0)], has_start),
            "alpha": pa.array(consumption.alpha, mask=np.isnan(consumption.alpha)),
            "alpha_end": pa.array(consumption.alpha_end, mask=np.isnan(consumption.alpha_end)),
            "ramp_months": nullable(consumption.ramp_months, consumption.ramp_months <= 0),
            "on_share": pa.array(consumption.on_share, mask=np.isnan(consumption.on_share)),
            "intervention_date": _dates(consumption.intervention_day, consumption.intervention_day >= 0),
            "true_consumption": pa.array(consumption.true.sum(axis=0)),
            "reported_consumption": pa.array(consumption.reported.sum(axis=0)),
            "vacancy_start": _dates(ms[np.maximum(consumption.vacancy_start, 0)], vacancy),
            "vacancy_months": nullable(consumption.vacancy_months, ~vacancy),
            "leak_start": _dates(ms[np.maximum(consumption.leak_start, 0)], leak),
            "leak_months": nullable(consumption.leak_months, ~leak),
            "meter_rollover": pa.array(meters.rollover),
            "meter_replaced_on": _dates(meters.replaced_on, meters.replaced_on >= 0),
        }
    )
    n_tr = len(layout.transformer_code)
    on_transformer = layout.contract_transformer >= 0
    owner = layout.contract_transformer[on_transformer]
    true_total = flow.transformer_true.sum(axis=0)
    reported_total = flow.transformer_reported.sum(axis=0)
    technical = flow.transformer_technical.sum(axis=0)
    delivered = flow.transformer_delivered.sum(axis=0)
    transformers = pa.table(
        {
            "transformer_id": pa.array(_ids(n_tr)),
            "feeder_id": pa.array(np.array(layout.transformer_feeder, dtype=np.int64) + 1),
            "agency_id": pa.array(np.array(layout.transformer_agency, dtype=np.int64) + 1),
            "is_lossy": pa.array(consumption.lossy),
            "rating_kva": pa.array(layout.transformer_rating.astype(np.int64)),
            "customers": pa.array(np.bincount(owner, minlength=n_tr)),
            "fraud_customers": pa.array(np.bincount(owner, weights=fraud[on_transformer], minlength=n_tr).astype(int)),
            "true_delivered": pa.array(delivered),
            "true_consumption": pa.array(true_total),
            "reported_consumption": pa.array(reported_total),
            "technical_loss": pa.array(technical),
            "true_ntl": pa.array(true_total - reported_total),
            "true_ntl_share": pa.array((true_total - reported_total) / np.maximum(delivered, 1e-9)),
            "technical_loss_share": pa.array(technical / np.maximum(delivered, 1e-9)),
        }
    )
    months = horizon.months
    transformer_months = pa.table(
        {
            "transformer_id": pa.array(np.tile(_ids(n_tr), months)),
            "month": pa.array(np.repeat(ms[:-1], n_tr).astype(np.int32), pa.date32()),
            "delivered": pa.array(flow.transformer_delivered.reshape(-1)),
            "true_consumption": pa.array(flow.transformer_true.reshape(-1)),
            "reported_consumption": pa.array(flow.transformer_reported.reshape(-1)),
            "technical_loss": pa.array(flow.transformer_technical.reshape(-1)),
            "ntl": pa.array((flow.transformer_true - flow.transformer_reported).reshape(-1)),
        }
    )
    n_fd = len(layout.feeder_code)
    feeder_delivered = flow.feeder_delivered.sum(axis=0)
    feeders = pa.table(
        {
            "feeder_id": pa.array(_ids(n_fd)),
            "substation_id": pa.array(np.array(layout.feeder_substation, dtype=np.int64) + 1),
            "true_delivered": pa.array(feeder_delivered),
            "mv_consumption": pa.array(flow.feeder_mv.sum(axis=0)),
            "line_loss": pa.array(flow.feeder_line_loss.sum(axis=0)),
            "line_loss_share": pa.array(flow.feeder_line_loss.sum(axis=0) / np.maximum(feeder_delivered, 1e-9)),
        }
    )
    n_wd = len(layout.district_code)
    wd_delivered = flow.district_delivered.sum(axis=0)
    wd_true = flow.district_true.sum(axis=0)
    districts = pa.table(
        {
            "water_district_id": pa.array(_ids(n_wd)),
            "agency_id": pa.array(np.array(layout.district_agency, dtype=np.int64) + 1),
            "true_delivered": pa.array(wd_delivered),
            "true_consumption": pa.array(wd_true),
            "reported_consumption": pa.array(flow.district_reported.sum(axis=0)),
            "loss": pa.array(wd_delivered - wd_true),
            "loss_share": pa.array((wd_delivered - wd_true) / np.maximum(wd_delivered, 1e-9)),
        }
    )
    return {
        truth.CONTRACTS: contracts,
        truth.TRANSFORMERS: transformers,
        truth.TRANSFORMER_MONTHS: transformer_months,
        truth.FEEDERS: feeders,
        truth.WATER_DISTRICTS: districts,
        truth.CUSTOMER_PROFILES: payment_profiles(seed, registry),
    }


def _generation(report: GenerationReport) -> dict[str, Any]:
    return {
        "generator_version": GENERATOR_VERSION,
        "seed": report.seed,
        "customers": report.customers,
        "months": report.months,
        "end_month": report.end_month,
        "horizon_start": report.horizon_start.isoformat(),
        "horizon_end": report.horizon_end.isoformat(),
        "database": report.url,
        "counts": report.counts,
    }
