"""Prepaid vending exports (*Woyofal*, *ISAGO*): the purchases a vending system sold, recorded as prepaid purchases.

The vending system computed the energy of each token; the export brings the sale here so that accounts, losses
and the controls of vended energy against the tariff (``int_prepaid_purchases_valued``) see it. The energy already
bought in the month before each purchase and whether the month's fixed charges were taken with it follow from the
purchases recorded before it, in the database and earlier in the file.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
from sqlalchemy import select

from operational_api.customers.models import Contract
from operational_api.metering.models import Meter, MeterInstallation
from operational_api.prepaid.models import PrepaidPurchase
from operational_api.tariffs.models import TariffCategory
from yeelen.intake import values
from yeelen.intake.kind import LoadContext, LoadResult
from yeelen.settings import Settings


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class PrepaidVendingKind:
    """Purchases sold by a vending system: one token each."""

    name: str = "prepaid_vending"
    label: str = "Prepaid vending exports"
    required: tuple[str, ...] = ("vendor", "transaction_id", "vended_at", "amount", "energy")
    optional: tuple[str, ...] = ("contract_reference", "meter_serial", "token", "channel")

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        return {}

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        session, settings = context.session, context.settings
        zone = ZoneInfo(settings.timezone)
        now = dt.datetime.now(dt.UTC)
        result = LoadResult()
        assignments = sorted(
            session.execute(select(TariffCategory.category, TariffCategory.valid_from, TariffCategory.grid_code)).all(),
            key=lambda item: item[1],
        )
        parsed: list[tuple[int, dict]] = []
        seen: dict[tuple[str, str], int] = {}
        for row in rows.to_pylist():
            line = row["line"]
            try:
                vendor = values.text(row, "vendor", max_length=30).upper()
                reference = values.text(row, "transaction_id", max_length=80)
                if (vendor, reference) in seen:
                    raise ValueError(f"transaction_id {reference} already on line {seen[(vendor, reference)]}")
                seen[(vendor, reference)] = line
                moment = values.moment(row, "vended_at", settings.timezone)
                if moment > now + dt.timedelta(minutes=5):
                    raise ValueError(f"vended_at {row['vended_at']} is in the future")
                day = moment.astimezone(zone).date()
                amount = values.amount(row, "amount", settings.currency_precision)
                energy = values.quantity(row, "energy", 3)
                contract = self._contract(session, row, day)
                if contract.payment_mode != "prepaid":
                    raise ValueError(f"contract {contract.reference} is postpaid: its energy is billed, not vended")
                grid = next(
                    (
                        code
                        for category, since, code in reversed(assignments)
                        if category == contract.category and since <= day
                    ),
                    None,
                )
                if grid is None:
                    raise ValueError(f"no tariff grid for category {contract.category} on {day}")
                recorded = session.scalar(
                    select(PrepaidPurchase.id).where(
                        PrepaidPurchase.partner == vendor, PrepaidPurchase.partner_reference == reference
                    )
                )
                if recorded is not None:
                    raise ValueError(f"transaction_id {reference} of {vendor} is already recorded")
                token = values.text(row, "token", required=False, max_length=40)
                channel = values.text(row, "channel", required=False, max_length=20) or "vendor"
            except ValueError as error:
                result.held[line] = str(error)
                continue
            parsed.append(
                (
                    line,
                    {
                        "contract_id": contract.id,
                        "customer_id": contract.customer_id,
                        "purchased_at": moment,
                        "purchase_date": day,
                        "amount": amount,
                        "energy": energy,
                        "grid_code": grid,
                        "token": token,
                        "channel": channel,
                        "partner": vendor,
                        "partner_reference": reference,
                    },
                )
            )
        # The month's energy before each purchase, in the order purchases happened.
        earlier: dict[tuple[int, dt.date], list[tuple[dt.datetime, decimal.Decimal]]] = defaultdict(list)
        for _, item in parsed:
            key = (item["contract_id"], _month(item["purchase_date"])[0])
            if key not in earlier:
                start, end = _month(item["purchase_date"])
                earlier[key] = [
                    (when, energy)
                    for when, energy in session.execute(
                        select(PrepaidPurchase.purchased_at, PrepaidPurchase.energy).where(
                            PrepaidPurchase.contract_id == item["contract_id"],
                            PrepaidPurchase.purchase_date >= start,
                            PrepaidPurchase.purchase_date < end,
                        )
                    )
                ]
        for _, item in sorted(parsed, key=lambda pair: (pair[1]["purchased_at"], pair[0])):
            before = [
                energy
                for when, energy in earlier[(item["contract_id"], _month(item["purchase_date"])[0])]
                if when < item["purchased_at"]
            ]
            item["month_energy_before"] = sum(before, decimal.Decimal(0))
            item["fee_taken"] = not before
            earlier[(item["contract_id"], _month(item["purchase_date"])[0])].append(
                (item["purchased_at"], item["energy"])
            )
        session.add_all([PrepaidPurchase(**item) for _, item in parsed])
        session.flush()
        result.loaded = len(parsed)
        result.metadata = {"purchases": len(parsed), "amount": sum(item["amount"] for _, item in parsed)}
        return result

    @staticmethod
    def _contract(session, row: dict, day: dt.date) -> Contract:
        reference = values.text(row, "contract_reference", required=False)
        serial = values.text(row, "meter_serial", required=False)
        if reference:
            contract = session.scalar(select(Contract).where(Contract.reference == reference))
            if contract is None:
                raise ValueError(f"no contract {reference}")
            return contract
        if not serial:
            raise ValueError("neither contract_reference nor meter_serial")
        contract = session.scalar(
            select(Contract)
            .join(MeterInstallation, MeterInstallation.contract_id == Contract.id)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .where(
                Meter.serial == serial,
                MeterInstallation.installed_on <= day,
                (MeterInstallation.removed_on.is_(None)) | (MeterInstallation.removed_on >= day),
            )
            .order_by(MeterInstallation.installed_on.desc())
            .limit(1)
        )
        if contract is None:
            raise ValueError(f"no contract has meter {serial} on {day}")
        return contract
