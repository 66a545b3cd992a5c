"""Shapes of cash sessions, payments, receipts, deposits, bars and offline uploads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from operational_api.common import MAX_ID

Method = Literal["cash", "cheque", "mobile_money", "transfer"]
Purpose = Literal["invoices", "advance", "deposit"]
Rule = Literal["oldest_due_first", "oldest_issued_first", "explicit"]
REFERENCE = Field(default=None, min_length=1, max_length=20)


class SessionOpenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: str = Field(min_length=1, max_length=20, description="Agency of the desk")


class CountLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["note", "coin"]
    denomination: int = Field(gt=0, le=1_000_000, description="Face value in currency units, e.g. 10000")
    quantity: int = Field(ge=0, le=1_000_000)


class SessionCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: list[CountLineIn] = Field(max_length=40, description="The cash count (billetage) by notes and coins")
    note: str | None = Field(default=None, max_length=400, description="Explanation of a difference")


class MethodTotal(BaseModel):
    method: str
    count: int
    amount: int


class CountLineOut(BaseModel):
    kind: str
    denomination: int
    quantity: int
    amount: int


class SessionOut(BaseModel):
    id: int
    cashier: str
    agency_code: str
    business_date: dt.date
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None
    workstation: str | None
    totals: list[MethodTotal] = Field(description="Posted payments by means of payment")
    cancelled_count: int
    cancelled_amount: int
    expected_cash: int = Field(description="Cash that should be in the drawer (posted cash payments)")
    counted_cash: int | None
    cash_difference: int | None = Field(description="Counted minus expected")
    closing_note: str | None
    deposited: int = Field(description="Cash of this session already paid into the bank")
    undeposited: int | None = Field(description="Counted cash not yet paid into the bank (closed sessions)")
    count: list[CountLineOut]


class PaymentIn(BaseModel):
    """A payment at the desk: who pays (customer or contract reference), how much, how, for what."""

    model_config = ConfigDict(extra="forbid")

    customer_reference: str | None = REFERENCE
    contract_reference: str | None = REFERENCE
    amount: int = Field(gt=0, le=10**13, description="Amount in minor units of the currency (francs for XOF)")
    method: Method
    purpose: Purpose = "invoices"
    rule: Rule | None = Field(default=None, description="Matching rule (default: the utility's rule)")
    invoice_numbers: list[str] | None = Field(default=None, max_length=100, description="For the rule 'explicit'")
    cheque_number: str | None = Field(default=None, min_length=1, max_length=30)
    cheque_bank: str | None = Field(default=None, min_length=1, max_length=60)
    payer_reference: str | None = Field(
        default=None, min_length=1, max_length=80, description="Transaction id of a transfer or mobile money payment"
    )
    cash_session_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Needed only with several sessions open"
    )

    @model_validator(mode="after")
    def _payer(self) -> PaymentIn:
        if not self.customer_reference and not self.contract_reference:
            raise ValueError("give customer_reference or contract_reference")
        return self


class AllocationOut(BaseModel):
    invoice_number: str
    due_date: dt.date
    amount: int
    open_before: int | None = None
    open_after: int | None = None


class PaymentPreviewOut(BaseModel):
    customer_reference: str
    customer_name: str
    contract_reference: str | None
    amount: int
    currency: str
    method: str
    purpose: str
    rule: str
    allocations: list[AllocationOut]
    unallocated: int = Field(description="Part kept as an advance on the account")
    amount_due_before: int
    amount_due_after: int


class PaymentOut(BaseModel):
    receipt_number: str
    status: str
    status_reason: str | None
    customer_reference: str
    customer_name: str
    contract_reference: str | None
    agency_code: str | None
    amount: int
    currency: str
    method: str
    purpose: str
    channel: str
    received_at: dt.datetime
    business_date: dt.date
    cash_session_id: int | None
    cashier: str
    cheque_number: str | None
    cheque_bank: str | None
    partner: str | None
    partner_reference: str | None
    allocations: list[AllocationOut]
    unallocated: int


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=400)


class BounceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="Chèque impayé", min_length=3, max_length=400)


class BarOut(BaseModel):
    id: int
    customer_reference: str
    receipt_number: str | None
    reason: str
    barred_at: dt.datetime
    barred_by: str
    lifted_at: dt.datetime | None
    lifted_by: str | None
    lift_reason: str | None


class BounceOut(BaseModel):
    payment: PaymentOut
    fee: int
    bar: BarOut


class LiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=400)


class ChequeDepositIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: str = Field(min_length=1, max_length=20)
    bank: str = Field(min_length=1, max_length=60)
    receipt_numbers: list[str] | None = Field(
        default=None, max_length=500, description="Cheques to put on the slip (default: every cheque not yet deposited)"
    )


class ChequeDepositOut(BaseModel):
    reference: str
    agency_code: str
    bank: str
    deposit_date: dt.date
    cheque_count: int
    total: int
    created_by: str
    receipt_numbers: list[str]


class BankDepositIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_code: str = Field(min_length=1, max_length=20)
    bank: str = Field(min_length=1, max_length=60)
    bank_reference: str | None = Field(default=None, max_length=60, description="Number of the bank's deposit slip")
    amount: int = Field(gt=0, le=10**13)
    session_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        default=None, max_length=200, description="Sessions whose cash is deposited (default: oldest first)"
    )


class BankDepositOut(BaseModel):
    reference: str
    agency_code: str
    bank: str
    bank_reference: str | None
    deposit_date: dt.date
    amount: int
    created_by: str
    sessions: list[dict[str, int]] = Field(description="session_id and amount taken from it")


class UndepositedOut(BaseModel):
    session_id: int
    agency_code: str
    cashier: str
    business_date: dt.date
    counted_cash: int
    deposited: int
    undeposited: int
    days: int = Field(description="Days since the session's business date")


class AgencyCashOut(BaseModel):
    agency_code: str
    open_sessions: int
    totals: list[MethodTotal]
    undeposited: int = Field(description="Cash of closed sessions not yet deposited, all days")
    undeposited_earlier_days: int = Field(description="The part of it from before the day shown")


class SupervisionOut(BaseModel):
    business_date: dt.date
    sessions: list[SessionOut]
    agencies: list[AgencyCashOut]


class OfflineItemIn(PaymentIn):
    client_id: str = Field(
        min_length=8, max_length=120, description="Identifier generated by the offline desk; the idempotency key"
    )
    received_at: AwareDatetime = Field(description="When the desk took the payment (with its time zone)")
    rule: Rule | None = None


class OfflineUploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    desk: str = Field(min_length=1, max_length=60, description="Name of the offline desk (e.g. bank branch)")
    agency_code: str = Field(min_length=1, max_length=20, description="Agency the desk reports to")
    items: list[OfflineItemIn] = Field(min_length=1, max_length=5000)


class OfflineResultOut(BaseModel):
    client_id: str
    result: Literal["created", "already_present", "refused"]
    receipt_number: str | None = None
    code: str | None = None
    message: str | None = None


class OfflineUploadOut(BaseModel):
    created: int
    already_present: int
    refused: int
    results: list[OfflineResultOut]
