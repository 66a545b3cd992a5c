"""The billing calendar: each round's batch opened a few days after its reading day, then simulated.

A round read on day 12 with ``YEELEN_BILLING_OPEN_DELAY_DAYS=3`` gets its month's batch on the 15th, once the
terminals' files are in. A round whose batch exists (even cancelled) is left alone; a day missed (the scheduler
stopped) is caught up within ten days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from operational_api.billing import service
from operational_api.billing.models import BillingBatch
from operational_api.db import make_engine, session_factory, unit_of_work
from operational_api.organization.models import ReadingRound
from yeelen.settings import Settings

CATCH_UP_DAYS = 10


@dataclass(frozen=True)
class DueRound:
    """A round whose batch of a month is due."""

    code: str
    month: dt.date
    opens_on: dt.date


def opening_day(month: dt.date, reading_day: int, delay_days: int) -> dt.date:
    """The day a round's batch of ``month`` opens."""
    return month.replace(day=reading_day) + dt.timedelta(days=delay_days)


def due_rounds(settings: Settings, today: dt.date) -> list[DueRound]:
    """Rounds whose batch should be open by ``today`` and is not, for this month or the last."""
    this_month = today.replace(day=1)
    months = (this_month, (this_month - dt.timedelta(days=1)).replace(day=1))
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            rounds = session.execute(select(ReadingRound.id, ReadingRound.code, ReadingRound.reading_day)).all()
            taken = set(
                session.execute(
                    select(BillingBatch.reading_round_id, BillingBatch.billing_month).where(
                        BillingBatch.billing_month.in_(months), BillingBatch.reading_round_id.is_not(None)
                    )
                ).all()
            )
    finally:
        engine.dispose()
    due = []
    for month in months:
        for round_id, code, reading_day in rounds:
            opens = opening_day(month, reading_day, settings.billing_open_delay_days)
            if opens <= today < opens + dt.timedelta(days=CATCH_UP_DAYS) and (round_id, month) not in taken:
                due.append(DueRound(code, month, opens))
    return sorted(due, key=lambda item: (item.month, item.code))


def open_round_batches(settings: Settings, month: dt.date, round_codes: list[str], actor: str) -> list[int]:
    """Open a batch of ``month`` for each round named that has none yet; returns the batches opened."""
    month = month.replace(day=1)
    engine = make_engine(str(settings.operational_url))
    opened = []
    try:
        with unit_of_work(session_factory(engine)) as session:
            rounds = dict(
                session.execute(
                    select(ReadingRound.code, ReadingRound.id).where(ReadingRound.code.in_(round_codes))
                ).all()
            )
            unknown = sorted(set(round_codes) - set(rounds))
            if unknown:
                raise ValueError(f"no reading round {', '.join(unknown)}")
            existing = set(
                session.scalars(
                    select(BillingBatch.reading_round_id).where(
                        BillingBatch.billing_month == month, BillingBatch.reading_round_id.in_(list(rounds.values()))
                    )
                )
            )
            for code in round_codes:
                if rounds[code] in existing:
                    continue
                batch = service.create_batch(
                    session=session,
                    billing_month=month,
                    actor=actor,
                    name=f"Facturation {month:%m/%Y} tournée {code}",
                    reading_round_id=rounds[code],
                )
                existing.add(rounds[code])
                opened.append(batch.id)
    finally:
        engine.dispose()
    return opened


def month_batches(settings: Settings, month: dt.date) -> list[dict]:
    """The batches of a month with their state and figures."""
    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            batches = session.scalars(
                select(BillingBatch).where(BillingBatch.billing_month == month.replace(day=1)).order_by(BillingBatch.id)
            ).all()
            return [
                {
                    "id": batch.id,
                    "reference": batch.reference,
                    "status": batch.status,
                    "reason": batch.status_reason,
                    "decided_by": batch.decided_by,
                    "approved_bills": batch.approved_bill_count,
                    "approved_amount": batch.approved_amount,
                    "invoices": batch.invoice_count,
                    "invoiced_amount": batch.invoiced_amount,
                }
                for batch in batches
            ]
    finally:
        engine.dispose()


def batch_states(settings: Settings) -> list[tuple[int, dt.date, str, int]]:
    """Every batch not closed (open, simulated, rejected, approved) with its month and its last event's id."""
    from sqlalchemy import func

    from operational_api.billing.models import BillingBatchEvent

    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            last_event = (
                select(BillingBatchEvent.batch_id, func.max(BillingBatchEvent.id).label("event_id"))
                .group_by(BillingBatchEvent.batch_id)
                .subquery()
            )
            return [
                (int(batch_id), month, status, int(event_id or 0))
                for batch_id, month, status, event_id in session.execute(
                    select(BillingBatch.id, BillingBatch.billing_month, BillingBatch.status, last_event.c.event_id)
                    .outerjoin(last_event, last_event.c.batch_id == BillingBatch.id)
                    .where(BillingBatch.status.in_(("open", "approved")))
                    .order_by(BillingBatch.id)
                )
            ]
    finally:
        engine.dispose()
