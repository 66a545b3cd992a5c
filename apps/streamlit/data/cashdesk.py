"""The cash desk through the operational API: sessions, payment preview and confirmation, receipts, closing with
the cash count, and the supervisor's view of every desk. Nothing here touches a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from api import ApiProblem
from auth import call, read

METHODS = ("cash", "cheque", "mobile_money", "transfer")
PURPOSES = ("invoices", "advance", "deposit")
# Notes and coins of the CFA franc counted at closing (billetage); other currencies count their total as one line.
DENOMINATIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "XOF": (
        ("note", 10000),
        ("note", 5000),
        ("note", 2000),
        ("note", 1000),
        ("note", 500),
        ("coin", 500),
        ("coin", 250),
        ("coin", 200),
        ("coin", 100),
        ("coin", 50),
        ("coin", 25),
        ("coin", 10),
        ("coin", 5),
        ("coin", 1),
    ),
}
DENOMINATIONS["XAF"] = DENOMINATIONS["XOF"]


@dataclass(frozen=True)
class CurrentSession:
    """The cashier's session of today: open (``session``), closed already, or none yet."""

    session: dict | None
    closed_today: bool = False


def current_session() -> CurrentSession:
    """The cashier's open session of today, if any."""
    try:
        return CurrentSession(read("/cashdesk/sessions/current"))
    except ApiProblem as problem:
        if problem.code == "no_open_session":
            return CurrentSession(None)
        if problem.code == "session_closed":
            return CurrentSession(None, closed_today=True)
        raise


def open_session(agency_code: str) -> dict:
    """Open the cashier's session of today in an agency."""
    return call("POST", "/cashdesk/sessions", body={"agency_code": agency_code}).body


def session_payments(session_id: int) -> list[dict]:
    """The transactions of a session."""
    return read(f"/cashdesk/sessions/{int(session_id)}/payments") or []


def preview(payment: Mapping[str, object]) -> dict:
    """How the payment would be matched to invoices, and the amount due before and after; nothing is written."""
    return call("POST", "/cashdesk/payments/preview", body=dict(payment)).body


def record(payment: Mapping[str, object], idempotency_key: str) -> dict:
    """Record the payment; sent again with the same key it is recorded once."""
    return call("POST", "/cashdesk/payments", body=dict(payment), headers={"Idempotency-Key": idempotency_key}).body


def receipt_pdf(receipt_number: str) -> tuple[bytes, bool]:
    """The receipt as PDF, and whether it is a duplicate (every print is recorded by the API)."""
    reply = call("POST", f"/cashdesk/payments/{receipt_number}/receipt")
    duplicate = any(key.lower() == "x-receipt-copy" and value == "duplicate" for key, value in reply.headers.items())
    return reply.body, duplicate


def close_session(session_id: int, count: list[dict], note: str | None) -> dict:
    """Close a session with its cash count (billetage); the API records expected, counted and the difference."""
    return call("POST", f"/cashdesk/sessions/{int(session_id)}/close", body={"count": count, "note": note or None}).body


def supervision(business_date: dt.date | None) -> dict:
    """Every desk of the supervisor's agencies for a day: sessions, amounts by means of payment, cash not deposited."""
    return read("/cashdesk/supervision", business_date=business_date.isoformat() if business_date else None)


def undeposited_cash() -> list[dict]:
    """Cash of closed sessions not yet paid into the bank, oldest first."""
    return read("/cashdesk/undeposited-cash") or []
