"""Shapes of balances, open invoices, statements and matching runs."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ContractBalanceOut(BaseModel):
    contract_reference: str | None = Field(description="None: payments not attached to a contract")
    balance: int
    open_invoices: int
    open_amount: int


class AccountOut(BaseModel):
    customer_reference: str
    currency: str
    balance: int = Field(description="Sum of the ledger: positive owed by the customer, negative in their favour")
    amount_due: int = Field(description="Balance with deposits held set aside: what the customer owes now")
    open_amount: int = Field(description="Sum of the open amounts of the customer's invoices")
    unallocated_credit: int = Field(description="Advances, unallocated payments and credit notes not yet matched")
    deposits_held: int
    contracts: list[ContractBalanceOut]


class InvoiceOut(BaseModel):
    number: str
    kind: str = "invoice"
    contract_reference: str
    issue_date: dt.date
    due_date: dt.date
    total: int
    open_amount: int


class StatementLineOut(BaseModel):
    entry_date: dt.date
    kind: str
    description: str
    reference: str | None
    contract_reference: str | None
    debit: int
    credit: int
    balance: int


class StatementOut(BaseModel):
    customer_reference: str
    customer_name: str
    currency: str
    start: dt.date
    end: dt.date = Field(description="Excluded: the statement covers [start, end)")
    opening_balance: int
    lines: list[StatementLineOut]
    closing_balance: int
    total_debit: int
    total_credit: int


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_references: list[str] | None = Field(default=None, max_length=10000)
    agency_code: str | None = Field(default=None, max_length=20)

    @model_validator(mode="after")
    def _one_scope(self) -> MatchIn:
        if (self.customer_references is None) == (self.agency_code is None):
            raise ValueError("give either customer_references or agency_code")
        return self


class MatchOut(BaseModel):
    customers: int = Field(description="Customers that got at least one allocation")
    allocations: int
    amount: int
