"""The files of a data migration: one CSV file per entity, with its columns, checks and natural key.

References between files use the other system's codes (agency code, customer reference, meter serial), never
database ids. A row whose natural key is already in the database is skipped, so importing the same folder twice
adds nothing; a bad row is quarantined with its line and reason like any file taken in (``docs/formats.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from operational_api.db import local_date, utcnow
from operational_api.models import metadata
from yeelen.intake import values
from yeelen.intake.kind import LoadContext, LoadResult
from yeelen.intake.readings import ReadingsKind
from yeelen.settings import Settings

MIGRATION_ACTOR = "migration"
OPENING_BALANCE = "Solde d'ouverture (reprise de l'ancien système)"
CHUNK = 10_000


@dataclass(frozen=True)
class Column:
    """A column of a migration file and how it is read."""

    name: str
    kind: str = "text"  # text, int, decimal, float, date, moment, choice, ref, bool
    required: bool = True
    target: str | None = None
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    scale: int = 0
    ref: tuple[str, str] | None = None  # (table, key column) whose id the code stands for
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def column(self) -> str:
        return self.target or self.name


Prepare = Callable[[dict, dict, "Lookups"], None]


class Lookups:
    """Codes of the operational database resolved to ids (read once per file), and the settings."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self._maps: dict[tuple[str, str], dict[str, int]] = {}
        self._opening: dict[int, dt.date] | None = None
        self._agencies: dict[int, int] | None = None
        self._partner_references: dict[tuple[str, str], str] | None = None

    def ids(self, table: str, key: str) -> dict[str, int]:
        """Ids of a table's rows by their code."""
        if (table, key) not in self._maps:
            rows = self.session.execute(text(f"select {key}, id from {table}")).all()
            self._maps[(table, key)] = {str(code): int(row_id) for code, row_id in rows}
        return self._maps[(table, key)]

    def opening_dates(self) -> dict[int, dt.date]:
        """The date of each customer's opening balance from a migration."""
        if self._opening is None:
            rows = self.session.execute(
                text(
                    "select customer_id, min(entry_date) from ledger_entry"
                    " where kind = 'adjustment' and created_by = :actor group by customer_id"
                ),
                {"actor": MIGRATION_ACTOR},
            ).all()
            self._opening = {int(customer): _as_date(day) for customer, day in rows}
        return self._opening

    def customer_agencies(self) -> dict[int, int]:
        """Each customer's agency."""
        if self._agencies is None:
            rows = self.session.execute(text("select id, agency_id from customer")).all()
            self._agencies = {int(customer): int(agency) for customer, agency in rows}
        return self._agencies

    def partner_references(self) -> dict[tuple[str, str], str]:
        """Receipt numbers of the payments by partner and partner reference (unique together)."""
        if self._partner_references is None:
            rows = self.session.execute(
                text(
                    "select partner, partner_reference, receipt_number from payment"
                    " where partner is not null and partner_reference is not null"
                )
            ).all()
            self._partner_references = {(str(p), str(r)): str(receipt) for p, r, receipt in rows}
        return self._partner_references


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Entity:
    """One file of a migration: the table it fills and its natural key (file columns)."""

    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    prepare: Prepare | None = None
    existing: Callable[[Session], set[tuple]] | None = None
    before_insert: Callable[[Session, list[dict]], None] | None = None
    after_insert: Callable[[Session, list[dict]], None] | None = None
    # Checks of a new row (not already imported) against other unique keys of its table.
    check_new: Prepare | None = None

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


