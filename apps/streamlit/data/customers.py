"""A customer's file as the customer account and cash desk screens show it.

The customer, contracts, account, invoices, statement and readings come live from the operational API (the API
checks the user's agencies); complaints come from ``marts.fct_customer_complaints`` (the API has no route for
them), filtered by the user's agencies as every mart query is.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pandas as pd
from auth import call, read

from data.frames import dates
from data.scope import Scope, agency_filter
from data.warehouse import fetch

SEARCH_LIMIT = 50

COMPLAINTS_SQL = """
select
    opened_on, closed_on, complaint_category, complaint_status, contract_reference, description, created_by,
    days_open
from marts.fct_customer_complaints
where customer_reference = :reference and {where}
order by opened_on desc
"""


def _path(*parts: str) -> str:
    return "/" + "/".join(quote(str(part), safe="") for part in parts)


def search(text: str) -> list[dict]:
    """Customers whose name, customer or contract reference, meter serial or phone contains ``text``."""
    return read("/customers", q=text.strip(), limit=SEARCH_LIMIT) or []


def customer(reference: str) -> dict:
    """The customer with their contracts."""
    return read(_path("customers", reference))


def account(reference: str) -> dict:
    """Balance of the customer and of each contract, open amounts, credits and deposits."""
    return read(_path("customers", reference, "account"))


def invoices(reference: str, status: str = "all") -> pd.DataFrame:
    """The customer's invoices (all, or the open ones) with their open amounts."""
    frame = pd.DataFrame(read(_path("customers", reference, "invoices"), status=status) or [])
    return dates(frame, ["issue_date", "due_date"])


def statement(reference: str, start: dt.date, end: dt.date) -> dict:
    """Opening balance, movements of [start, end) with a running balance, closing balance."""
    return read(_path("customers", reference, "statement"), start=start.isoformat(), end=end.isoformat())


def statement_pdf(reference: str, start: dt.date, end: dt.date) -> bytes:
    """The statement as a PDF document (relevé de compte)."""
    reply = call(
        "GET",
        _path("customers", reference, "statement.pdf"),
        params={"start": start.isoformat(), "end": end.isoformat()},
    )
    return reply.body


def contract(reference: str) -> dict:
    """A contract with its delivery point (address, GPS) and meters."""
    return read(_path("contracts", reference))


def readings(contract_reference: str) -> pd.DataFrame:
    """A contract's readings, oldest first, with ``estimated`` set for estimates."""
    frame = pd.DataFrame(read(_path("contracts", contract_reference, "readings"), limit=120) or [])
    if frame.empty:
        return frame
    frame["reading_date"] = pd.to_datetime(frame["reading_date"])
    frame["estimated"] = frame["source"] == "estimate"
    return frame.sort_values("reading_date")


def history(reference: str) -> pd.DataFrame:
    """Who changed what in the customer's data, and when."""
    return pd.DataFrame(read(_path("customers", reference, "history"), limit=200) or [])


def complaints(reference: str, scope: Scope) -> pd.DataFrame:
    """The customer's complaints, newest first, from the warehouse."""
    where, parameters = agency_filter("agency_id", scope)
    frame = fetch(COMPLAINTS_SQL.format(where=where), reference=reference, **parameters)
    return dates(frame, ["opened_on", "closed_on"])
