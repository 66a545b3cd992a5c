"""The demo utility's past, billed and paid: a batch per month issued as invoices, and the payments its
customers made according to their behaviour (on time, late, partial, never), matched to their invoices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import insert, select

from operational_api.accounts.models import LedgerEntry, Payment
from operational_api.accounts.service import match_open_credits
from operational_api.billing import service
from operational_api.billing.models import BillingBatch, Invoice
from operational_api.cashdesk.service import receipt_series
from operational_api.db import make_engine, session_factory, unit_of_work, utcnow
from operational_api.mobile_money.service import partner_series
from operational_api.models import Agency
from yeelen.demo.mobile_money import mobile_money_history, partner_reference
from yeelen.demo.truth import read_customer_profiles, read_generation
from yeelen.settings import Settings

Say = Callable[[str], None]
ACTOR = "demo"
# How each preferred channel pays: (method, channel, partner).
CHANNELS = {
    "cash_desk": ("cash", "cash_desk", None),
    "bank": ("transfer", "bank", "BANQUE"),
    "cheque": ("cheque", "cash_desk", None),
    "wave": ("mobile_money", "mobile_money", "WAVE"),
    "orange_money": ("mobile_money", "mobile_money", "ORANGE_MONEY"),
    "free_money": ("mobile_money", "mobile_money", "FREE_MONEY"),
}


@dataclass
class HistoryReport:
    batches: int
    invoices: int
    payments: int


def _months(generation: dict) -> list[dt.date]:
    start = dt.date.fromisoformat(generation["horizon_start"])
    end = dt.date.fromisoformat(generation["horizon_end"])
    months = []
    month = start
    while month < end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def open_monthly_batches(settings: Settings, say: Say) -> int:
    """A batch for every month of the demo horizon that has none yet."""
    generation = read_generation(settings.demo_dir)
    engine = make_engine(str(settings.operational_url))
    created = 0
    with unit_of_work(session_factory(engine)) as session:
        existing = set(session.scalars(select(BillingBatch.billing_month)))
        for month in _months(generation):
            if month not in existing:
                service.create_batch(
                    session=session, billing_month=month, actor=ACTOR, name=f"Facturation {month:%m/%Y}"
                )
                created += 1
    engine.dispose()
    say(f"{created} monthly batches opened")
    return created


def issue_simulated(settings: Settings, say: Say, today: dt.date | None = None) -> int:
    """Approve and issue every simulated batch, oldest month first, dated a few days after its month ends."""
    from yeelen.billing.cycle import issue

    today = today or dt.date.today()
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    with factory() as session:
        batches = [
            (batch.id, batch.billing_month)
            for batch in session.scalars(
                select(BillingBatch).where(BillingBatch.status == "simulated").order_by(BillingBatch.billing_month)
            )
        ]
    invoices = 0
    for batch_id, month in batches:
        with unit_of_work(factory) as session:
            service.approve_batch(session=session, batch_id=batch_id, actor=ACTOR)
        issue_date = min((month + dt.timedelta(days=32)).replace(day=5), today)
        report = issue(settings, batch_id, ACTOR, issue_date)
        invoices += report.invoices
        say(f"  {month:%m/%Y}: {report.invoices:,} invoices issued on {issue_date:%d/%m/%Y}")
    engine.dispose()
    return invoices


def _time_of(invoice_id: int) -> dt.time:
    """When in the day (between 08:00 and 17:00) the payment of an invoice came in, spread but reproducible."""
    minutes = 8 * 60 + invoice_id * 7919 % (9 * 60)
    return dt.time(minutes // 60, minutes % 60)


def simulate_payments(settings: Settings, say: Say, today: dt.date | None = None) -> int:
    """Payments of the issued invoices by each customer's behaviour, up to today, then matched to invoices."""
    today = today or dt.date.today()
    generation = read_generation(settings.demo_dir)
    profiles = read_customer_profiles(settings.demo_dir).set_index("customer_id")
    rng = np.random.default_rng(int(generation["seed"]) + 7919)
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    with factory() as session:
        paid = set(session.scalars(select(Payment.idempotency_key).where(Payment.created_by == ACTOR)))
        invoices = session.execute(
            select(
                Invoice.id, Invoice.customer_id, Invoice.contract_id, Invoice.agency_id, Invoice.due_date, Invoice.total
            )
            .where(Invoice.kind == "invoice", Invoice.total > 0)
            .order_by(Invoice.id)
        ).all()
    rows = []
    for invoice_id, customer_id, contract_id, agency_id, due_date, total in invoices:
        key = f"demo-{invoice_id}"
        draw = rng.random(3)
        if key in paid or customer_id not in profiles.index:
            continue
        profile = profiles.loc[customer_id]
        behaviour = profile["payment_behaviour"]
        if behaviour == "never" or (behaviour == "partial" and draw[0] < 0.3):
            continue
        if behaviour == "on_time":
            day = due_date - dt.timedelta(days=int(draw[1] * 10))
        else:
            day = due_date + dt.timedelta(days=int(profile["typical_delay_days"] * (0.5 + draw[1])))
        if day > today:
            continue
        share = 1.0 if behaviour in ("on_time", "late") else float(profile["paid_share"]) * (0.7 + 0.3 * draw[2])
        amount = int(total * share) if share < 1 else int(total)
        if amount <= 0:
            continue
        method, channel, partner = CHANNELS.get(profile["preferred_channel"], CHANNELS["cash_desk"])
        rows.append((key, customer_id, contract_id, agency_id, day, amount, method, channel, partner, invoice_id))
    if not rows:
        engine.dispose()
        return 0
    rows.sort(key=lambda row: (row[4], row[9]))
    with unit_of_work(factory) as session:
        # Numbered as the API numbers them: an operator's payments in its own series, the others in the series of
        # the customer's agency (its desks, and the banks that collect for it), each per year.
        agencies = {agency.id: agency for agency in session.scalars(select(Agency))}
        by_series: dict[str, list[tuple]] = {}
        for row in rows:
            day, channel, partner = row[4], row[7], row[8]
            series = (
                partner_series(partner, day) if channel == "mobile_money" else receipt_series(agencies[row[3]], day)
            )
            by_series.setdefault(series, []).append(row)
        now = utcnow()
        payment_rows = []
        for series, items in sorted(by_series.items()):
            first = service.reserve_numbers(session=session, series=series, count=len(items))
            for offset, (
                key,
                customer_id,
                contract_id,
                agency_id,
                day,
                amount,
                method,
                channel,
                partner,
                invoice_id,
            ) in enumerate(items):
                number = first + offset
                payment_rows.append(
                    {
                        "receipt_number": f"{series}-{number:07d}",
                        "series": series,
                        "sequence_number": number,
                        "customer_id": customer_id,
                        "contract_id": contract_id,
                        "agency_id": agency_id,
                        "amount": amount,
                        "currency": settings.currency,
                        "method": method,
                        "purpose": "invoices",
                        "channel": channel,
                        "received_at": dt.datetime.combine(day, _time_of(invoice_id), tzinfo=dt.UTC),
                        "business_date": day,
                        "cash_session_id": None,
                        "partner": partner,
                        "partner_reference": (
                            partner_reference(partner, key)
                            if channel == "mobile_money"
                            else f"{partner}-{invoice_id}"
                            if partner
                            else None
                        ),
                        "cheque_number": None,
                        "cheque_bank": None,
                        "status": "posted",
                        "status_reason": None,
                        "idempotency_key": key,
                        "created_by": ACTOR,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        session.execute(insert(Payment.__table__), payment_rows)
        existing_entries = set(
            session.scalars(
                select(LedgerEntry.payment_id).where(LedgerEntry.kind == "payment", LedgerEntry.created_by == ACTOR)
            )
        )
        stored = session.execute(
            select(
                Payment.id,
                Payment.customer_id,
                Payment.contract_id,
                Payment.business_date,
                Payment.amount,
                Payment.receipt_number,
            ).where(Payment.created_by == ACTOR)
        ).all()
        ledger_rows = [
            {
                "customer_id": customer_id,
                "contract_id": contract_id,
                "entry_date": day,
                "kind": "payment",
                "amount": -amount,
                "invoice_id": None,
                "payment_id": payment_id,
                "description": f"Paiement reçu n° {receipt}",
                "created_by": ACTOR,
                "created_at": now,
                "updated_at": now,
            }
            for payment_id, customer_id, contract_id, day, amount, receipt in stored
            if payment_id not in existing_entries
        ]
        if ledger_rows:
            session.execute(insert(LedgerEntry.__table__), ledger_rows)
        customers = sorted({row["customer_id"] for row in payment_rows})
        summary = match_open_credits(session=session, customer_ids=customers, on=today)
        say(f"  {len(payment_rows):,} payments, {summary.allocations:,} allocations to invoices")
    engine.dispose()
    return len(rows)


def bill_history(settings: Settings, say: Say, run_pipeline: Callable[[], None]) -> HistoryReport:
    """Open a batch per month, simulate them, issue them in order, then pay them as the customers would."""
    from yeelen.billing.cycle import store_simulations

    batches = open_monthly_batches(settings, say)
    run_pipeline()
    store_simulations(settings, lambda message: None, actor=ACTOR)
    say("Issuing the monthly batches")
    invoices = issue_simulated(settings, say)
    say("Simulating the customers' payments")
    payments = simulate_payments(settings, say)
    say("Mobile money: the operators' notifications and their statements of the last days")
    mobile_money_history(settings, say)
    return HistoryReport(batches, invoices, payments)