def _read(column: Column, row: dict, settings: Settings, lookups: Lookups) -> Any:
    kind = column.kind
    required = column.required and column.default is None
    if kind == "text":
        value = values.text(row, column.name, required, column.max_length)
    elif kind == "int":
        value = values.integer(row, column.name, required, None if column.minimum is None else int(column.minimum))
        if value is not None and column.maximum is not None and value > column.maximum:
            raise ValueError(f"{column.name} {value} is above {int(column.maximum)}")
    elif kind == "decimal":
        value = values.quantity(row, column.name, column.scale, required, column.minimum)
    elif kind == "float":
        raw = values.text(row, column.name, required)
        try:
            # A decimal comma, as spreadsheets in French write coordinates (14,7533 in a file separated by ;).
            value = None if raw is None else float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(f"{column.name} {raw!r} is not a number") from None
        if value is not None and (
            (column.minimum is not None and value < column.minimum)
            or (column.maximum is not None and value > column.maximum)
        ):
            raise ValueError(f"{column.name} {raw} is outside {column.minimum} to {column.maximum}")
    elif kind == "date":
        value = values.date(row, column.name, required)
    elif kind == "moment":
        value = values.moment(row, column.name, settings.timezone, required)
    elif kind == "choice":
        value = values.choice(row, column.name, column.choices, required)
    elif kind == "amount":
        value = values.amount(row, column.name, settings.currency_precision, required, positive=False)
    elif kind == "ref":
        code = values.text(row, column.name, required)
        value = None
        if code is not None:
            table, key = column.ref
            value = lookups.ids(table, key).get(code)
            if value is None:
                raise ValueError(f"{column.name} {code}: no {table.replace('_', ' ')} with this {key}")
    else:  # pragma: no cover - a programming error
        raise AssertionError(kind)
    return column.default if value is None else value


def _existing_keys(session: Session, entity: Entity) -> set[tuple]:
    if entity.existing is not None:
        return entity.existing(session)
    table = metadata.tables[entity.table]
    columns = [table.c[next(c.column for c in entity.columns if c.name == name)] for name in entity.key]
    return {tuple(_key_text(value) for value in row) for row in session.execute(select(*columns))}


def _key_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class ImportKind:
    """The kind of file of one migration entity."""

    entity: Entity

    @property
    def name(self) -> str:
        return f"import_{self.entity.name}"

    @property
    def label(self) -> str:
        return f"Migration: {self.entity.file_name}"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.entity.columns if column.required and column.default is None)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.entity.columns if not column.required or column.default is not None)

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        return {}

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        session, settings, entity = context.session, context.settings, self.entity
        lookups = Lookups(session, settings)
        existing = _existing_keys(session, entity)
        by_name = {column.name: column for column in entity.columns}
        seen: dict[tuple, int] = {}
        result = LoadResult()
        good: list[dict] = []
        now = utcnow()
        for row in rows.to_pylist():
            line = row["line"]
            try:
                values_out: dict[str, Any] = {}
                for column in entity.columns:
                    values_out[column.column] = _read(column, row, settings, lookups)
                if entity.prepare is not None:
                    entity.prepare(values_out, row, lookups)
                # Dates in the key are compared as parsed (a file may write them DD/MM/YYYY).
                key = tuple(
                    _key_text(values_out[by_name[name].column])
                    if by_name[name].kind == "date"
                    else (row.get(name) or "").strip()
                    for name in entity.key
                )
                if key in seen:
                    raise ValueError(f"{' + '.join(entity.key)} {' '.join(key)} already on line {seen[key]}")
                seen[key] = line
            except ValueError as error:
                result.held[line] = str(error)
                continue
            if key in existing:
                result.skipped += 1
                result.present.add(line)
                continue
            if entity.check_new is not None:
                try:
                    entity.check_new(values_out, row, lookups)
                except ValueError as error:
                    result.held[line] = str(error)
                    continue
            good.append(values_out | {"created_at": now, "updated_at": now})
        table: Table = metadata.tables[entity.table]
        if entity.before_insert is not None and good:
            entity.before_insert(session, good)
        for start in range(0, len(good), CHUNK):
            session.execute(insert(table), good[start : start + CHUNK])
        if entity.after_insert is not None and good:
            entity.after_insert(session, good)
        result.loaded = len(good)
        result.metadata = {"rows": len(good)}
        return result


# --- entity-specific rules --------------------------------------------------------------------------------------


def _network_meter(values_out: dict, row: dict, lookups: Lookups) -> None:
    kind, code = values_out["kind"], values_out.pop("_equipment")
    tables = {"feeder": "feeder", "transformer": "transformer", "water_district": "water_district"}
    equipment = lookups.ids(tables[kind], "code").get(code)
    if equipment is None:
        raise ValueError(f"equipment_code {code}: no {kind.replace('_', ' ')} with this code")
    values_out.update({"feeder_id": None, "transformer_id": None, "water_district_id": None})
    values_out[f"{kind}_id"] = equipment


