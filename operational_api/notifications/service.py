"""The outbox of messages to customers: e-bills by e-mail and balances by SMS after each billing.

Queuing a batch writes one row per invoice and channel the customer can be reached on; a row already queued,
sent or failed is never queued again, so queuing twice is harmless. Sending is the sender's business
(``yeelen.notifications``): it takes due rows, and marks each one sent or failed. Functions never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from operational_api.accounts.models import LedgerEntry
from operational_api.billing.models import Invoice
from operational_api.customers.models import Contract, Customer
from operational_api.db import utcnow
from operational_api.documents import format_date, format_money
from operational_api.notifications.models import Notification

CHUNK = 5_000


@dataclass(frozen=True)
class QueueReport:
    """Messages queued for a batch, per channel."""

    emails: int
    sms: int


def _email(
    invoice: Invoice, customer: Customer, contract_reference: str, utility: str, currency: str
) -> tuple[str, str]:
    amount = format_money(invoice.total, currency)
    period = f"{format_date(invoice.period_start)} – {format_date(invoice.period_end - dt.timedelta(days=1))}"
    name = " ".join(part for part in (customer.first_name, customer.name) if part)
    if customer.language == "en":
        subject = f"Your bill {invoice.number}: {amount}"
        body = (
            f"Dear {name},\n\nYour bill {invoice.number} for contract {contract_reference} ({period}) is attached.\n"
            f"Amount: {amount}\nDue by: {format_date(invoice.due_date)}\n\n"
            f"Pay at an agency, by mobile money (reference {contract_reference}) or by bank transfer.\n\n{utility}\n"
        )
    else:
        subject = f"Votre facture {invoice.number} : {amount}"
        body = (
            f"Bonjour {name},\n\nVeuillez trouver ci-joint votre facture n° {invoice.number} du contrat "
            f"{contract_reference} ({period}).\nMontant : {amount}\nÀ payer avant le : {format_date(invoice.due_date)}"
            f"\n\nPayez en agence, par mobile money (référence {contract_reference}) ou par virement.\n\n{utility}\n"
        )
    return subject[:200], body


def _sms(invoice: Invoice, customer: Customer, contract_reference: str, balance: int, currency: str) -> str:
    amount = format_money(invoice.total, currency).replace("\u202f", " ").replace("\u00a0", " ")
    owed = format_money(balance, currency).replace("\u202f", " ").replace("\u00a0", " ")
    if customer.language == "en":
        text = (
            f"Bill {invoice.number} ({contract_reference}): {amount} due by {format_date(invoice.due_date)}. "
            f"Account balance: {owed}."
        )
    else:
        text = (
            f"Facture {invoice.number} ({contract_reference}) : {amount} a payer avant le "
            f"{format_date(invoice.due_date)}. Solde du compte : {owed}."
        )
    return text[:320]


def queue_batch(*, session: Session, batch_id: int, currency: str, utility: str) -> QueueReport:
    """Queue the e-bill and the SMS of every invoice of an issued batch that has none yet."""
    now = utcnow()
    emails = sms = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(Invoice, Customer, Contract.reference)
            .join(Customer, Customer.id == Invoice.customer_id)
            .join(Contract, Contract.id == Invoice.contract_id)
            .where(
                Invoice.batch_id == batch_id,
                Invoice.kind.in_(("invoice", "final")),
                Invoice.id > last_id,
                or_(Customer.email.is_not(None), Customer.phone.is_not(None)),
                ~exists().where(Notification.invoice_id == Invoice.id),
            )
            .order_by(Invoice.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        last_id = rows[-1][0].id
        customers = sorted({customer.id for _, customer, _ in rows})
        balances = dict(
            session.execute(
                select(LedgerEntry.customer_id, func.coalesce(func.sum(LedgerEntry.amount), 0))
                .where(LedgerEntry.customer_id.in_(customers))
                .group_by(LedgerEntry.customer_id)
            ).all()
        )
        messages = []
        for invoice, customer, reference in rows:
            base = {
                "purpose": "invoice",
                "invoice_id": invoice.id,
                "customer_id": customer.id,
                "batch_id": batch_id,
                "language": customer.language or "fr",
                "status": "queued",
                "attempts": 0,
                "queued_at": now,
                "created_at": now,
                "updated_at": now,
            }
            if customer.email:
                subject, body = _email(invoice, customer, reference, utility, currency)
                messages.append(
                    base | {"channel": "email", "recipient": customer.email[:160], "subject": subject, "body": body}
                )
                emails += 1
            if customer.phone:
                body = _sms(invoice, customer, reference, int(balances.get(customer.id, 0)), currency)
                messages.append(
                    base | {"channel": "sms", "recipient": customer.phone[:160], "subject": None, "body": body}
                )
                sms += 1
        if messages:
            session.execute(insert(Notification.__table__), messages)
    return QueueReport(emails, sms)


def due(*, session: Session, max_attempts: int, limit: int = 500, channel: str | None = None) -> list[Notification]:
    """Messages to send now: queued ones, and failed ones that have attempts left, oldest first."""
    statement = (
        select(Notification)
        .where(
            or_(
                Notification.status == "queued",
                and_(Notification.status == "failed", Notification.attempts < max_attempts),
            )
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    if channel:
        statement = statement.where(Notification.channel == channel)
    return list(session.scalars(statement))


def mark_sent(*, session: Session, notification_id: int, reference: str | None) -> None:
    """The message left: the provider's reference is kept."""
    now = utcnow()
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(
            status="sent",
            attempts=Notification.attempts + 1,
            sent_at=now,
            provider_reference=(reference or "")[:120] or None,
            last_error=None,
            updated_at=now,
        )
    )


def mark_failed(*, session: Session, notification_id: int, error: str) -> None:
    """The message could not leave: the error is kept and the row tried again until it has no attempts left."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(status="failed", attempts=Notification.attempts + 1, last_error=error[:400], updated_at=utcnow())
    )


def counts(*, session: Session, batch_ids: Sequence[int] | None = None) -> dict[tuple[str, str], int]:
    """Messages per (channel, status), for a few batches or all of them."""
    statement = select(Notification.channel, Notification.status, func.count()).group_by(
        Notification.channel, Notification.status
    )
    if batch_ids is not None:
        statement = statement.where(Notification.batch_id.in_(list(batch_ids)))
    return {(channel, status): int(count) for channel, status, count in session.execute(statement)}
