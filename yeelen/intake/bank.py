"""Bank statements: transfers customers made to the utility's accounts, recorded as payments.

Each line becomes a payment (method ``transfer``, channel ``bank``) with its receipt in the bank's series, its
ledger entry and its matching to the customer's open invoices, through the accounts service. The bank's own
reference of the line is the payment's partner reference: a line already recorded is held, never paid twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
from sqlalchemy import select

from operational_api.accounts import service as accounts
from operational_api.accounts.models import Payment
from operational_api.concurrency import lock_customers
from operational_api.config import load_policy
from operational_api.customers import service as customers
from operational_api.errors import ApiError
from yeelen.intake import values
from yeelen.intake.kind import LoadContext, LoadResult
from yeelen.settings import Settings


def bank_series(bank: str, day: dt.date) -> str:
    """The receipt series of a bank's transfers for a year, e.g. ``B2026-CBAO``."""
    return f"B{day.year}-{bank[:14]}"


@dataclass(frozen=True)
class BankStatementKind:
    """Lines of a bank statement: one transfer each, paid to a customer's account."""

    name: str = "bank_statement"
    label: str = "Bank statements"
    required: tuple[str, ...] = ("bank", "value_date", "bank_reference", "bill_reference", "amount")
    optional: tuple[str, ...] = ("currency", "payer", "label")

    def details(self, path: Path, settings: Settings) -> dict[str, Any]:
        return {}

    def load(self, context: LoadContext, rows: pa.Table) -> LoadResult:
        settings = context.settings
        session = context.session
        policy = load_policy()
        zone = ZoneInfo(settings.timezone)
        today = values.local_today(settings.timezone)
        result = LoadResult()
        seen: dict[tuple[str, str], int] = {}
        total = 0
        for row in rows.to_pylist():
            line = row["line"]
            try:
                bank = values.text(row, "bank", max_length=30).upper()
                day = values.date(row, "value_date")
                if day > today:
                    raise ValueError(f"value_date {day} is in the future")
                reference = values.text(row, "bank_reference", max_length=80)
                bill = values.text(row, "bill_reference", max_length=40)
                currency = (values.text(row, "currency", required=False) or settings.currency).upper()
                if currency != settings.currency:
                    raise ValueError(f"currency {currency} (the utility bills in {settings.currency})")
                amount = values.amount(row, "amount", settings.currency_precision)
                if (bank, reference) in seen:
                    raise ValueError(f"bank_reference {reference} already on line {seen[(bank, reference)]}")
                seen[(bank, reference)] = line
                receipt = session.scalar(
                    select(Payment.receipt_number).where(
                        Payment.partner == bank, Payment.partner_reference == reference
                    )
                )
                if receipt is not None:
                    raise ValueError(f"bank_reference {reference} of {bank} is already recorded as receipt {receipt}")
                try:
                    customer, contract = customers.resolve_bill_reference(session=session, reference=bill)
                except ApiError:
                    raise ValueError(f"no customer or contract {bill}") from None
                lock_customers(session=session, customer_ids=[customer.id])
                with session.begin_nested():
                    accounts.receive_payment(
                        session=session,
                        incoming=accounts.IncomingPayment(
                            customer_id=customer.id,
                            contract_id=contract.id if contract else None,
                            amount=amount,
                            currency=currency,
                            method="transfer",
                            purpose="invoices",
                            channel="bank",
                            received_at=dt.datetime.combine(day, dt.time(12), tzinfo=zone).astimezone(dt.UTC),
                            business_date=day,
                            agency_id=customer.agency_id,
                            series=bank_series(bank, day),
                            created_by=context.actor,
                            partner=bank,
                            partner_reference=reference,
                            idempotency_key=f"bank:{bank}:{reference}"[:120],
                        ),
                        rule=policy.matching_rule,
                        allow_overpayment=policy.allow_overpayment,
                    )
            except ValueError as error:
                result.held[line] = str(error)
                continue
            except ApiError as error:
                result.held[line] = error.message
                continue
            result.loaded += 1
            total += amount
        result.metadata = {"payments": result.loaded, "amount": total}
        return result
