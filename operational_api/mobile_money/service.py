"""Mobile money: bill lookup, idempotent payment notifications, statement import and reconciliation.

A notification is keyed on (partner, ``referenceId``). The first request inserts the key before anything else;
a concurrent request with the same key waits on the unique index until the first commits, then reads and
replays its stored answer. Only a SUCCESSFUL notification creates a payment; PENDING can later become
SUCCESSFUL or FAILED, never the reverse.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from operational_api.accounts import service as accounts
from operational_api.accounts.exceptions import BadPeriodError
from operational_api.accounts.models import Payment
from operational_api.audit import service as audit
from operational_api.auth.exceptions import PartnerNotFoundError
from operational_api.auth.models import Partner
from operational_api.auth.principal import Principal
from operational_api.cashdesk import service as cashdesk
from operational_api.concurrency import insert_ignore, lock_customers
from operational_api.config import Policy
from operational_api.customers import service as customers
from operational_api.customers.models import Contract, Customer
from operational_api.db import utcnow
from operational_api.mobile_money.exceptions import (
    BadAmountError,
    CurrencyMismatchError,
    NotificationConflictError,
    StatementExistsError,
    StatementNotFoundError,
    StatementRejectedError,
    StatusConflictError,
)
from operational_api.mobile_money.models import MobileMoneyNotification, PartnerStatement, PartnerStatementLine
from operational_api.mobile_money.schemas import NotificationIn, NotificationOut
from yeelen.settings import CURRENCY_PRECISION, Settings

STATEMENT_COLUMNS = (
    "transaction_date",
    "reference_id",
    "financial_transaction_id",
    "external_id",
    "amount",
    "currency",
    "status",
)
OPTIONAL_COLUMNS = ("payer",)


def to_minor(amount: str | int, currency: str) -> int:
    """An amount in currency units (text or integer) as integer minor units, refusing excess decimals."""
    precision = CURRENCY_PRECISION.get(currency, 0)
    try:
        value = decimal.Decimal(str(amount).strip().replace(",", "."))
    except decimal.InvalidOperation:
        raise BadAmountError(str(amount), currency, precision) from None
    minor = value.scaleb(precision)
    if value <= 0 or minor != minor.to_integral_value():
        raise BadAmountError(str(amount), currency, precision)
    return int(minor)


def to_units(amount: int, currency: str) -> str:
    """Minor units as the text of an amount in currency units (``"5000"``, ``"12.50"``)."""
    precision = CURRENCY_PRECISION.get(currency, 0)
    return str(decimal.Decimal(amount).scaleb(-precision)) if precision else str(amount)


def partner_series(partner_code: str, day: dt.date) -> str:
    """The receipt series of a partner's payments for a year, e.g. ``M2026-MTN_MOMO``."""
    return f"M{day.year}-{partner_code[:14]}"


@dataclass(frozen=True)
class Bill:
    customer: Customer
    contract: Contract | None
    amount_due: int
    invoices: list[tuple[accounts.OpenInvoice, str]]


def lookup_bill(*, session: Session, reference: str) -> Bill:
    """What a customer (or a contract) owes: the open invoices and the amount due."""
    customer, contract = customers.resolve_bill_reference(session=session, reference=reference)
    invoices = accounts.open_invoices(
        session=session, customer_id=customer.id, contract_id=contract.id if contract else None
    )
    references = dict(
        session.execute(select(Contract.id, Contract.reference).where(Contract.customer_id == customer.id)).all()
    )
    due = accounts.amount_due(session=session, customer_id=customer.id)
    return Bill(customer, contract, due, [(invoice, references.get(invoice.contract_id, "")) for invoice in invoices])


def _out(notification: MobileMoneyNotification, **values) -> NotificationOut:
    return NotificationOut(
        reference_id=notification.reference_id,
        external_id=notification.external_id,
        status=notification.status,
        amount=to_units(notification.amount, notification.currency),
        currency=notification.currency,
        **values,
    )


