"""Password hashing (argon2id), the password policy, and random tokens and secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from operational_api.auth.exceptions import WeakPasswordError
from operational_api.config import Policy

# No look-alike characters (0/O, 1/l/I) in passwords read aloud or copied from paper.
_FIRST_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(policy: Policy) -> PasswordHasher:
    """The argon2id hasher configured by the policy."""
    return _hasher(policy.argon2_time_cost, policy.argon2_memory_kib, policy.argon2_parallelism)


def hash_password(password: str, policy: Policy) -> str:
    """The argon2id hash of ``password``."""
    return hasher(policy).hash(password)


def verify_password(password_hash: str, password: str, policy: Policy) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises on a wrong password)."""
    try:
        return hasher(policy).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("unused-password")


def spend_verification_time(password: str, policy: Policy) -> None:
    """Do the work of a verification for an unknown login, so its answer takes as long as for a known one."""
    dummy = _dummy_hash(policy.argon2_time_cost, policy.argon2_memory_kib, policy.argon2_parallelism)
    verify_password(dummy, password, policy)


def check_password_policy(password: str, policy: Policy, *, login: str | None = None) -> None:
    """Refuse a password that breaks the policy, saying which rule."""
    problems = []
    if len(password) < policy.password_min_length:
        problems.append(f"at least {policy.password_min_length} characters")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        problems.append("three of: lower-case letters, capitals, digits, other characters")
    if login and login.lower() in password.lower():
        problems.append("not containing the login")
    if problems:
        raise WeakPasswordError("The password must have " + "; ".join(problems) + ".")


def first_password(policy: Policy) -> str:
    """A random first password that satisfies the policy (to be changed at first login)."""
    length = max(policy.password_min_length, 12)
    while True:
        candidate = "".join(secrets.choice(_FIRST_PASSWORD_ALPHABET) for _ in range(length - 2))
        candidate = f"{candidate[:4]}-{candidate[4:]}#"
        try:
            check_password_policy(candidate, policy)
            return candidate
        except WeakPasswordError:
            continue


def new_token() -> str:
    """An opaque bearer token (256 random bits)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The SHA-256 digest stored in place of a token or a partner secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_digest(stored: str, secret: str) -> bool:
    """Constant-time comparison of a stored digest with the digest of ``secret``."""
    return hmac.compare_digest(stored, digest(secret))
