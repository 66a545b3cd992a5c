"""Users, their agencies, session tokens and payment partners.

Passwords are stored as argon2id hashes; tokens and partner secrets are long random values, so a SHA-256 digest
is enough to store them (a guess is hopeless) and keeps each request's check cheap.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from operational_api.auth.rights import Role
from operational_api.common import IdMixin, TimestampMixin
from operational_api.db import Base, IdType, UTCDateTime

ROLE_CHECK = "role in (" + ", ".join(f"'{role.value}'" for role in Role if role is not Role.PARTNER) + ")"


class User(IdMixin, TimestampMixin, Base):
    """A person who logs in: one role, one or more agencies, a password that expires."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role"),)

    login: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200), info={"ingest": False})
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(60))


class UserAgency(IdMixin, TimestampMixin, Base):
    """An agency a user works in and whose data the user sees."""

    __tablename__ = "user_agency"
    __table_args__ = (UniqueConstraint("user_id", "agency_id"),)

    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("app_user.id"), index=True)
    agency_id: Mapped[int] = mapped_column(IdType, ForeignKey("agency.id"), index=True)


class ApiToken(IdMixin, TimestampMixin, Base):
    """An opaque bearer token, stored as its SHA-256 digest; revoked at logout, useless after it expires."""

    __tablename__ = "api_token"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"ingest": False})
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("app_user.id"), index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    workstation: Mapped[str | None] = mapped_column(String(60))
    client_address: Mapped[str | None] = mapped_column(String(64))


class Partner(IdMixin, TimestampMixin, Base):
    """A payment partner (mobile money operator, aggregator, bank) calling the API with its own secret."""

    __tablename__ = "payment_partner"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(64), info={"ingest": False})
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(60))