def _delivery_point(values_out: dict, row: dict, lookups: Lookups) -> None:
    if values_out["commodity"] == "water" and values_out["water_district_id"] is None:
        raise ValueError("a water delivery point needs its water_district_code")
    if values_out["commodity"] == "electricity" and values_out["feeder_id"] is None:
        raise ValueError("an electricity delivery point needs its feeder_code")


def _contract(values_out: dict, row: dict, lookups: Lookups) -> None:
    end = values_out.get("end_date")
    if end is not None and end <= values_out["start_date"]:
        raise ValueError(f"end_date {end} is not after start_date {values_out['start_date']}")


def _installation(values_out: dict, row: dict, lookups: Lookups) -> None:
    removed = values_out.get("removed_on")
    if removed is not None and removed < values_out["installed_on"]:
        raise ValueError(f"removed_on {removed} is before installed_on {values_out['installed_on']}")


def _installations_existing(session: Session) -> set[tuple]:
    rows = session.execute(
        text(
            "select m.serial, c.reference, i.installed_on from meter_installation i"
            " join meter m on m.id = i.meter_id join contract c on c.id = i.contract_id"
        )
    )
    return {(str(serial), str(reference), str(day)) for serial, reference, day in rows}


def _network_readings_existing(session: Session) -> set[tuple]:
    rows = session.execute(
        text("select m.serial, r.reading_date from network_reading r join network_meter m on m.id = r.network_meter_id")
    )
    return {(str(serial), str(day)) for serial, day in rows}


def _tariff_category(values_out: dict, row: dict, lookups: Lookups) -> None:
    if values_out["grid_code"] not in lookups.ids("tariff_grid", "code"):
        raise ValueError(f"grid_code {values_out['grid_code']}: no such tariff grid (load the grids first)")


def _opening_balance(values_out: dict, row: dict, lookups: Lookups) -> None:
    if values_out["amount"] == 0:
        raise ValueError("amount is zero: a customer without a balance needs no line")
    values_out["description"] = (values_out.get("description") or OPENING_BALANCE)[:400]
    values_out["kind"] = "adjustment"
    values_out["contract_id"] = None
    values_out["invoice_id"] = None
    values_out["payment_id"] = None
    values_out["created_by"] = MIGRATION_ACTOR


def _opening_existing(session: Session) -> set[tuple]:
    rows = session.execute(
        text(
            "select c.reference from ledger_entry e join customer c on c.id = e.customer_id"
            " where e.kind = 'adjustment' and e.created_by = :actor"
        ),
        {"actor": MIGRATION_ACTOR},
    )
    return {(str(reference),) for (reference,) in rows}


def _payment(values_out: dict, row: dict, lookups: Lookups) -> None:
    if values_out["amount"] <= 0:
        raise ValueError("amount is not positive")
    currency = values_out["currency"].upper()
    if currency != lookups.settings.currency:
        raise ValueError(f"currency {currency} (the utility's currency is {lookups.settings.currency})")
    values_out["currency"] = currency
    # By default the day the payment was taken at the desk: the utility's local date, not UTC's.
    values_out["business_date"] = values_out.get("business_date") or local_date(
        lookups.settings.timezone, values_out["received_at"]
    )
    opening = lookups.opening_dates().get(values_out["customer_id"])
    if opening is not None and values_out["business_date"] < opening:
        raise ValueError(
            f"the payment of {values_out['business_date']} is before the customer's opening balance of {opening}, "
            "which already counts it"
        )
    if values_out.get("agency_id") is None:
        values_out["agency_id"] = lookups.customer_agencies().get(values_out["customer_id"])
    values_out["series"] = "MIG"
    values_out["sequence_number"] = None
    values_out["created_by"] = MIGRATION_ACTOR
    values_out["cash_session_id"] = None
    values_out["status_reason"] = None
    values_out["idempotency_key"] = f"migration:{values_out['receipt_number']}"[:120]


