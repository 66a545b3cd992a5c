"""Reading sheets (*bordereaux de relève*) exported per round for the handheld terminals.

A sheet lists the meters of a round to read in a month, with what the reader needs to find them and to catch a
wrong index on the spot (the previous reading). Its last three columns are the answer: the terminal fills them and
sends the same file back to the inbox's ``readings/`` folder, where it is taken like any readings file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import and_, func, or_, select

from operational_api.customers.models import Contract, Customer, DeliveryPoint
from operational_api.db import make_engine, session_factory
from operational_api.metering.models import Meter, MeterInstallation, Reading
from operational_api.organization.models import ReadingRound
from yeelen.errors import InputRejectedError
from yeelen.settings import Settings

COLUMNS = (
    "round_code",
    "month",
    "sequence",
    "contract_reference",
    "customer_name",
    "address",
    "latitude",
    "longitude",
    "meter_serial",
    "digits",
    "previous_reading_date",
    "previous_index",
    "reading_date",
    "index_value",
    "anomaly_code",
)


def round_sheet(settings: Settings, round_code: str, month: dt.date) -> list[dict]:
    """The rows of a round's sheet for a month: postpaid contracts active in the month, in route order."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            reading_round = session.scalar(select(ReadingRound).where(ReadingRound.code == round_code))
            if reading_round is None:
                raise InputRejectedError(f"no reading round {round_code!r}")
            last = (
                select(
                    Reading.contract_id,
                    Reading.meter_id,
                    func.max(Reading.reading_date).label("reading_date"),
                )
                .where(Reading.index_value.is_not(None), Reading.reading_date < start)
                .group_by(Reading.contract_id, Reading.meter_id)
                .subquery()
            )
            rows = session.execute(
                select(
                    Contract.id,
                    Contract.reference,
                    Customer.name,
                    Customer.first_name,
                    DeliveryPoint.address,
                    DeliveryPoint.latitude,
                    DeliveryPoint.longitude,
                    Meter.id,
                    Meter.serial,
                    Meter.digits,
                    last.c.reading_date,
                )
                .join(Customer, Customer.id == Contract.customer_id)
                .join(DeliveryPoint, DeliveryPoint.id == Contract.delivery_point_id)
                .join(
                    MeterInstallation,
                    and_(
                        MeterInstallation.contract_id == Contract.id,
                        MeterInstallation.installed_on < end,
                        or_(MeterInstallation.removed_on.is_(None), MeterInstallation.removed_on >= end),
                    ),
                )
                .join(Meter, Meter.id == MeterInstallation.meter_id)
                .outerjoin(last, and_(last.c.contract_id == Contract.id, last.c.meter_id == Meter.id))
                .where(
                    Contract.reading_round_id == reading_round.id,
                    Contract.payment_mode == "postpaid",
                    Contract.start_date < end,
                    or_(Contract.end_date.is_(None), Contract.end_date >= start),
                )
                .order_by(DeliveryPoint.reference, Contract.reference)
            ).all()
            previous = {}
            wanted = [(row[0], row[7], row[10]) for row in rows if row[10] is not None]
            for chunk in range(0, len(wanted), 500):
                part = wanted[chunk : chunk + 500]
                for contract_id, meter_id, day, index in session.execute(
                    select(Reading.contract_id, Reading.meter_id, Reading.reading_date, Reading.index_value).where(
                        Reading.contract_id.in_([item[0] for item in part]),
                        Reading.index_value.is_not(None),
                        Reading.reading_date.in_({item[2] for item in part}),
                    )
                ):
                    previous[(contract_id, meter_id, day)] = index
    finally:
        engine.dispose()
    sheet = []
    for sequence, row in enumerate(rows, start=1):
        contract_id, reference, name, first_name, address, latitude, longitude, meter_id, serial, digits, day = row
        sheet.append(
            {
                "round_code": round_code,
                "month": f"{start:%Y-%m}",
                "sequence": sequence,
                "contract_reference": reference,
                "customer_name": f"{first_name} {name}" if first_name else name,
                "address": address,
                "latitude": f"{latitude:.6f}",
                "longitude": f"{longitude:.6f}",
                "meter_serial": serial,
                "digits": digits,
                "previous_reading_date": day.isoformat() if day else "",
                "previous_index": previous.get((contract_id, meter_id, day), "") if day else "",
                "reading_date": "",
                "index_value": "",
                "anomaly_code": "",
            }
        )
    return sheet


def write_sheet(path: Path, rows: list[dict], file_format: str = "csv") -> Path:
    """Write a sheet as CSV (UTF-8, comma) or JSON (an array of objects)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "json":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path
