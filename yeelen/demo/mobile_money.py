"""The demo's mobile money: the operators its customers pay through, the notification behind each payment they
carried, and their statements of the last days — written as the operators send them, dropped in the inbox and
taken like any partner's file — with the differences a real reconciliation meets: a payment settled the next day,
an amount that differs, a transaction whose notification never arrived, failed attempts, a line a spreadsheet
spoiled (held in quarantine).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import insert, select

from operational_api.accounts.models import Payment
from operational_api.auth.models import Partner
from operational_api.customers.models import Customer
from operational_api.db import make_engine, session_factory, unit_of_work, utcnow
from operational_api.mobile_money.models import MobileMoneyNotification
from operational_api.mobile_money.schemas import NotificationOut
from operational_api.mobile_money.service import STATEMENT_COLUMNS, to_units
from yeelen.demo.truth import read_generation
from yeelen.settings import Settings

Say = Callable[[str], None]
ACTOR = "demo"
# The operators of the demo's payment habits (yeelen.demo.history.CHANNELS), as registered partners.
PARTNERS = {"WAVE": "Wave Sénégal", "ORANGE_MONEY": "Orange Money Sénégal", "FREE_MONEY": "Free Money"}
STATEMENT_DAYS = 7
COLUMNS = (*STATEMENT_COLUMNS, "payer")
NAMESPACE = uuid.UUID("6f1c3a52-58c4-4be0-9a07-3c1d2e8b5a10")


def partner_reference(partner: str, key: str) -> str:
    """The operator's transaction id (``referenceId``) of a demo payment: a UUID, as MTN MoMo and others send."""
    return str(uuid.uuid5(NAMESPACE, f"{partner}:{key}"))


@dataclass
class MobileMoneyReport:
    partners: int = 0
    notifications: int = 0
    statements: list[str] = field(default_factory=list)
    quarantined: int = 0


def register_partners(session, principal) -> int:
    """Register the demo's operators that are not yet (each with a random secret: the demo never calls in)."""
    from operational_api.auth.service import create_partner

    known = set(session.scalars(select(Partner.code)))
    for code, name in PARTNERS.items():
        if code not in known:
            create_partner(session=session, principal=principal, code=code, name=name)
    return len(PARTNERS.keys() - known)


def record_notifications(session, currency: str) -> int:
    """The notification each demo mobile money payment came with, for the payments that have none yet."""
    partners = {code: partner_id for partner_id, code in session.execute(select(Partner.id, Partner.code))}
    rows = session.execute(
        select(
            Payment.id,
            Payment.partner,
            Payment.partner_reference,
            Payment.amount,
            Payment.received_at,
            Payment.receipt_number,
            Customer.reference,
            Customer.phone,
        )
        .join(Customer, Customer.id == Payment.customer_id)
        .outerjoin(MobileMoneyNotification, MobileMoneyNotification.payment_id == Payment.id)
        .where(
            Payment.channel == "mobile_money",
            Payment.created_by == ACTOR,
            Payment.partner.in_(list(PARTNERS)),
            MobileMoneyNotification.id.is_(None),
        )
        .order_by(Payment.id)
    ).all()
    now = utcnow()
    values = []
    for payment_id, partner, reference, amount, received_at, receipt, customer, phone in rows:
        answer = NotificationOut(
            reference_id=reference,
            external_id=customer,
            status="SUCCESSFUL",
            result="payment_recorded",
            receipt_number=receipt,
            customer_reference=customer,
            amount=to_units(amount, currency),
            currency=currency,
            message="Payment recorded.",
        )
        values.append(
            {
                "partner_id": partners[partner],
                "reference_id": reference,
                "external_id": customer,
                "financial_transaction_id": str(3_600_000_000 + payment_id),
                "amount": amount,
                "currency": currency,
                "payer_id_type": "MSISDN",
                "payer_id": _msisdn(phone, payment_id),
                "payer_message": None,
                "payee_note": None,
                "status": "SUCCESSFUL",
                "reason": None,
                "payment_id": payment_id,
                "response_json": answer.model_dump_json(by_alias=True),
                "received_at": received_at,
                "created_at": now,
                "updated_at": now,
            }
        )
    if values:
        session.execute(insert(MobileMoneyNotification.__table__), values)
    return len(values)


def _msisdn(phone: str | None, salt: int) -> str:
    digits = "".join(character for character in phone or "" if character.isdigit())
    if len(digits) == 9:
        digits = "221" + digits
    return digits if len(digits) >= 11 else f"22177{salt % 10_000_000:07d}"


def _transactions(session) -> dict[tuple[str, dt.date], list[dict]]:
    """The demo's mobile money transactions as the operators would list them, by (partner, business date)."""
    rows = session.execute(
        select(
            Payment.partner,
            Payment.business_date,
            MobileMoneyNotification.received_at,
            MobileMoneyNotification.reference_id,
            MobileMoneyNotification.financial_transaction_id,
            MobileMoneyNotification.external_id,
            MobileMoneyNotification.amount,
            MobileMoneyNotification.payer_id,
        )
        .join(Payment, Payment.id == MobileMoneyNotification.payment_id)
        .where(Payment.created_by == ACTOR, Payment.partner.in_(list(PARTNERS)))
        .order_by(MobileMoneyNotification.received_at, MobileMoneyNotification.id)
    ).all()
    by_day: dict[tuple[str, dt.date], list[dict]] = defaultdict(list)
    for partner, day, moment, reference, financial, external, amount, payer in rows:
        by_day[(partner, day)].append(
            {
                "transaction_date": moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "reference_id": reference,
                "financial_transaction_id": financial,
                "external_id": external,
                "amount": amount,
                "status": "SUCCESSFUL",
                "payer": payer,
            }
        )
    return by_day