def _payment_partner_unique(values_out: dict, row: dict, lookups: Lookups) -> None:
    """A partner's transaction is paid once: its reference may not come back under another receipt."""
    partner, reference = values_out.get("partner"), values_out.get("partner_reference")
    if not partner or not reference:
        return
    known = lookups.partner_references()
    receipt = known.get((partner, reference))
    if receipt is not None:
        raise ValueError(f"partner_reference {reference} of {partner} is already paid by receipt {receipt}")
    known[(partner, reference)] = values_out["receipt_number"]


def _number_payments(session: Session, rows: list[dict]) -> None:
    """Payments of a migration take numbers in the series MIG, in the order of the file."""
    from operational_api.billing.service import reserve_numbers

    first = reserve_numbers(session=session, series="MIG", count=len(rows))
    for offset, row in enumerate(rows):
        row["sequence_number"] = first + offset


def _payment_entries(session: Session, rows: list[dict]) -> None:
    """Each migrated payment's ledger entry (and its reversal when it was cancelled or bounced)."""
    receipts = [row["receipt_number"] for row in rows]
    payment = metadata.tables["payment"]
    ids: dict[str, int] = {}
    for start in range(0, len(receipts), 1000):
        part = receipts[start : start + 1000]
        ids.update(
            dict(
                session.execute(
                    select(payment.c.receipt_number, payment.c.id).where(payment.c.receipt_number.in_(part))
                ).all()
            )
        )
    now = utcnow()
    entries = []
    for row in rows:
        base = {
            "customer_id": row["customer_id"],
            "contract_id": row["contract_id"],
            "entry_date": row["business_date"],
            "invoice_id": None,
            "payment_id": ids[row["receipt_number"]],
            "created_by": MIGRATION_ACTOR,
            "created_at": now,
            "updated_at": now,
        }
        receipt = row["receipt_number"]
        entries.append(
            base | {"kind": "payment", "amount": -row["amount"], "description": f"Paiement reçu n° {receipt}"}
        )
        if row["status"] != "posted":
            entries.append(
                base
                | {"kind": "payment_reversal", "amount": row["amount"], "description": f"Annulation du reçu {receipt}"}
            )
    for start in range(0, len(entries), CHUNK):
        session.execute(insert(metadata.tables["ledger_entry"]), entries[start : start + CHUNK])


POWER_UNITS = ("kVA", "A", "mm")
COMMODITIES = ("electricity", "water")

