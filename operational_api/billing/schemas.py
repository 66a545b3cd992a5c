"""Shapes of billing batches and corrections in the API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class BatchIn(BaseModel):
    billing_month: dt.date = Field(description="Any day of the billing month (the first is kept)")
    name: str | None = Field(default=None, max_length=200)
    agency_code: str | None = None
    round_code: str | None = None
    category: str | None = None
    billing_cycle: str | None = Field(default=None, pattern="^(monthly|bimonthly)$")
    commodity: str | None = Field(default=None, pattern="^(electricity|water)$")


class BatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    name: str
    billing_month: dt.date
    agency_id: int | None
    reading_round_id: int | None
    category: str | None
    billing_cycle: str | None
    commodity: str | None
    status: str
    status_reason: str | None
    created_by: str
    decided_by: str | None
    decided_at: dt.datetime | None
    draft_bills: int = Field(description="Bills of the stored simulation (0 once issued)")
    draft_amount: int = Field(description="Amount of the stored simulation, in minor units of the currency")
    approved_bill_count: int | None
    approved_amount: int | None
    issued_at: dt.datetime | None
    invoice_count: int | None
    invoiced_amount: int | None


class RejectIn(BaseModel):
    reason: str = Field(min_length=3, max_length=400, description="Why the simulation goes back")


class CreditNoteIn(BaseModel):
    reason: str = Field(min_length=3, max_length=400, description="Why the invoice is cancelled")


class InvoiceRef(BaseModel):
    number: str
    kind: str
    total: int
    corrects: str | None = None