def _process(
    session: Session,
    principal: Principal,
    settings: Settings,
    policy: Policy,
    notification: MobileMoneyNotification,
) -> NotificationOut:
    customer, contract = customers.resolve_bill_reference(session=session, reference=notification.external_id)
    if notification.status == "PENDING":
        return _out(notification, result="pending_recorded", message="Pending payment noted; nothing is credited yet.")
    if notification.status == "FAILED":
        return _out(notification, result="failure_recorded", message="Failed payment noted; nothing is credited.")
    lock_customers(session=session, customer_ids=[customer.id])
    now = utcnow()
    day = cashdesk.business_date(settings, now)
    payment, plan = accounts.receive_payment(
        session=session,
        incoming=accounts.IncomingPayment(
            customer_id=customer.id,
            contract_id=contract.id if contract else None,
            amount=notification.amount,
            currency=notification.currency,
            method="mobile_money",
            purpose="invoices",
            channel="mobile_money",
            received_at=now,
            business_date=day,
            agency_id=customer.agency_id,
            series=partner_series(principal.login, day),
            created_by=principal.login,
            partner=principal.login,
            partner_reference=notification.reference_id,
        ),
        rule=policy.matching_rule,
        allow_overpayment=policy.allow_overpayment,
    )
    notification.payment_id = payment.id
    audit.record(
        session=session,
        principal=principal,
        action="mobile_money.payment.notify",
        entity="payment",
        entity_key=payment.receipt_number,
        after=audit.snapshot(payment)
        | {"allocations": [(line.invoice_number, line.amount) for line in plan.lines], "unallocated": plan.remainder},
        agency_id=payment.agency_id,
    )
    return _out(
        notification,
        result="payment_recorded",
        receipt_number=payment.receipt_number,
        customer_reference=customer.reference,
        allocated=to_units(plan.allocated, notification.currency),
        unallocated=to_units(plan.remainder, notification.currency),
        message="Payment recorded.",
    )


def notify(
    *, session: Session, principal: Principal, settings: Settings, policy: Policy, body: NotificationIn
) -> tuple[NotificationOut, bool]:
    """Record a partner's notification once; a replay returns the first answer (second value True)."""
    if body.currency.upper() != settings.currency:
        raise CurrencyMismatchError(body.currency, settings.currency)
    amount = to_minor(body.amount, settings.currency)
    now = utcnow()
    values = {
        "partner_id": principal.id,
        "reference_id": body.reference_id,
        "external_id": body.external_id,
        "financial_transaction_id": body.financial_transaction_id,
        "amount": amount,
        "currency": settings.currency,
        "payer_id_type": body.payer.party_id_type,
        "payer_id": body.payer.party_id,
        "payer_message": body.payer_message,
        "payee_note": body.payee_note,
        "status": body.status,
        "reason": (body.reason.message or body.reason.code) if body.reason else None,
        "response_json": "{}",
        "received_at": now,
        "created_at": now,
        "updated_at": now,
    }
    table = MobileMoneyNotification.__table__
    new_id = insert_ignore(session=session, table=table, values=values, conflict=["partner_id", "reference_id"])
    if new_id is not None:
        notification = session.get(MobileMoneyNotification, new_id)
        answer = _process(session, principal, settings, policy, notification)
        notification.response_json = answer.model_dump_json(by_alias=True)
        return answer, False
    notification = session.scalar(
        select(MobileMoneyNotification)
        .where(
            MobileMoneyNotification.partner_id == principal.id,
            MobileMoneyNotification.reference_id == body.reference_id,
        )
        .with_for_update()
    )
    session.refresh(notification)
    _same_content(notification, body, amount)
    if notification.status == body.status or body.status == "PENDING":
        return NotificationOut.model_validate(json.loads(notification.response_json)), True
    if notification.status != "PENDING":
        raise StatusConflictError(body.reference_id, notification.status, body.status)
    notification.status = body.status
    notification.financial_transaction_id = body.financial_transaction_id or notification.financial_transaction_id
    notification.reason = values["reason"]
    answer = _process(session, principal, settings, policy, notification)
    notification.response_json = answer.model_dump_json(by_alias=True)
    return answer, False


