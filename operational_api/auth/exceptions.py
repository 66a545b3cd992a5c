"""Refusals of authentication and administration, each with a stable code."""

from __future__ import annotations

import datetime as dt

from operational_api.errors import ConflictError, ForbiddenError, NotFoundError, RefusedError, UnauthorizedError


class BadCredentialsError(UnauthorizedError):
    def __init__(self) -> None:
        super().__init__(
            "Wrong login or password. Check the keyboard (caps lock) and try again.", code="bad_credentials"
        )


class AccountLockedError(ForbiddenError):
    code = "account_locked"

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(
            f"The account is locked after too many failed logins, until {until:%Y-%m-%d %H:%M} UTC. "
            "Wait, or ask an administrator to unlock it."
        )


class AccountDisabledError(ForbiddenError):
    code = "account_disabled"

    def __init__(self) -> None:
        super().__init__("The account is disabled. Ask an administrator.")


class InvalidTokenError(UnauthorizedError):
    def __init__(self, message: str = "The session token is not valid. Log in again.", code: str = "invalid_token"):
        super().__init__(message, code=code)


class PasswordChangeRequiredError(ForbiddenError):
    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__("Your password must be changed first (first login or expired password): POST /auth/password.")


class InsufficientRightsError(ForbiddenError):
    code = "forbidden"

    def __init__(self, role: str, action: str) -> None:
        super().__init__(
            f"Your role ({role}) does not allow this action ({action}). Ask a user whose role allows it, "
            "or an administrator."
        )


class WeakPasswordError(RefusedError):
    code = "weak_password"


class PasswordReuseError(RefusedError):
    code = "password_reused"

    def __init__(self) -> None:
        super().__init__("The new password must differ from the current one.")


class UserNotFoundError(NotFoundError):
    code = "unknown_user"

    def __init__(self, login: str) -> None:
        super().__init__(f"No user with login {login!r}.")


class UserExistsError(ConflictError):
    code = "user_exists"

    def __init__(self, login: str) -> None:
        super().__init__(f"A user with login {login!r} already exists. Choose another login.")


class UnknownAgencyError(NotFoundError):
    code = "unknown_agency"

    def __init__(self, code: str) -> None:
        super().__init__(f"No agency with code {code!r}. Check the agency code.")


class PartnerExistsError(ConflictError):
    code = "partner_exists"

    def __init__(self, code: str) -> None:
        super().__init__(f"A partner with code {code!r} already exists.")


class PartnerNotFoundError(NotFoundError):
    code = "unknown_partner"

    def __init__(self, code: str) -> None:
        super().__init__(f"No payment partner with code {code!r}.")
