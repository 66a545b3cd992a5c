"""Shapes of the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: dt.datetime
    actor: str
    actor_kind: str
    actor_role: str
    action: str
    entity: str
    entity_key: str
    agency_id: int | None
    workstation: str | None
    client_address: str | None
    before: Any = Field(default=None, validation_alias="before_json")
    after: Any = Field(default=None, validation_alias="after_json")

    @field_validator("before", "after", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value