ENTITIES: tuple[Entity, ...] = (
    Entity(
        "agencies",
        "agency",
        (Column("code", max_length=20), Column("name", max_length=120), Column("city", max_length=80)),
        ("code",),
        "Agencies (agences)",
    ),
    Entity(
        "reading_rounds",
        "reading_round",
        (
            Column("code", max_length=30),
            Column("agency_code", "ref", target="agency_id", ref=("agency", "code")),
            Column("name", max_length=120),
            Column("reading_day", "int", minimum=1, maximum=28),
        ),
        ("code",),
        "Reading rounds (tournées) and the day of the month they are read",
    ),
    Entity(
        "substations",
        "substation",
        (
            Column("code", max_length=20),
            Column("name", max_length=120),
            Column("voltage_kv", "decimal", scale=2),
            Column("latitude", "float", minimum=-90, maximum=90),
            Column("longitude", "float", minimum=-180, maximum=180),
        ),
        ("code",),
        "Source substations (postes source)",
    ),
    Entity(
        "feeders",
        "feeder",
        (
            Column("code", max_length=30),
            Column("substation_code", "ref", target="substation_id", ref=("substation", "code")),
            Column("name", max_length=120),
            Column("voltage_kv", "decimal", scale=2),
        ),
        ("code",),
        "Medium-voltage feeders (départs HTA)",
    ),
    Entity(
        "transformers",
        "transformer",
        (
            Column("code", max_length=30),
            Column("feeder_code", "ref", target="feeder_id", ref=("feeder", "code")),
            Column("agency_code", "ref", target="agency_id", ref=("agency", "code")),
            Column("name", max_length=120),
            Column("rating_kva", "int", minimum=1),
            Column("latitude", "float", minimum=-90, maximum=90),
            Column("longitude", "float", minimum=-180, maximum=180),
        ),
        ("code",),
        "Distribution transformers (postes HTA/BT)",
    ),
    Entity(
        "water_districts",
        "water_district",
        (
            Column("code", max_length=30),
            Column("agency_code", "ref", target="agency_id", ref=("agency", "code")),
            Column("name", max_length=120),
            Column("latitude", "float", minimum=-90, maximum=90),
            Column("longitude", "float", minimum=-180, maximum=180),
        ),
        ("code",),
        "Water distribution districts",
    ),
    Entity(
        "network_meters",
        "network_meter",
        (
            Column("serial", max_length=40),
            Column("kind", "choice", choices=("feeder", "transformer", "water_district")),
            Column("equipment_code", target="_equipment"),
            Column("unit", "choice", choices=("kWh", "m3")),
            Column("digits", "int", minimum=3, maximum=12),
            Column("multiplier", "int", required=False, default=1, minimum=1),
            Column("installed_on", "date"),
        ),
        ("serial",),
        "Meters of energy or water delivered (feeder heads, transformers, water district inlets)",
        prepare=_network_meter,
    ),
    Entity(
        "network_readings",
        "network_reading",
        (
            Column("meter_serial", "ref", target="network_meter_id", ref=("network_meter", "serial")),
            Column("reading_date", "date"),
            Column("index_value", "int", required=False),
            Column("source", "choice", choices=("terminal", "manual", "estimate", "remote"), default="manual"),
        ),
        ("meter_serial", "reading_date"),
        "Index reads of the network meters",
        existing=_network_readings_existing,
    ),
    Entity(
        "delivery_points",
        "delivery_point",
        (
            Column("reference", max_length=20),
            Column("agency_code", "ref", target="agency_id", ref=("agency", "code")),
            Column("commodity", "choice", choices=COMMODITIES),
            Column("address", max_length=200),
            Column("latitude", "float", minimum=-90, maximum=90),
            Column("longitude", "float", minimum=-180, maximum=180),
            Column("feeder_code", "ref", required=False, target="feeder_id", ref=("feeder", "code")),
            Column("transformer_code", "ref", required=False, target="transformer_id", ref=("transformer", "code")),
            Column(
                "water_district_code",
                "ref",
                required=False,
                target="water_district_id",
                ref=("water_district", "code"),
            ),
        ),
        ("reference",),
        "Delivery points (points de livraison) with GPS and their place in the network",
        prepare=_delivery_point,
    ),
    Entity(
        "customers",
        "customer",
        (
            Column("reference", max_length=20),
            Column("kind", "choice", choices=("person", "company", "public_body")),
            Column("name", max_length=160),
            Column("first_name", required=False, max_length=80),
            Column("phone", required=False, max_length=20),
            Column("email", required=False, max_length=160),
            Column("grouping_code", required=False, max_length=20),
            Column("agency_code", "ref", target="agency_id", ref=("agency", "code")),
            Column("language", "choice", choices=("fr", "en"), required=False, default="fr"),
        ),
        ("reference",),
        "Customers (clients)",
    ),
    Entity(
        "contracts",
        "contract",
        (
            Column("reference", max_length=20),
            Column("customer_reference", "ref", target="customer_id", ref=("customer", "reference")),
            Column("delivery_point_reference", "ref", target="delivery_point_id", ref=("delivery_point", "reference")),
            Column("commodity", "choice", choices=COMMODITIES),
            Column("category", max_length=12),
            Column("subscribed_power", "decimal", scale=2),
            Column("power_unit", "choice", choices=POWER_UNITS),
            Column("billing_cycle", "choice", choices=("monthly", "bimonthly")),
            Column("payment_mode", "choice", choices=("postpaid", "prepaid"), required=False, default="postpaid"),
            Column("round_code", "ref", target="reading_round_id", ref=("reading_round", "code")),
            Column("status", "choice", choices=("active", "suspended", "terminated"), required=False, default="active"),
            Column("start_date", "date"),
            Column("end_date", "date", required=False),
        ),
        ("reference",),
        "Contracts (abonnements, polices)",
        prepare=_contract,
    ),
    Entity(
        "meters",
        "meter",
        (
            Column("serial", max_length=30),
            Column("commodity", "choice", choices=COMMODITIES),
            Column("meter_type", "choice", choices=("single_phase", "three_phase", "mv", "water")),
            Column("digits", "int", minimum=3, maximum=12),
            Column("multiplier", "int", required=False, default=1, minimum=1),
            Column("brand", required=False, max_length=40),
        ),
        ("serial",),
        "Customer meters (compteurs)",
    ),
    Entity(
        "meter_installations",
        "meter_installation",
        (
            Column("meter_serial", "ref", target="meter_id", ref=("meter", "serial")),
            Column("contract_reference", "ref", target="contract_id", ref=("contract", "reference")),
            Column("installed_on", "date"),
            Column("removed_on", "date", required=False),
            Column("initial_index", "int", required=False, default=0),
            Column("final_index", "int", required=False),
            Column("reason", max_length=20, required=False, default="migration"),
        ),
        ("meter_serial", "contract_reference", "installed_on"),
        "Which meter was on which contract, between which dates and indexes",
        prepare=_installation,
        existing=_installations_existing,
    ),
    Entity(
        "tariff_categories",
        "tariff_category",
        (
            Column("category", max_length=12),
            Column("grid_code", max_length=30),
            Column("valid_from", "date"),
        ),
        ("category", "valid_from"),
        "The tariff grid billing each contract category from a date",
        prepare=_tariff_category,
    ),
    Entity(
        "opening_balances",
        "ledger_entry",
        (
            Column("customer_reference", "ref", target="customer_id", ref=("customer", "reference")),
            Column("balance_date", "date", target="entry_date"),
            Column("amount", "amount"),
            Column("description", required=False, max_length=400),
        ),
        ("customer_reference",),
        "Each customer's balance at the cutover (positive: the customer owes), as an adjustment entry",
        prepare=_opening_balance,
        existing=_opening_existing,
    ),
    Entity(
        "payments",
        "payment",
        (
            Column("receipt_number", max_length=30),
            Column("customer_reference", "ref", target="customer_id", ref=("customer", "reference")),
            Column("contract_reference", "ref", required=False, target="contract_id", ref=("contract", "reference")),
            Column("agency_code", "ref", required=False, target="agency_id", ref=("agency", "code")),
            Column("received_at", "moment"),
            Column("business_date", "date", required=False),
            Column("amount", "amount"),
            Column("currency", max_length=3),
            Column("method", "choice", choices=("cash", "cheque", "mobile_money", "transfer", "card")),
            Column("purpose", "choice", choices=("invoices", "advance", "deposit"), required=False, default="invoices"),
            Column("channel", max_length=20, required=False, default="migration"),
            Column("partner", required=False, max_length=30),
            Column("partner_reference", required=False, max_length=80),
            Column("cheque_number", required=False, max_length=30),
            Column("cheque_bank", required=False, max_length=60),
            Column("status", "choice", choices=("posted", "cancelled", "bounced"), required=False, default="posted"),
        ),
        ("receipt_number",),
        "Payments received after the opening balances' date (they move the balance)",
        prepare=_payment,
        check_new=_payment_partner_unique,
        before_insert=_number_payments,
        after_insert=_payment_entries,
    ),
)

READINGS = ReadingsKind(
    name="import_readings", label="Migration: readings.csv", with_source=True, existing_skipped=True
)
# Where the readings file loads among the others: after the installations it is checked against.
READINGS_AFTER = "meter_installations"


def import_kinds() -> list:
    """Every kind of file of a migration, in the order they load."""
    kinds: list = []
    for entity in ENTITIES:
        kinds.append(ImportKind(entity))
        if entity.name == READINGS_AFTER:
            kinds.append(READINGS)
    return kinds


def file_name(kind) -> str:
    """The name of a migration kind's file in the folder."""
    return kind.entity.file_name if isinstance(kind, ImportKind) else "readings.csv"