def statements(
    transactions: dict[tuple[str, dt.date], list[dict]], rng: np.random.Generator, days: int = STATEMENT_DAYS
) -> dict[tuple[str, dt.date], list[dict]]:
    """Each operator's statements of the last ``days`` days that saw a demo payment, with the differences of real
    life: a payment settled the next day (missing on their side, then on another day), an amount that differs, a
    transaction without a notification (missing on ours), failed attempts, and once a spoilt amount."""
    if not transactions:
        return {}
    last = max(day for _, day in transactions)
    window = [last - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    files: dict[tuple[str, dt.date], list[dict]] = {}
    spoilt = False
    for partner in PARTNERS:
        carried: list[dict] = []
        for day in window:
            lines = [dict(line) for line in transactions.get((partner, day), [])] + carried
            carried = []
            if not lines and (partner, day) not in transactions:
                continue
            draws = rng.random(4)
            if len(lines) > 2 and draws[0] < 0.35 and day != last:
                carried.append(lines.pop(int(rng.integers(len(lines)))))  # settled after midnight
            if len(lines) > 2 and draws[1] < 0.3:
                line = lines[int(rng.integers(len(lines)))]
                line["amount"] = max(100, line["amount"] - 100 * int(rng.integers(1, 20)))
            if lines and draws[2] < 0.3:
                lines.append(_unknown_to_us(partner, day, lines[0], rng))
            for _ in range(int(rng.integers(0, 3))):
                lines.append(_failed_attempt(partner, day, rng))
            large = [line for line in lines if line["status"] == "SUCCESSFUL" and line["amount"] >= 1000]
            if not spoilt and large and day == window[-2]:
                # Typed over in a spreadsheet with a thousands separator: the intake holds the line back.
                large[0]["amount"] = f"{large[0]['amount'] // 1000} {large[0]['amount'] % 1000:03d}"
                spoilt = True
            files[(partner, day)] = sorted(lines, key=lambda line: line["transaction_date"])
    return files


def _moment(day: dt.date, rng: np.random.Generator) -> str:
    seconds = int(rng.integers(7 * 3600, 22 * 3600))
    return f"{day.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"


def _unknown_to_us(partner: str, day: dt.date, like: dict, rng: np.random.Generator) -> dict:
    return like | {
        "transaction_date": _moment(day, rng),
        "reference_id": partner_reference(partner, f"lost-{day}-{int(rng.integers(1_000_000))}"),
        "financial_transaction_id": str(int(rng.integers(4_100_000_000, 4_200_000_000))),
        "amount": 500 * int(rng.integers(2, 40)),
    }


def _failed_attempt(partner: str, day: dt.date, rng: np.random.Generator) -> dict:
    return {
        "transaction_date": _moment(day, rng),
        "reference_id": partner_reference(partner, f"failed-{day}-{int(rng.integers(1_000_000))}"),
        "financial_transaction_id": "",
        "external_id": "",
        "amount": 500 * int(rng.integers(2, 40)),
        "status": "FAILED",
        "payer": f"22177{int(rng.integers(10_000_000)):07d}",
    }


def statement_csv(lines: list[dict], currency: str) -> bytes:
    """A statement file in the operators' format (docs/formats.md, "Mobile money statement")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        values = line | {"currency": currency}
        if isinstance(values["amount"], int):
            values["amount"] = to_units(values["amount"], currency)
        writer.writerow([values.get(name, "") for name in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def mobile_money_history(settings: Settings, say: Say) -> MobileMoneyReport:
    """Partners, notifications and the last days' statements of the demo, taken from the inbox."""
    from yeelen.demo.users import system_principal
    from yeelen.intake.kinds import inbox_kinds
    from yeelen.intake.take import take_file

    report = MobileMoneyReport()
    engine = make_engine(str(settings.operational_url))
    try:
        with unit_of_work(session_factory(engine)) as session:
            report.partners = register_partners(session, system_principal(ACTOR))
            report.notifications = record_notifications(session, settings.currency)
        with session_factory(engine)() as session:
            transactions = _transactions(session)
    finally:
        engine.dispose()
    generation = read_generation(settings.demo_dir)
    files = statements(transactions, np.random.default_rng(int(generation["seed"]) + 104729))
    folder = settings.inbox / "mobile_money"
    folder.mkdir(parents=True, exist_ok=True)
    kind = inbox_kinds()["mobile_money"]
    for (partner, day), lines in sorted(files.items(), key=lambda item: (item[0][1], item[0][0])):
        path = folder / f"{partner}_{day.isoformat()}.csv"
        path.write_bytes(statement_csv(lines, settings.currency))
        taken = take_file(settings, kind, path, actor=ACTOR)
        report.statements.append(path.name)
        report.quarantined += taken.quarantined
    say(
        f"  {report.notifications:,} mobile money notifications, {len(report.statements)} operator statements taken"
        + (f" ({report.quarantined} line held in quarantine)" if report.quarantined else "")
    )
    return report
