"""Shapes of logins, tokens, users and partners."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from operational_api.auth.rights import Role

LOGIN_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,59}$"
PARTNER_PATTERN = r"^[A-Z0-9][A-Z0-9_]{1,13}$"
AGENCY_PATTERN = r"^[A-Za-z0-9_-]{1,20}$"


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class MeOut(BaseModel):
    login: str
    full_name: str
    role: Role
    all_agencies: bool = Field(description="True for roles that see every agency")
    agencies: list[str] = Field(description="Codes of the agencies the user is attached to")
    rights: list[str]
    password_change_required: bool
    password_expires_at: dt.datetime | None


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: dt.datetime
    password_change_required: bool
    user: MeOut


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class MessageOut(BaseModel):
    message: str


class UserCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(pattern=LOGIN_PATTERN, description="Lower-case letters, digits, dot, dash, underscore")
    full_name: str = Field(min_length=1, max_length=120)
    role: Role
    agencies: list[str] = Field(default_factory=list, max_length=50, description="Agency codes")


class UserUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, min_length=1, max_length=120)
    role: Role | None = None
    agencies: list[str] | None = Field(default=None, max_length=50)
    active: bool | None = None


class UserOut(BaseModel):
    login: str
    full_name: str
    role: Role
    agencies: list[str]
    active: bool
    must_change_password: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    created_at: dt.datetime


class UserCreatedOut(UserOut):
    first_password: str = Field(description="Shown once; the user must change it at first login")


class PartnerCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=PARTNER_PATTERN, description="Upper-case code, e.g. MTN_MOMO")
    name: str = Field(min_length=1, max_length=120)


class PartnerOut(BaseModel):
    code: str
    name: str
    active: bool
    created_at: dt.datetime


class PartnerCreatedOut(PartnerOut):
    secret: str = Field(description="Shown once; the partner authenticates with HTTP Basic code:secret")
