"""Policy of the operational API: security, payments and matching rules, read from ``YEELEN_*`` variables.

These parameters let each utility adapt the system without touching code (see ``docs/security.md`` and
``docs/api.md``). They live beside the API rather than in :mod:`yeelen.settings` because only the system of
record applies them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from yeelen.errors import ConfigurationError

MatchingRule = Literal["oldest_due_first", "oldest_issued_first"]


class Policy(BaseSettings):
    """Security policy, payment rules and runtime limits of the operational API."""

    model_config = SettingsConfigDict(env_prefix="YEELEN_", extra="ignore", validate_default=True)

    # Security policy (applies to everyone).
    password_min_length: int = Field(default=10, ge=8, le=128, description="Minimum length of a password")
    password_expiry_days: int = Field(
        default=90, ge=0, description="Days after which a password must be changed (0: never)"
    )
    lockout_threshold: int = Field(default=5, ge=1, description="Failed logins in a row that lock the account")
    lockout_minutes: int = Field(default=15, ge=1, description="How long a locked account stays locked")
    token_ttl_minutes: int = Field(default=600, ge=5, le=7 * 24 * 60, description="Lifetime of a session token")
    # Argon2id cost; the defaults follow RFC 9106's second recommended option.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    # Payments and matching (*lettrage*).
    allow_overpayment: bool = Field(
        default=True, description="Keep the part of a payment above what is due as an advance (else refuse it)"
    )
    matching_rule: MatchingRule = Field(default="oldest_due_first", description="Order in which invoices are paid")
    bounced_cheque_fee: int = Field(default=5000, ge=0, description="Fee for a bounced cheque, in minor units")
    utility_name: str = Field(default="Yeelen — Distribution d'eau et d'électricité", max_length=120)
    max_offline_items: int = Field(default=1000, ge=1, description="Payments accepted in one offline upload")
    max_statement_bytes: int = Field(default=10_000_000, ge=1000, description="Largest partner statement file")

    # Database connections and worker threads of one API process.
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=30, ge=0)
    worker_threads: int = Field(
        default=16, ge=2, le=200, description="Threads running database work per process (more only adds contention)"
    )


def load_policy(**overrides: object) -> Policy:
    """Read the policy, turning validation errors into a message naming the variable to fix."""
    try:
        return Policy(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            f"YEELEN_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']}"
            for problem in error.errors()
        )
        raise ConfigurationError(f"The API policy is not valid: {problems}") from None
