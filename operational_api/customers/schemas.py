"""Shapes of customers, contracts and readings returned by the API."""

from __future__ import annotations

import datetime as dt
import decimal

from pydantic import BaseModel, ConfigDict


class ContractSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reference: str
    commodity: str
    category: str
    subscribed_power: decimal.Decimal
    power_unit: str
    billing_cycle: str
    payment_mode: str
    status: str
    start_date: dt.date
    end_date: dt.date | None


class CustomerSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reference: str
    kind: str
    name: str
    first_name: str | None
    phone: str | None
    agency_code: str


class CustomerDetail(CustomerSummary):
    email: str | None
    grouping_code: str | None
    contracts: list[ContractSummary]


class ReadingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reading_date: dt.date
    index_value: int | None
    source: str
    anomaly_code: str | None
    meter_serial: str