def _same_content(notification: MobileMoneyNotification, body: NotificationIn, amount: int) -> None:
    if notification.amount != amount:
        raise NotificationConflictError(
            body.reference_id, f"the amount {to_units(notification.amount, notification.currency)}"
        )
    if notification.external_id != body.external_id:
        raise NotificationConflictError(body.reference_id, f"the bill reference {notification.external_id}")
    if (
        notification.financial_transaction_id
        and body.financial_transaction_id
        and notification.financial_transaction_id != body.financial_transaction_id
    ):
        raise NotificationConflictError(
            body.reference_id, f"the financialTransactionId {notification.financial_transaction_id}"
        )


# --- statements ------------------------------------------------------------------------------------------------------


def find_partner(*, session: Session, code: str) -> Partner:
    """A payment partner by code."""
    partner = session.scalar(select(Partner).where(Partner.code == code))
    if partner is None:
        raise PartnerNotFoundError(code)
    return partner


def parse_statement(content: bytes, settings: Settings) -> list[dict]:
    """The lines of a partner statement (format in ``docs/formats.md``); any bad line refuses the whole file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementRejectedError("The statement is not UTF-8 text; export it as UTF-8 CSV.") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in STATEMENT_COLUMNS if column not in header]
    if missing:
        raise StatementRejectedError(
            f"The statement lacks the column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(STATEMENT_COLUMNS)} (payer optional)."
        )
    reader.fieldnames = header
    zone = ZoneInfo(settings.timezone)
    lines, problems = [], []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(row.values()):
            continue
        try:
            try:
                moment = dt.datetime.fromisoformat(row["transaction_date"].replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(
                    f"transaction_date {row['transaction_date']!r} is not a date and time (2026-03-01T10:15:00Z)"
                ) from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
            currency = row["currency"].upper()
            if currency != settings.currency:
                raise ValueError(f"currency {currency} (expected {settings.currency})")
            status = row["status"].upper()
            if status not in ("SUCCESSFUL", "FAILED", "PENDING"):
                raise ValueError(f"status {status!r} (SUCCESSFUL, FAILED or PENDING)")
            reference = row["reference_id"]
            if not reference or len(reference) > 80:
                raise ValueError("reference_id empty or longer than 80 characters")
            if reference in seen:
                raise ValueError(f"reference_id {reference} already on line {seen[reference]}")
            seen[reference] = number
            amount_text = row["amount"].replace(",", ".") if delimiter == ";" else row["amount"]
            lines.append(
                {
                    "line_number": number,
                    "transaction_at": moment.astimezone(dt.UTC),
                    "reference_id": reference,
                    "financial_transaction_id": row["financial_transaction_id"][:80] or None,
                    "external_id": row["external_id"][:40] or None,
                    "amount": to_minor(amount_text, currency),
                    "currency": currency,
                    "status": status,
                    "payer": (row.get("payer") or "")[:40] or None,
                }
            )
        except (ValueError, BadAmountError) as error:
            problems.append(f"line {number}: {getattr(error, 'message', error)}")
        if len(problems) >= 20:
            break
    if problems:
        raise StatementRejectedError("The statement was refused, nothing was imported: " + "; ".join(problems))
    return lines


def current_statement(*, session: Session, partner_id: int, statement_date: dt.date) -> PartnerStatement | None:
    """The statement of a partner's day: its latest revision, the one not superseded by a correction."""
    return session.scalar(
        select(PartnerStatement).where(
            PartnerStatement.partner_id == partner_id,
            PartnerStatement.statement_date == statement_date,
            PartnerStatement.superseded_at.is_(None),
        )
    )


