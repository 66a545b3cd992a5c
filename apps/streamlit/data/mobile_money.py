"""Mobile money reconciliation through the operational API: the payment partners, a partner's statement of a day
reconciled with the notifications we recorded, and the import of a statement or of its correction. Nothing here
touches a database."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from api import ApiProblem
from auth import call, offers, read

PARTNERS = ("GET", "/partners")
IMPORT = ("POST", "/mobile-money/partners/{partner_code}/statements")
CORRECT = ("POST", "/mobile-money/partners/{partner_code}/statements/{statement_date}/corrections")
# The parts of a reconciliation that need someone's attention, in the order a supervisor works through them.
DIFFERENCES = ("missing_on_our_side", "amounts_differ", "status_differs", "missing_on_their_side", "other_day")


def _statements(partner_code: str) -> str:
    return f"/mobile-money/partners/{quote(partner_code, safe='')}/statements"


def partners() -> list[dict]:
    """The registered payment partners, active first, by code."""
    found = read(PARTNERS[1]) or []
    return sorted(found, key=lambda partner: (not partner.get("active", True), partner["code"]))


def available() -> dict[str, tuple[bool, bool]]:
    """For the partners' list, the import and the correction: offered by the API, and allowed to the user."""
    return {"partners": offers(*PARTNERS), "import": offers(*IMPORT), "correct": offers(*CORRECT)}


def recent_statements() -> list[dict]:
    """Every partner's statements of the last 31 days (each day's latest revision, with its ``partner_code``), the
    latest day first."""
    return read("/mobile-money/statements") or []


def reconciliation(partner_code: str, day: dt.date) -> dict | None:
    """The reconciliation of a partner's statement of a day, or None when no statement of that day is imported."""
    try:
        return read(f"{_statements(partner_code)}/{day.isoformat()}/reconciliation")
    except ApiProblem as problem:
        if problem.code == "unknown_statement":
            return None
        raise


def import_statement(partner_code: str, day: dt.date, content: bytes) -> dict:
    """Import a partner's statement of a day (the CSV file as the partner sent it)."""
    return call(
        "POST", _statements(partner_code), params={"statement_date": day.isoformat()}, file=(content, "text/csv")
    ).body


def correct_statement(partner_code: str, day: dt.date, content: bytes, reason: str) -> dict:
    """Import a partner's corrected statement of a day: its next revision, the earlier one kept."""
    return call(
        "POST",
        f"{_statements(partner_code)}/{day.isoformat()}/corrections",
        params={"reason": reason},
        file=(content, "text/csv"),
    ).body
