"""Authentication of every request and the check of the route's action against the caller's role.

Users send ``Authorization: Bearer <token>`` (from ``POST /auth/login``); payment partners send HTTP Basic
``<partner code>:<secret>``. Each route declares the one action it performs with :func:`require` (or
:func:`public`), which is how the role x action matrix is enforced, documented and tested.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer

from operational_api.auth import service
from operational_api.auth.exceptions import InsufficientRightsError, PasswordChangeRequiredError
from operational_api.auth.principal import Principal
from operational_api.auth.rights import ACTION_ATTRIBUTE, PUBLIC_ATTRIBUTE, Action, allowed
from operational_api.dependencies import SessionDep
from operational_api.errors import UnauthorizedError

bearer_scheme = HTTPBearer(auto_error=False, description="Session token of a user, from POST /auth/login")
basic_scheme = HTTPBasic(auto_error=False, description="Payment partners: partner code as user name, and secret")


def client_address(request: Request) -> str | None:
    """The caller's address as the server sees it (behind a proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else None


def current_principal(
    request: Request,
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    basic: Annotated[HTTPBasicCredentials | None, Depends(basic_scheme)],
    x_workstation: Annotated[
        str | None, Header(max_length=60, description="Name of the workstation (computer, cash desk) sending")
    ] = None,
) -> Principal:
    """The authenticated caller, or 401 (read in the request's transaction, before the handler locks anything)."""
    address = client_address(request)
    if bearer is not None:
        return service.authenticate_token(
            session=session,
            policy=request.app.state.policy,
            token=bearer.credentials,
            workstation=x_workstation,
            client_address=address,
        )
    if basic is not None:
        return service.authenticate_partner(
            session=session,
            code=basic.username,
            secret=basic.password,
            workstation=x_workstation,
            client_address=address,
        )
    raise UnauthorizedError(
        "Credentials are missing: send Authorization: Bearer <token> (POST /auth/login), or HTTP Basic for partners.",
        code="unauthorized",
    )


def require(action: Action) -> Any:
    """A dependency that lets the request through only when the caller's role holds ``action``."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.password_change_required and action is not Action.SELF:
            raise PasswordChangeRequiredError()
        if not allowed(principal.role, action):
            raise InsufficientRightsError(principal.role, action)
        return principal

    setattr(dependency, ACTION_ATTRIBUTE, action)
    dependency.__name__ = "require_" + action.value.replace(".", "_")
    return dependency


def allowed_for(action: Action) -> Any:
    """``Annotated[Principal, ...]`` of a route performing ``action``."""
    return Annotated[Principal, Depends(require(action))]


async def public() -> None:
    """Marks a route that needs no credentials (health, login)."""


setattr(public, PUBLIC_ATTRIBUTE, True)
PUBLIC = [Depends(public)]
