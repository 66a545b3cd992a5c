"""Collection campaigns and their targets in the API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from operational_api.common import MAX_ID


class TargetIn(BaseModel):
    contract_reference: str
    agent: str | None = Field(default=None, max_length=60)
    route_order: int | None = Field(default=None, ge=0, le=MAX_ID)
    amount_due: int = Field(ge=0, le=MAX_ID, description="Amount at stake, in minor units of the currency")


class CampaignIn(BaseModel):
    name: str = Field(min_length=3, max_length=200)
    agency_code: str | None = None
    criteria: dict | None = Field(default=None, description="The criteria the targets were chosen by")
    targets: list[TargetIn] = Field(min_length=1, max_length=20000)


class TargetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    contract_reference: str
    agent: str | None
    route_order: int | None
    amount_due: int
    status: str
    status_on: dt.date | None
    index_at_disconnection: int | None
    reconnection_fee: int | None
    notes: str | None


class CampaignOut(BaseModel):
    id: int
    reference: str
    name: str
    agency_id: int | None
    created_on: dt.date
    status: str
    targets: int
    amount_due: int
    progress: dict[str, int] = Field(description="Targets per status")


class OutcomeIn(BaseModel):
    status: str = Field(pattern="^(notice_delivered|paid|disconnected|refused|reconnected)$")
    status_on: dt.date
    index_at_disconnection: int | None = Field(default=None, ge=0, le=MAX_ID)
    reconnection_fee: int | None = Field(default=None, ge=0, le=MAX_ID)
    notes: str | None = Field(default=None, max_length=1000)