def statement_revisions(*, session: Session, partner_id: int, statement_date: dt.date) -> list[PartnerStatement]:
    """Every revision of a partner's statement of a day, the first first."""
    return list(
        session.scalars(
            select(PartnerStatement)
            .where(PartnerStatement.partner_id == partner_id, PartnerStatement.statement_date == statement_date)
            .order_by(PartnerStatement.revision)
        )
    )


def list_statements(
    *, session: Session, partner_code: str | None, start: dt.date, end: dt.date
) -> list[tuple[str, PartnerStatement]]:
    """(partner code, statement) of the days in ``[start, end)``, each day's latest revision, the latest day first:
    of one partner, or of every partner (``partner_code`` None, partners by code within a day)."""
    if end <= start:
        raise BadPeriodError()
    statement = (
        select(Partner.code, PartnerStatement)
        .join(Partner, Partner.id == PartnerStatement.partner_id)
        .where(
            PartnerStatement.statement_date >= start,
            PartnerStatement.statement_date < end,
            PartnerStatement.superseded_at.is_(None),
        )
        .order_by(PartnerStatement.statement_date.desc(), Partner.code)
    )
    if partner_code is not None:
        statement = statement.where(PartnerStatement.partner_id == find_partner(session=session, code=partner_code).id)
    return [(code, item) for code, item in session.execute(statement)]


def _statement_facts(statement: PartnerStatement) -> dict:
    return {
        "revision": statement.revision,
        "lines": statement.line_count,
        "total": statement.total,
        "checksum": statement.checksum,
    }


def import_statement(
    *,
    session: Session,
    principal: Principal,
    settings: Settings,
    partner_code: str,
    statement_date: dt.date,
    content: bytes,
    correction_reason: str | None = None,
) -> tuple[PartnerStatement, bool]:
    """Import a partner's statement of a day, or with ``correction_reason`` its corrected statement.

    The file the day already holds again is a no-op (second value True). A different file for a day that has a
    statement is refused, unless it is a correction: it then becomes the day's next revision, and the revision it
    replaces is kept, superseded. A file with a bad line is refused whole and the day's statement left as it was.
    """
    partner = find_partner(session=session, code=partner_code)
    checksum = hashlib.sha256(content).hexdigest()
    existing = current_statement(session=session, partner_id=partner.id, statement_date=statement_date)
    if existing is not None and existing.checksum == checksum:
        return existing, True
    if existing is not None and correction_reason is None:
        raise StatementExistsError(partner_code, statement_date.isoformat())
    if existing is None and correction_reason is not None:
        raise StatementNotFoundError(partner_code, statement_date.isoformat(), correcting=True)
    lines = parse_statement(content, settings)
    before = None
    if existing is not None:
        before = _statement_facts(existing)
        # Superseded first: two corrections at once both reach the next revision number and one is refused.
        existing.superseded_at = utcnow()
        session.flush()
    statement = PartnerStatement(
        partner_id=partner.id,
        statement_date=statement_date,
        revision=existing.revision + 1 if existing is not None else 1,
        checksum=checksum,
        line_count=len(lines),
        total=sum(line["amount"] for line in lines if line["status"] == "SUCCESSFUL"),
        imported_by=principal.login,
        correction_reason=correction_reason,
    )
    session.add(statement)
    session.flush()
    session.add_all([PartnerStatementLine(statement_id=statement.id, **line) for line in lines])
    audit.record(
        session=session,
        principal=principal,
        action="mobile_money.statement.correct" if existing is not None else "mobile_money.statement.import",
        entity="partner_statement",
        entity_key=f"{partner_code}:{statement_date}",
        before=before,
        after=_statement_facts(statement) | ({"reason": correction_reason} if correction_reason else {}),
    )
    return statement, False


@dataclass
class Reconciliation:
    statement: PartnerStatement
    revisions: list[PartnerStatement]
    ours: tuple[int, int]
    theirs: tuple[int, int]
    matched: tuple[int, int]
    amounts_differ: list[dict]
    missing_on_our_side: list[dict]
    missing_on_their_side: list[dict]
    status_differs: list[dict]
    other_day: list[dict]


