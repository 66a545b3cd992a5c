"""Shapes of customers, contracts, meters, readings and their changes."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from operational_api.customers.models import CATEGORIES

Category = Literal[CATEGORIES]  # type: ignore[valid-type]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ]{6,18}[0-9]$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$", max_length=160)]


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
    delivery_point_reference: str | None = None
    address: str | None = None
    meter_serial: str | None = Field(default=None, description="Meter installed now")


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
    language: str = "fr"
    contracts: list[ContractSummary]


class ReadingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reading_date: dt.date
    index_value: int | None
    source: str
    anomaly_code: str | None
    meter_serial: str


class InstallationOut(BaseModel):
    meter_serial: str
    contract_reference: str
    installed_on: dt.date
    removed_on: dt.date | None
    initial_index: int
    final_index: int | None
    reason: str


class DeliveryPointOut(BaseModel):
    reference: str
    commodity: str
    address: str
    latitude: float
    longitude: float


class ContractDetail(ContractSummary):
    customer_reference: str
    agency_code: str
    delivery_point: DeliveryPointOut
    meters: list[InstallationOut]


class MeterOut(BaseModel):
    serial: str
    commodity: str
    meter_type: str
    digits: int
    multiplier: int
    brand: str | None
    installations: list[InstallationOut]


class CustomerUpdate(BaseModel):
    """Fields to correct; a field left out is unchanged, a null clears an optional field."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "company", "public_body"] | None = None
    name: str | None = Field(default=None, min_length=1, max_length=160)
    first_name: str | None = Field(default=None, min_length=1, max_length=80)
    phone: Phone | None = None
    email: Email | None = None
    grouping_code: str | None = Field(default=None, min_length=1, max_length=20)
    language: Literal["fr", "en"] | None = None


class ContractUpdate(BaseModel):
    """Contract data to correct (changes of power or tariff normally come from a customer request)."""

    model_config = ConfigDict(extra="forbid")

    category: Category | None = None
    subscribed_power: decimal.Decimal | None = Field(default=None, gt=0, max_digits=10, decimal_places=2)
    power_unit: Literal["kVA", "A", "mm"] | None = None
    billing_cycle: Literal["monthly", "bimonthly"] | None = None
    payment_mode: Literal["postpaid", "prepaid"] | None = None
    status: Literal["active", "suspended", "terminated"] | None = None
    end_date: dt.date | None = None


class DeliveryPointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: str | None = Field(default=None, min_length=1, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    changed_at: dt.datetime
    changed_by: str
    entity: str
    entity_key: str
    field: str
    old_value: str | None
    new_value: str | None
