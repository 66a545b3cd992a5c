"""Authentication of every request and the check of the route's action against the caller's role.

Users send ``Authorization: Bearer <token>`` (from ``POST /auth/login``); payment partners send HTTP Basic
``<partner code>:<secret>``. Each route declares the one action it performs with :func:`require` (or
:func:`public`), which is how the role x action matrix is enforced, documented and tested.

A caller this process authenticated in the last few seconds is recognised on the event loop, so the role check
(and its 403, before the body is even validated) costs no thread; the token or secret is then confirmed in the
request's transaction as it begins, in the handler's thread, and the request is refused there if the token was
revoked or expired, the account disabled, or the caller's role or agencies changed meanwhile. Every request
therefore still reads its credentials in its own transaction before the handler takes any lock.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer

from operational_api.auth import security, service
from operational_api.auth.exceptions import InsufficientRightsError, PasswordChangeRequiredError
from operational_api.auth.principal import Principal
from operational_api.auth.rights import ACTION_ATTRIBUTE, PUBLIC_ATTRIBUTE, Action, allowed
from operational_api.dependencies import CONFIRM, SessionDep
from operational_api.errors import ConflictError, UnauthorizedError

bearer_scheme = HTTPBearer(auto_error=False, description="Session token of a user, from POST /auth/login")
basic_scheme = HTTPBasic(auto_error=False, description="Payment partners: partner code as user name, and secret")


def client_address(request: Request) -> str | None:
    """The caller's address as the server sees it (behind a proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else None


class RecentCallers:
    """Callers authenticated by this process in the last ``ttl`` seconds, by the digest of their credentials.

    Read and filled on the event loop; a handler's thread may :meth:`forget` a caller (a single dictionary
    operation). A caller who must change their password is never kept: the change must take effect at the next
    request.
    """

    def __init__(self, ttl: float = 30.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._callers: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def get(self, key: str) -> Principal | None:
        entry = self._callers.get(key)
        if entry is None:
            return None
        principal, seen = entry
        if time.monotonic() - seen > self.ttl:
            self._callers.pop(key, None)
            return None
        return principal

    def remember(self, key: str, principal: Principal) -> None:
        if principal.password_change_required:
            return
        self._callers[key] = (principal, time.monotonic())
        self._callers.move_to_end(key)
        while len(self._callers) > self.size:
            self._callers.popitem(last=False)

    def forget(self, key: str) -> None:
        self._callers.pop(key, None)


def recent_callers(request: Request) -> RecentCallers:
    """The application's :class:`RecentCallers`."""
    callers = getattr(request.app.state, "recent_callers", None)
    if callers is None:
        callers = request.app.state.recent_callers = RecentCallers()
    return callers


def _same_rights(recognised: Principal, confirmed: Principal) -> bool:
    return (recognised.id, recognised.role, recognised.agency_ids, recognised.password_change_required) == (
        confirmed.id,
        confirmed.role,
        confirmed.agency_ids,
        confirmed.password_change_required,
    )


class RightsChangedError(ConflictError):
    """The caller's rights changed between the request's role check and its transaction."""

    def __init__(self) -> None:
        super().__init__(
            "Your role, agencies or password status changed while this request was on its way; nothing was done. "
            "Send it again.",
            code="rights_changed",
        )


async def current_principal(
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
        policy = request.app.state.policy
        token_hash = security.digest(bearer.credentials)
        key = "token:" + token_hash

        def read(executor: Any) -> Principal:
            return service.token_principal(
                executor, policy=policy, token_hash=token_hash, workstation=x_workstation, client_address=address
            )

    elif basic is not None:
        code, secret = basic.username, basic.password
        key = "partner:" + security.digest(f"{code}:{secret}")

        def read(executor: Any) -> Principal:
            return service.authenticate_partner(
                executor, code=code, secret=secret, workstation=x_workstation, client_address=address
            )

    else:
        raise UnauthorizedError(
            "Credentials are missing: send Authorization: Bearer <token> (POST /auth/login), or HTTP Basic for "
            "partners.",
            code="unauthorized",
        )
    callers = recent_callers(request)
    recognised = callers.get(key)
    if recognised is None:
        principal = await anyio.to_thread.run_sync(read, session)
        callers.remember(key, principal)
        return principal

    def confirm(connection: Any) -> None:
        try:
            confirmed = read(connection)
        except BaseException:
            callers.forget(key)
            raise
        if not _same_rights(recognised, confirmed):
            callers.forget(key)
            raise RightsChangedError()

    session.info[CONFIRM] = confirm
    return dataclasses.replace(recognised, workstation=x_workstation, client_address=address)


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
