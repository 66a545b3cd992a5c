"""Inspections in the API."""

from __future__ import annotations

import datetime as dt
import decimal

from pydantic import BaseModel, ConfigDict, Field

from operational_api.common import MAX_ID


class InspectionIn(BaseModel):
    contract_reference: str
    suspect_rules: list[str] = Field(default_factory=list, description="Rule codes that flagged the contract")
    suspect_score: decimal.Decimal | None = Field(default=None, ge=0, le=1000)
    route_order: int | None = Field(default=None, ge=0, le=MAX_ID)


class OutcomeIn(BaseModel):
    outcome: str = Field(pattern="^(fraud_confirmed|no_fraud|meter_fault|no_access)$")
    inspected_on: dt.date
    notes: str | None = Field(default=None, max_length=1000)
    energy_recovered: decimal.Decimal | None = Field(
        default=None, ge=0, le=10**9, max_digits=15, decimal_places=3, description="kWh or m3 to back-bill"
    )


class InspectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    contract_reference: str
    requested_on: dt.date
    requested_by: str
    suspect_rules: list[str]
    suspect_score: decimal.Decimal | None
    route_order: int | None
    inspected_on: dt.date | None
    inspector: str | None
    outcome: str | None
    energy_recovered: decimal.Decimal | None
    notes: str | None
