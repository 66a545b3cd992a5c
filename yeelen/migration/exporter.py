"""``yeelen export <folder>``: the operational database written as the files ``yeelen import`` reads.

Accounts are written as each customer's balance on the balance date (every ledger movement before it) plus the
payments received from that date on; invoices are not exported, their open amounts are in the balances.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from operational_api.db import make_engine
from yeelen.migration.entities import ENTITIES, MIGRATION_ACTOR
from yeelen.settings import Settings

# One query per file; columns in the order of the file. Codes replace ids.
QUERIES: dict[str, str] = {
    "agencies": "select code, name, city from agency order by id",
    "reading_rounds": (
        "select r.code, a.code as agency_code, r.name, r.reading_day from reading_round r"
        " join agency a on a.id = r.agency_id order by r.id"
    ),
    "substations": "select code, name, voltage_kv, latitude, longitude from substation order by id",
    "feeders": (
        "select f.code, s.code as substation_code, f.name, f.voltage_kv from feeder f"
        " join substation s on s.id = f.substation_id order by f.id"
    ),
    "transformers": (
        "select t.code, f.code as feeder_code, a.code as agency_code, t.name, t.rating_kva, t.latitude, t.longitude"
        " from transformer t join feeder f on f.id = t.feeder_id join agency a on a.id = t.agency_id order by t.id"
    ),
    "water_districts": (
        "select w.code, a.code as agency_code, w.name, w.latitude, w.longitude from water_district w"
        " join agency a on a.id = w.agency_id order by w.id"
    ),
    "network_meters": (
        "select m.serial, m.kind, coalesce(f.code, t.code, w.code) as equipment_code, m.unit, m.digits,"
        " m.multiplier, m.installed_on from network_meter m left join feeder f on f.id = m.feeder_id"
        " left join transformer t on t.id = m.transformer_id left join water_district w on w.id = m.water_district_id"
        " order by m.id"
    ),
    "network_readings": (
        "select m.serial as meter_serial, r.reading_date, r.index_value, r.source from network_reading r"
        " join network_meter m on m.id = r.network_meter_id order by r.id"
    ),
    "delivery_points": (
        "select p.reference, a.code as agency_code, p.commodity, p.address, p.latitude, p.longitude,"
        " f.code as feeder_code, t.code as transformer_code, w.code as water_district_code from delivery_point p"
        " join agency a on a.id = p.agency_id left join feeder f on f.id = p.feeder_id"
        " left join transformer t on t.id = p.transformer_id left join water_district w on w.id = p.water_district_id"
        " order by p.id"
    ),
    "customers": (
        "select c.reference, c.kind, c.name, c.first_name, c.phone, c.email, c.grouping_code, a.code as agency_code,"
        " c.language from customer c join agency a on a.id = c.agency_id order by c.id"
    ),
    "contracts": (
        "select c.reference, u.reference as customer_reference, p.reference as delivery_point_reference,"
        " c.commodity, c.category, c.subscribed_power, c.power_unit, c.billing_cycle, c.payment_mode,"
        " r.code as round_code, c.status, c.start_date, c.end_date from contract c"
        " join customer u on u.id = c.customer_id join delivery_point p on p.id = c.delivery_point_id"
        " join reading_round r on r.id = c.reading_round_id order by c.id"
    ),
    "meters": "select serial, commodity, meter_type, digits, multiplier, brand from meter order by id",
    "meter_installations": (
        "select m.serial as meter_serial, c.reference as contract_reference, i.installed_on, i.removed_on,"
        " i.initial_index, i.final_index, i.reason from meter_installation i join meter m on m.id = i.meter_id"
        " join contract c on c.id = i.contract_id order by i.id"
    ),
    "readings": (
        "select c.reference as contract_reference, m.serial as meter_serial, r.reading_date, r.index_value,"
        " r.anomaly_code, r.source from reading r join contract c on c.id = r.contract_id"
        " join meter m on m.id = r.meter_id order by r.id"
    ),
    "tariff_categories": "select category, grid_code, valid_from from tariff_category order by id",
    "opening_balances": (
        "select c.reference as customer_reference, sum(e.amount) as amount"
        " from ledger_entry e join customer c on c.id = e.customer_id"
        " where e.entry_date < :balance_date group by c.id, c.reference having sum(e.amount) <> 0 order by c.id"
    ),
    "payments": (
        "select p.receipt_number, c.reference as customer_reference, k.reference as contract_reference,"
        " a.code as agency_code, p.received_at, p.business_date, p.amount, p.currency, p.method, p.purpose,"
        " p.channel, p.partner, p.partner_reference, p.cheque_number, p.cheque_bank, p.status from payment p"
        " join customer c on c.id = p.customer_id left join contract k on k.id = p.contract_id"
        " left join agency a on a.id = p.agency_id where p.business_date >= :balance_date order by p.id"
    ),
}
MONEY = {"opening_balances": ("amount",), "payments": ("amount",)}
MOMENTS = {"payments": ("received_at",)}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _units(amount: Any, precision: int) -> str:
    value = decimal.Decimal(int(amount)).scaleb(-precision)
    return format(value, "f")


def export_folder(
    settings: Settings,
    folder: Path,
    balance_date: dt.date | None = None,
    say: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write every migration file into ``folder``; returns rows written per file."""
    say = say or (lambda message: None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    balance_date = balance_date or dt.date.today()
    columns_of = {entity.name: [column.name for column in entity.columns] for entity in ENTITIES}
    columns_of["readings"] = [
        "contract_reference",
        "meter_serial",
        "reading_date",
        "index_value",
        "anomaly_code",
        "source",
    ]
    # Bound as a date: PostgreSQL compares it with date columns, SQLite with their ISO text.
    parameters = {"balance_date": balance_date, "description": f"Solde au {balance_date:%d/%m/%Y}"}
    engine = make_engine(str(settings.operational_url))
    written: dict[str, int] = {}
    try:
        with engine.connect() as connection:
            for name, sql in QUERIES.items():
                columns = columns_of[name]
                path = folder / f"{name}.csv"
                count = 0
                with path.open("w", encoding="utf-8", newline="") as handle:
                    writer = csv.writer(handle, lineterminator="\n")
                    writer.writerow(columns)
                    result = connection.execution_options(yield_per=50_000).execute(text(sql), parameters)
                    names = list(result.keys())
                    for row in result:
                        record = dict(zip(names, row, strict=True))
                        for money in MONEY.get(name, ()):
                            record[money] = _units(record[money], settings.currency_precision)
                        for moment in MOMENTS.get(name, ()):
                            value = record[moment]
                            if isinstance(value, str):
                                value = dt.datetime.fromisoformat(value)
                            record[moment] = value
                        if name == "opening_balances":
                            record |= {"balance_date": balance_date, "description": parameters["description"]}
                        writer.writerow([_text(record.get(column)) for column in columns])
                        count += 1
                written[name] = count
                say(f"{path.name}: {count} row(s)")
    finally:
        engine.dispose()
    return written


__all__ = ["MIGRATION_ACTOR", "export_folder"]
