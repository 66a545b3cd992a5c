"""Shapes of the partner-facing API, modelled on MTN MoMo collections (camelCase field names), and of statements
and their reconciliation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints
from pydantic.alias_generators import to_camel

AmountText = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,13}(\.[0-9]{1,3})?$")]


class CamelModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class Party(CamelModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    party_id_type: Literal["MSISDN", "EMAIL", "PARTY_CODE"] = Field(description="MSISDN for a phone number")
    party_id: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9@._+-]+$")


class Reason(CamelModel):
    code: str | None = Field(default=None, max_length=60)
    message: str | None = Field(default=None, max_length=140)


class NotificationIn(CamelModel):
    """A payment notice: ``referenceId`` is the partner's transaction id (idempotency key), ``externalId`` the
    customer or contract reference printed on the bill, ``amount`` in currency units as text (``"5000"``)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    reference_id: str = Field(min_length=8, max_length=80, pattern=r"^[A-Za-z0-9._:-]+$")
    external_id: str = Field(min_length=1, max_length=40, description="Customer or contract reference on the bill")
    amount: AmountText | StrictInt = Field(description='Amount in currency units, as text ("5000") or an integer')
    currency: str = Field(min_length=3, max_length=3)
    payer: Party
    payer_message: str | None = Field(default=None, max_length=160)
    payee_note: str | None = Field(default=None, max_length=160)
    status: Literal["PENDING", "SUCCESSFUL", "FAILED"]
    financial_transaction_id: str | None = Field(default=None, min_length=1, max_length=80)
    reason: Reason | None = None


class NotificationOut(CamelModel):
    reference_id: str
    external_id: str
    status: str
    result: Literal["payment_recorded", "pending_recorded", "failure_recorded"]
    receipt_number: str | None = None
    customer_reference: str | None = None
    amount: str
    currency: str
    allocated: str | None = None
    unallocated: str | None = None
    message: str


class OpenInvoiceOut(CamelModel):
    number: str
    contract_reference: str
    due_date: dt.date
    open_amount: str


class BillOut(CamelModel):
    reference: str
    customer_reference: str
    customer_name: str
    contract_reference: str | None
    currency: str
    amount_due: str = Field(description="What the customer owes now, in currency units")
    open_invoices: list[OpenInvoiceOut]


class StatementOut(BaseModel):
    partner: str
    statement_date: dt.date
    revision: int = Field(description="1 for the statement first imported, then one more per correction")
    line_count: int
    total: int
    imported_by: str
    correction_reason: str | None = None
    already_imported: bool = False


class StatementRevision(BaseModel):
    revision: int
    imported_at: dt.datetime
    imported_by: str
    line_count: int
    total: int = Field(description="Sum of the SUCCESSFUL lines, minor units")
    correction_reason: str | None = None
    superseded_at: dt.datetime | None = None


class StatementDay(StatementRevision):
    """The statement of one of a partner's days: its latest revision."""

    statement_date: dt.date


class PartnerStatementDay(StatementDay):
    """The statement of a day of one of the partners."""

    partner_code: str


class ReconciliationLine(BaseModel):
    reference_id: str
    financial_transaction_id: str | None = None
    external_id: str | None = None
    ours: int | None = Field(default=None, description="Our amount, minor units")
    theirs: int | None = Field(default=None, description="Their amount, minor units")
    our_status: str | None = None
    their_status: str | None = None
    receipt_number: str | None = None
    business_date: dt.date | None = None


class Totals(BaseModel):
    count: int
    amount: int


class ReconciliationOut(BaseModel):
    partner: str
    statement_date: dt.date
    revision: int = Field(description="The revision of the statement reconciled: the latest")
    revisions: list[StatementRevision] = Field(description="Every revision of the day's statement, the first first")
    ours: Totals
    theirs: Totals
    matched: Totals
    amounts_differ: list[ReconciliationLine]
    missing_on_our_side: list[ReconciliationLine]
    missing_on_their_side: list[ReconciliationLine]
    status_differs: list[ReconciliationLine]
    other_day: list[ReconciliationLine] = Field(description="In their statement, recorded by us on another day")