def reconcile(*, session: Session, partner_code: str, statement_date: dt.date) -> Reconciliation:
    """Compare a partner's statement of a day with the notifications we recorded.

    Ours: the partner's notifications whose payment has that business date (and SUCCESSFUL ones without a
    payment, which would be a fault). Theirs: the statement's lines. Both keyed on ``referenceId``.
    """
    partner = find_partner(session=session, code=partner_code)
    statement = current_statement(session=session, partner_id=partner.id, statement_date=statement_date)
    if statement is None:
        raise StatementNotFoundError(partner_code, statement_date.isoformat())
    theirs = {
        line.reference_id: line
        for line in session.scalars(
            select(PartnerStatementLine).where(PartnerStatementLine.statement_id == statement.id)
        )
    }
    ours_rows = session.execute(
        select(MobileMoneyNotification, Payment.receipt_number, Payment.business_date)
        .join(Payment, Payment.id == MobileMoneyNotification.payment_id)
        .where(MobileMoneyNotification.partner_id == partner.id, Payment.business_date == statement_date)
    ).all()
    ours = {notification.reference_id: (notification, receipt, day) for notification, receipt, day in ours_rows}
    # Their lines we did not record that day: recorded another day, with another status, or not at all.
    elsewhere = {
        notification.reference_id: (notification, receipt, day)
        for notification, receipt, day in session.execute(
            select(MobileMoneyNotification, Payment.receipt_number, Payment.business_date)
            .outerjoin(Payment, Payment.id == MobileMoneyNotification.payment_id)
            .where(
                MobileMoneyNotification.partner_id == partner.id,
                MobileMoneyNotification.reference_id.in_([ref for ref in theirs if ref not in ours] or [""]),
            )
        )
    }

    def line(reference: str, mine=None, their=None) -> dict:
        notification, receipt, day = mine if mine else (None, None, None)
        return {
            "reference_id": reference,
            "financial_transaction_id": (their.financial_transaction_id if their else None)
            or (notification.financial_transaction_id if notification else None),
            "external_id": (their.external_id if their else None)
            or (notification.external_id if notification else None),
            "ours": notification.amount if notification else None,
            "theirs": their.amount if their else None,
            "our_status": notification.status if notification else None,
            "their_status": their.status if their else None,
            "receipt_number": receipt,
            "business_date": day,
        }

    revisions = statement_revisions(session=session, partner_id=partner.id, statement_date=statement_date)
    result = Reconciliation(statement, revisions, (0, 0), (0, 0), (0, 0), [], [], [], [], [])
    successful_theirs = [item for item in theirs.values() if item.status == "SUCCESSFUL"]
    result.theirs = (len(successful_theirs), sum(item.amount for item in successful_theirs))
    result.ours = (len(ours), sum(notification.amount for notification, _, _ in ours.values()))
    matched_count = matched_amount = 0
    for reference, mine in sorted(ours.items()):
        their = theirs.get(reference)
        if their is None:
            result.missing_on_their_side.append(line(reference, mine))
        elif their.status != "SUCCESSFUL":
            result.status_differs.append(line(reference, mine, their))
        elif their.amount != mine[0].amount:
            result.amounts_differ.append(line(reference, mine, their))
        else:
            matched_count += 1
            matched_amount += their.amount
    result.matched = (matched_count, matched_amount)
    for reference, their in sorted(theirs.items()):
        if reference in ours or their.status != "SUCCESSFUL":
            continue
        mine = elsewhere.get(reference)
        if mine is None:
            result.missing_on_our_side.append(line(reference, None, their))
        elif mine[0].status != "SUCCESSFUL":
            result.status_differs.append(line(reference, mine, their))
        else:
            result.other_day.append(line(reference, mine, their))
    return result
