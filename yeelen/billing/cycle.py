"""Steps of the billing cycle that join the warehouse and the operational database.

The warehouse computes every open batch's bills (dbt); :func:`store_simulations` writes them into the
operational database as the batches' drafts, :func:`issue` turns an approved batch into invoices. Both go
through operational_api's service layer, one transaction per batch.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from operational_api.accounts.service import match_open_credits
from operational_api.billing import service
from operational_api.billing.exceptions import BatchStateError
from operational_api.db import make_engine, session_factory, unit_of_work
from yeelen.settings import Settings
from yeelen.tariffs.engine import block_label
from yeelen.warehouse.reader import marts_connection

Say = Callable[[str], None]

BILLS_SQL = """
select contract_id, customer_id, agency_id, reading_round_id, category, billing_month, period_start,
    period_end, consumption, unit, is_estimated, grid_code, total_minor
from marts.fct_draft_bills
where bill_status = 'billable' and batch_id = :batch_id
"""
# The lines of billable bills only (a held bill's tariff cannot price it whole), with their bill's unit.
LINES_SQL = """
select lines.contract_id, lines.line_number, lines.line_kind, lines.line_code, lines.label_fr, lines.label_en,
    lines.quantity, lines.unit_price, lines.base_amount, lines.amount_minor, lines.part_start, lines.part_end,
    lines.lower_milli, lines.upper_milli, bills.unit
from marts.fct_draft_bill_lines as lines
inner join marts.fct_draft_bills as bills
    on bills.batch_id = lines.batch_id and bills.contract_id = lines.contract_id and bills.bill_status = 'billable'
where lines.batch_id = :batch_id
"""


def _draft_bill(bill: dict) -> dict:
    return {
        "contract_id": bill["contract_id"],
        "customer_id": bill["customer_id"],
        "agency_id": bill["agency_id"],
        "reading_round_id": bill["reading_round_id"],
        "category": bill["category"],
        "billing_month": bill["billing_month"],
        "period_start": bill["period_start"],
        "period_end": bill["period_end"],
        "consumption": Decimal(bill["consumption"]),
        "unit": bill["unit"],
        "is_estimated": bool(bill["is_estimated"]),
        "grid_code": bill["grid_code"],
        "total": int(bill["total_minor"]),
    }


def _draft_line(line: dict, language: str) -> dict:
    return {
        "contract_id": line["contract_id"],
        "line_number": int(line["line_number"]),
        "kind": line["line_kind"],
        "code": line["line_code"],
        "label": _label(line, line["unit"], language)[:200],
        "quantity": None if line["quantity"] is None else Decimal(line["quantity"]),
        "unit_price": None if line["unit_price"] is None else Decimal(line["unit_price"]),
        "base": None if line["base_amount"] is None else Decimal(line["base_amount"]),
        "amount": int(line["amount_minor"]),
        "part_start": line["part_start"],
        "part_end": line["part_end"],
    }


@dataclass
class SimulationReport:
    stored: dict[int, service.BatchFigures] = field(default_factory=dict)
    skipped: dict[int, str] = field(default_factory=dict)


def _label(line: dict, unit: str, language: str) -> str:
    if line["line_kind"] == "energy":
        upper = line["upper_milli"]
        return _block_label(
            line["line_code"], int(line["lower_milli"] or 0), None if upper is None else int(upper), unit, language
        )
    return (line["label_en"] if language == "en" else line["label_fr"]) or line["line_code"]


@functools.lru_cache(maxsize=4096)
def _block_label(code: str, lower: int, upper: int | None, unit: str, language: str) -> str:
    # A few dozen distinct blocks label millions of lines: each is written once.
    return block_label(int(code[1:]), lower, upper, unit, language, by_level=code.startswith("N"))


def store_simulations(
    settings: Settings,
    say: Say | None = None,
    actor: str = "pipeline",
    billing_month: dt.date | None = None,
    only: Sequence[int] | None = None,
) -> SimulationReport:
    """Store the warehouse's simulation of every batch that may receive one (open, simulated, rejected).

    ``billing_month`` keeps the batches of one month (a period's run), ``only`` the batches named; a batch already
    approved or issued is never touched, so running this again for an old period changes no issued invoice.
    """
    say = say or (lambda message: None)
    engine = make_engine(str(settings.operational_url))
    factory = session_factory(engine)
    report = SimulationReport()
    try:
        with factory() as session:
            batch_ids = [
                batch.id
                for batch in service.batches_to_simulate(session=session)
                if (billing_month is None or batch.billing_month == billing_month.replace(day=1))
                and (only is None or batch.id in only)
            ]
        if not batch_ids:
            return report
        # Streamed from the marts, batch by batch, into the operational database: a simulation of a million bills
        # (some five million rows) never sits whole in memory.
        with marts_connection(settings) as marts:
            for batch_id in batch_ids:
                try:
                    with unit_of_work(factory) as session:
                        figures = service.store_simulation(
                            session=session,
                            batch_id=batch_id,
                            bills=(_draft_bill(bill) for bill in marts.stream(BILLS_SQL, {"batch_id": batch_id})),
                            lines=(
                                _draft_line(line, settings.language)
                                for line in marts.stream(LINES_SQL, {"batch_id": batch_id})
                            ),
                            actor=actor,
                        )
                    report.stored[batch_id] = figures
                    say(f"batch {batch_id}: {figures.bills} bills simulated for {figures.amount}")
                except BatchStateError as error:
                    report.skipped[batch_id] = str(error)
                    say(str(error))
    finally:
        engine.dispose()
    return report


def issue(settings: Settings, batch_id: int, actor: str, issue_date: dt.date | None = None) -> service.IssueReport:
    """Issue an approved batch in one transaction (idempotent)."""
    engine = make_engine(str(settings.operational_url))
    try:
        with unit_of_work(session_factory(engine)) as session:
            return service.issue_batch(
                session=session,
                batch_id=batch_id,
                actor=actor,
                issue_date=issue_date or dt.date.today(),
                due_days=settings.due_days,
                currency=settings.currency,
                match_credits=lambda session, customers: match_open_credits(
                    session=session, customer_ids=customers, on=issue_date
                ),
            )
    finally:
        engine.dispose()


def batch_ids(settings: Settings, statuses: tuple[str, ...]) -> list[int]:
    from operational_api.billing.models import BillingBatch

    engine = make_engine(str(settings.operational_url))
    try:
        with session_factory(engine)() as session:
            return list(
                session.scalars(
                    select(BillingBatch.id)
                    .where(BillingBatch.status.in_(statuses))
                    .order_by(BillingBatch.billing_month, BillingBatch.id)
                )
            )
    finally:
        engine.dispose()
