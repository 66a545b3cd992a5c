"""Refusals of the API: a status, a stable machine ``code`` and a message a clerk can act on.

Every error response has the same shape (:class:`ErrorOut`). Domains raise subclasses of :class:`ApiError` from
their ``exceptions.py``; the handlers below also turn validation errors, database races and anything unexpected
into that shape, so a client never has to parse a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("operational_api")


class ErrorOut(BaseModel):
    """The body of every error response."""

    code: str = Field(description="Stable machine code of the refusal, e.g. session_closed")
    message: str = Field(description="What is wrong and what to do about it")
    detail: str = Field(description="Same text as message (kept for clients that read FastAPI's detail)")
    details: list[dict[str, Any]] | None = Field(default=None, description="Field-level problems, when any")


class ApiError(Exception):
    """A refusal with an HTTP status, a stable code and a message."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.details = details
        self.headers = headers


class NotFoundError(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ConflictError(ApiError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class RefusedError(ApiError):
    """The request is well formed but a business rule refuses it."""

    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    code = "refused"


class ForbiddenError(ApiError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class UnauthorizedError(ApiError):
    status_code = status.HTTP_401_UNAUTHORIZED
    code = "unauthorized"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, code=code, headers={"WWW-Authenticate": 'Bearer realm="yeelen"'})


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON of an error response."""
    return {"code": code, "message": message, "detail": message, "details": details}


def error_response(error: ApiError) -> JSONResponse:
    """The response of a refusal, for handlers that must answer without raising (so the request still commits)."""
    return JSONResponse(
        error_body(error.code, error.message, error.details), status_code=error.status_code, headers=error.headers
    )


def responses_for(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of error responses with these statuses."""
    descriptions = {
        400: "Malformed request",
        401: "Missing, invalid or expired credentials (code unauthorized, invalid_token, token_expired)",
        403: "Insufficient rights, other agency, or password change required",
        404: "Unknown reference",
        409: "Conflict with the current state (closed session, replay with other content, ...)",
        422: "Invalid input or a business rule refuses the request",
        503: "The database is busy; retry the request (idempotent requests can be replayed safely)",
    }
    return {code: {"model": ErrorOut, "description": descriptions[code]} for code in codes}


# Documented on every authenticated route; routes add 404/409 where they can happen.
COMMON_RESPONSES = responses_for(401, 403, 422, 503)
NOT_FOUND = responses_for(404)
CONFLICT = responses_for(409)
PUBLIC_RESPONSES = responses_for(422, 503)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for problem in errors[:5]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part not in ("body",)) or "request"
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "The request is not valid: " + "; ".join(parts) + more + ". Correct these fields and send it again."


def _is_busy(error: DBAPIError) -> bool:
    """Lock timeouts, deadlocks and serialization failures: the same request can succeed when replayed."""
    original = getattr(error, "orig", None)
    sqlstate = getattr(original, "sqlstate", None) or getattr(getattr(original, "diag", None), "sqlstate", None)
    if sqlstate in {"40001", "40P01", "55P03", "57014"}:
        return True
    text = str(original or error).lower()
    return "database is locked" in text or "database is busy" in text


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure with an :class:`ErrorOut` body; nothing leaks as an HTML page or a stack trace."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(error.errors(), custom_encoder={Exception: str, bytes: lambda b: repr(b)})
        for problem in errors:
            # The input can be large or hold secrets (passwords); the location and message are enough.
            problem.pop("url", None)
            problem.pop("input", None)
        return JSONResponse(
            error_body("validation_error", _validation_message(errors), errors),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
        message = error.detail if isinstance(error.detail, str) else str(error.detail)
        return JSONResponse(
            error_body(code, message), status_code=error.status_code, headers=getattr(error, "headers", None)
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, error: IntegrityError) -> JSONResponse:
        # A race lost on a unique or foreign key: the state changed under the request; nothing was written.
        logger.info("integrity conflict: %s", error.orig)
        message = (
            "The request conflicts with a change made at the same time (a duplicate or a removed reference). "
            "Nothing was recorded; reload and try again."
        )
        return JSONResponse(error_body("conflict", message), status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def _database(_request: Request, error: DBAPIError) -> JSONResponse:
        if isinstance(error, IntegrityError):
            return await _integrity(_request, error)
        if isinstance(error, DataError):
            # A value the database cannot hold (too long, out of range): the input is wrong, not the server.
            message = "A value of the request is out of the range the system can store. Check the amounts and texts."
            return JSONResponse(error_body("invalid_value", message), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        if _is_busy(error):
            message = "The database is busy and nothing was recorded. Send the same request again in a moment."
            return JSONResponse(
                error_body("database_busy", message),
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "1"},
            )
        logger.exception("database error")
        message = "The database refused the request and nothing was recorded. If it happens again, call support."
        return JSONResponse(error_body("database_error", message), status_code=status.HTTP_503_SERVICE_UNAVAILABLE)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error", exc_info=error)
        message = "An unexpected error occurred and nothing was recorded. Call support with the time of the request."
        return JSONResponse(error_body("internal_error", message), status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)
